import type { LocalMedia } from './call-events.js';
import type { LocalTracks } from './call-topology.js';
import { openLocalMedia, openTrack } from './local-media.js';
import type { MediaRequest, OpenedMedia } from './local-media.js';
import type { LocalMediaIssue } from './types.js';
import type { MediaDevicesLike } from './webrtc-environment.js';

/** What the local media of a call reports to its session. */
export interface LocalMediaHost {
  /** Publishes a track of one kind on the peer connections (`null`: none). */
  publish(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> | undefined;
  /** What we publish changed; `flags`: the audio/video/screen flags may have changed too. */
  changed(flags: boolean): void;
}

/**
 * The devices of one call: microphone, camera and screen tracks, their on/off state, the
 * chosen devices and why we publish less than asked. It knows nothing of peers: it hands
 * tracks to {@link LocalMediaHost.publish} and reports changes.
 */
export class LocalMediaController {
  readonly #devices: MediaDevicesLike | undefined;
  readonly #audioConstraints: MediaRequest;
  readonly #videoConstraints: MediaRequest;
  readonly #host: LocalMediaHost;
  #stream: MediaStream | undefined;
  #mic: MediaStreamTrack | undefined;
  #camera: MediaStreamTrack | undefined;
  #screen: MediaStreamTrack | undefined;
  #audioOn = false;
  #videoOn = false;
  #issue: LocalMediaIssue | undefined;
  #audioDeviceId: string | undefined;
  #videoDeviceId: string | undefined;

  /**
   * @param devices - `navigator.mediaDevices` (or a double)
   * @param audioConstraints - used whenever the microphone is opened
   * @param videoConstraints - used whenever the camera is opened
   * @param host - see {@link LocalMediaHost}
   */
  constructor(devices: MediaDevicesLike | undefined, audioConstraints: MediaRequest, videoConstraints: MediaRequest, host: LocalMediaHost) {
    this.#devices = devices;
    this.#audioConstraints = audioConstraints;
    this.#videoConstraints = videoConstraints;
    this.#host = host;
  }

  /** What we publish. */
  get view(): LocalMedia {
    return {
      stream: this.#stream,
      videoTrack: this.#screen ?? (this.#videoOn ? this.#camera : undefined),
      audio: this.#audioOn && this.#mic !== undefined,
      video: this.#videoOn && this.#camera !== undefined,
      screen: this.#screen !== undefined,
      issue: this.#issue,
      audioDeviceId: this.#audioDeviceId ?? this.#mic?.getSettings?.().deviceId,
      videoDeviceId: this.#videoDeviceId ?? this.#camera?.getSettings?.().deviceId,
    };
  }

  /** The tracks the peer connections send. */
  get tracks(): LocalTracks {
    return { audio: this.#mic, video: this.#screen ?? (this.#videoOn ? this.#camera : undefined), stream: this.#stream };
  }

  /**
   * Opens the devices for a join, with fallbacks (see `openLocalMedia`); {@link LocalMediaController.adopt} takes them.
   * @param audio - publish the microphone
   * @param video - publish the camera
   */
  open(audio: boolean, video: boolean): Promise<OpenedMedia> {
    return openLocalMedia(this.#devices, audio && this.#audioConstraints, video && this.#videoConstraints);
  }

  /** Takes the devices opened for a join (with their fallbacks). */
  adopt(media: OpenedMedia): void {
    this.#stream = media.stream;
    this.#mic = media.audio;
    this.#camera = media.video;
    this.#audioOn = media.audio !== undefined;
    this.#videoOn = media.video !== undefined;
    this.#issue = media.issue;
    this.#host.changed(false);
  }

  /** See `CallSession.setMicrophoneEnabled`. */
  async setMicrophone(enabled: boolean): Promise<void> {
    if (enabled && !this.#mic) {
      const track = await this.#open('audio', this.#audioDeviceId);
      this.#adopt('audio', track);
      await this.#host.publish('audio', track);
    }
    this.#audioOn = enabled;
    if (this.#mic) this.#mic.enabled = enabled;
    this.#host.changed(true);
  }

  /** See `CallSession.setCameraEnabled`. */
  async setCamera(enabled: boolean): Promise<void> {
    if (enabled) {
      if (!this.#camera) this.#adopt('video', await this.#open('video', this.#videoDeviceId));
      this.#videoOn = true;
      if (this.#issue === 'no-camera' || this.#issue === 'camera-denied') this.#issue = undefined;
      if (!this.#screen) await this.#host.publish('video', this.#camera ?? null);
    } else {
      this.#videoOn = false;
      const cam = this.#camera;
      this.#camera = undefined;
      if (cam) {
        cam.stop();
        this.#stream?.removeTrack(cam);
      }
      if (!this.#screen) await this.#host.publish('video', null);
    }
    this.#host.changed(true);
  }

  /** See `CallSession.switchDevice`. */
  async switchDevice(kind: 'audioinput' | 'videoinput', deviceId: string): Promise<void> {
    if (kind === 'audioinput') {
      this.#audioDeviceId = deviceId;
      if (this.#mic) {
        const track = await this.#open('audio', deviceId);
        track.enabled = this.#audioOn;
        this.#adopt('audio', track);
        await this.#host.publish('audio', track);
      }
    } else if (kind === 'videoinput') {
      this.#videoDeviceId = deviceId;
      if (this.#camera) {
        const track = await this.#open('video', deviceId);
        this.#adopt('video', track);
        if (!this.#screen) await this.#host.publish('video', track);
      }
    } else {
      throw new TypeError('switchDevice: kind must be audioinput or videoinput');
    }
    this.#host.changed(false);
  }

  /** See `CallSession.startScreenShare`. */
  async startScreenShare(): Promise<void> {
    if (this.#screen) return;
    const devices = this.#devices;
    if (!devices?.getDisplayMedia) throw new DOMException('Screen sharing is not supported', 'NotSupportedError');
    const stream = await devices.getDisplayMedia({ video: true, audio: false });
    const track = stream.getVideoTracks()[0];
    if (!track) throw new DOMException('No screen track', 'NotFoundError');
    this.#screen = track;
    track.addEventListener('ended', () => {
      if (this.#screen === track) void this.stopScreenShare();
    });
    await this.#host.publish('video', track);
    this.#host.changed(true);
  }

  /** See `CallSession.stopScreenShare`. */
  async stopScreenShare(): Promise<void> {
    const track = this.#screen;
    if (!track) return;
    this.#screen = undefined;
    track.stop();
    await this.#host.publish('video', this.#videoOn ? (this.#camera ?? null) : null);
    this.#host.changed(true);
  }

  /** Stops every track (the camera light goes out). */
  release(): void {
    for (const t of [this.#mic, this.#camera, this.#screen]) t?.stop();
    this.#mic = this.#camera = this.#screen = this.#stream = undefined;
    this.#audioOn = this.#videoOn = false;
  }

  #open(kind: 'audio' | 'video', deviceId: string | undefined): Promise<MediaStreamTrack> {
    return openTrack(this.#devices, kind, kind === 'audio' ? this.#audioConstraints : this.#videoConstraints, deviceId);
  }

  /** Makes `track` our microphone or camera, stopping the one it replaces. */
  #adopt(kind: 'audio' | 'video', track: MediaStreamTrack): void {
    const old = kind === 'audio' ? this.#mic : this.#camera;
    if (old && old !== track) {
      old.stop();
      this.#stream?.removeTrack(old);
    }
    if (kind === 'audio') this.#mic = track;
    else this.#camera = track;
    if (this.#stream) this.#stream.addTrack(track);
    else if (typeof MediaStream === 'function') this.#stream = new MediaStream([track]);
  }
}

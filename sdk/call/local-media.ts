import type { LocalMediaIssue } from './types.js';
import type { MediaDevicesLike } from './webrtc-environment.js';

/** What to open: `true`, `false`, or track constraints. */
export type MediaRequest = boolean | MediaTrackConstraints;

/** The result of {@link openLocalMedia}. */
export interface OpenedMedia {
  readonly stream: MediaStream | undefined;
  readonly audio: MediaStreamTrack | undefined;
  readonly video: MediaStreamTrack | undefined;
  /** Why we got less than asked for. */
  readonly issue: LocalMediaIssue | undefined;
}

const DENIED = new Set(['NotAllowedError', 'SecurityError', 'PermissionDeniedError']);

function errorName(error: unknown): string {
  return error !== null && typeof error === 'object' && 'name' in error && typeof error.name === 'string' ? error.name : '';
}

async function tryOpen(devices: MediaDevicesLike, audio: MediaRequest, video: MediaRequest): Promise<{ stream?: MediaStream; error?: unknown }> {
  try {
    return { stream: await devices.getUserMedia({ audio, video }) };
  } catch (error) {
    return { error };
  }
}

function result(stream: MediaStream | undefined, issue: LocalMediaIssue | undefined): OpenedMedia {
  return { stream, audio: stream?.getAudioTracks()[0], video: stream?.getVideoTracks()[0], issue };
}

/**
 * Opens the microphone and camera, falling back instead of failing: camera and microphone, else
 * the microphone alone (audio-only), else nothing (view-only), with the reason in `issue`.
 * A refusal of both is `permission-denied`; a refused camera with a working microphone is
 * `camera-denied`; a missing or broken camera is `no-camera`.
 * @param devices - `navigator.mediaDevices` (or a double); `undefined` means no devices at all
 * @param audio - microphone request
 * @param video - camera request
 */
export async function openLocalMedia(devices: MediaDevicesLike | undefined, audio: MediaRequest, video: MediaRequest): Promise<OpenedMedia> {
  if (!audio && !video) return result(undefined, undefined);
  if (!devices) return result(undefined, 'no-devices');
  const both = await tryOpen(devices, audio, video);
  if (both.stream) return result(both.stream, undefined);
  const denied = DENIED.has(errorName(both.error));
  if (audio && video) {
    const mic = await tryOpen(devices, audio, false);
    if (mic.stream) return result(mic.stream, denied ? 'camera-denied' : 'no-camera');
    if (denied || DENIED.has(errorName(mic.error))) return result(undefined, 'permission-denied');
    // No microphone; maybe a camera alone works.
    const cam = await tryOpen(devices, false, video);
    if (cam.stream) return result(cam.stream, 'no-microphone');
    return result(undefined, 'no-devices');
  }
  return result(undefined, denied ? 'permission-denied' : video ? 'no-camera' : 'no-devices');
}

/**
 * Opens one track of one kind, on a given device when `deviceId` is set.
 * @throws whatever `getUserMedia` throws (the caller keeps the previous track)
 */
export async function openTrack(devices: MediaDevicesLike | undefined, kind: 'audio' | 'video', base: MediaRequest, deviceId?: string): Promise<MediaStreamTrack> {
  if (!devices) throw new DOMException('No media devices', 'NotFoundError');
  const constraints: MediaTrackConstraints = { ...(typeof base === 'object' ? base : {}), ...(deviceId ? { deviceId: { exact: deviceId } } : {}) };
  const request: MediaRequest = Object.keys(constraints).length > 0 ? constraints : true;
  const stream = await devices.getUserMedia(kind === 'audio' ? { audio: request, video: false } : { audio: false, video: request });
  const track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
  if (!track) throw new DOMException(`No ${kind} track`, 'NotFoundError');
  return track;
}

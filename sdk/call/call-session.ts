import { ParleyError } from '../errors.js';
import { TypedEmitter } from '../events.js';
import type { Unsubscribe } from '../events.js';
import type { Clock } from '../types.js';
import type { CallEvents, CallParticipant, LocalMedia } from './call-events.js';
import type { CallSignalling } from './call-signalling.js';
import type { CallTopology, CallTopologyFactory, IceRecoveryPolicy, LocalTracks, TopologyListener } from './call-topology.js';
import { IceServerManager } from './ice-servers.js';
import { openLocalMedia, openTrack } from './local-media.js';
import type { MediaRequest } from './local-media.js';
import { MeshTopology } from './mesh-topology.js';
import type { CallJoinResult, CallParticipantInfo, CallSnapshot, CallState, IceServersResponse, IncomingSignal, LocalMediaIssue } from './types.js';
import { browserEnvironment } from './webrtc-environment.js';
import type { WebRtcEnvironment } from './webrtc-environment.js';

/** Options of {@link CallSession}. */
export interface CallSessionOptions {
  /** The call's signalling (`room.call()` passes the SDK's). */
  readonly signalling: CallSignalling;
  /** Peer connections, devices, network changes. Default: the browser's. */
  readonly environment?: WebRtcEnvironment;
  /** Timers. Default: global timers. */
  readonly clock?: Clock;
  /** Most participants this client takes part with (mesh cost grows with the square). Default 4. */
  readonly maxParticipants?: number;
  /** How media flows. Default: full mesh. */
  readonly topology?: CallTopologyFactory;
  /** `relay` forces every connection through TURN. Default `all`. */
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
  /** Microphone constraints used whenever it is opened. Default `true`. */
  readonly audioConstraints?: MediaTrackConstraints;
  /** Camera constraints used whenever it is opened. Default `true`. */
  readonly videoConstraints?: MediaTrackConstraints;
  /** Where ICE servers come from. Default: `signalling.iceServers()` (`GET /api/ice-servers`). */
  readonly iceServers?: () => Promise<IceServersResponse>;
  /** Refresh the ICE servers once this fraction of their `ttl` has passed. Default 0.8. */
  readonly iceRefreshFraction?: number;
  /** ICE recovery tunables. */
  readonly recovery?: Partial<IceRecoveryPolicy>;
  /** Full re-joins allowed within `rejoinWindowMs` before giving up. Default 3 per 60 000 ms. */
  readonly maxRejoins?: number;
  /** See `maxRejoins`. */
  readonly rejoinWindowMs?: number;
}

/** Options of {@link CallSession.join}. */
export interface CallJoinOptions {
  /** Publish the microphone. Default true. */
  readonly audio?: boolean;
  /** Publish the camera. Default true. */
  readonly video?: boolean;
}

interface RemoteEntry {
  info: CallParticipantInfo;
  stream: MediaStream | undefined;
  state: RTCPeerConnectionState;
}

// Global timers, looked up at call time (fake timers apply). Not `../clock.js`'s `systemClock`:
// importing it would make the SDK entry export it for this lazily loaded chunk.
const globalClock: Clock = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
  now: () => Date.now(),
};

const TRANSIENT = new Set(['DISCONNECTED', 'TIMEOUT', 'NETWORK', 'UNAVAILABLE', 'NOT_IN_CALL']);
const MAX_EARLY_SIGNALS = 500;

const DEFAULT_RECOVERY: IceRecoveryPolicy = {
  maxIceRestarts: 2,
  iceRestartTimeoutMs: 15_000,
  disconnectedGraceMs: 4_000,
  connectTimeoutMs: 30_000,
};

/**
 * A WebRTC call in one room: join and leave, publish the camera and microphone, mute, switch
 * devices, share the screen, and follow the other participants' media.
 *
 * Behind the scenes: ICE servers are fetched before the first peer connection and refreshed
 * before the TURN credentials expire; peers negotiate with perfect negotiation (roles from the
 * server's join order); a failed connection restarts ICE, and when that fails the session leaves
 * and joins again. A network change restarts ICE everywhere. If our participant disappears from
 * the call (the chat connection dropped and came back) the session joins again by itself.
 *
 * @example
 * ```ts
 * const call = await room.call();
 * call.on('trackAdded', (id, track, stream) => show(id, stream));
 * await call.join();              // camera + microphone; falls back to audio-only or view-only
 * await call.setMicrophoneEnabled(false);
 * await call.leave();
 * ```
 *
 * Events: see {@link CallEvents}.
 */
export class CallSession extends TypedEmitter<CallEvents> {
  readonly #signalling: CallSignalling;
  readonly #env: WebRtcEnvironment;
  readonly #clock: Clock;
  readonly #maxParticipants: number;
  readonly #topologyFactory: CallTopologyFactory;
  readonly #policy: RTCIceTransportPolicy;
  readonly #audioConstraints: MediaRequest;
  readonly #videoConstraints: MediaRequest;
  readonly #recovery: IceRecoveryPolicy;
  readonly #maxRejoins: number;
  readonly #rejoinWindowMs: number;
  readonly #ice: IceServerManager;

  #state: CallState = 'idle';
  #generation = 0;
  #self: CallJoinResult | undefined;
  #topology: CallTopology | undefined;
  #latest: CallSnapshot | undefined;
  readonly #remotes = new Map<string, RemoteEntry>();
  #early: IncomingSignal[] = [];
  #unsubscribe: Unsubscribe[] = [];
  #rejoins: number[] = [];
  #joining: Promise<void> | undefined;
  #lastForcedIceRefresh = Number.NEGATIVE_INFINITY;

  // Local media.
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
   * @param options - see {@link CallSessionOptions}
   * @throws RangeError for a `maxParticipants` below 2; TypeError without WebRTC and no `environment`
   */
  constructor(options: CallSessionOptions) {
    super();
    if (!options || typeof options.signalling !== 'object') throw new TypeError('CallSession: signalling is required');
    const max = options.maxParticipants ?? 4;
    if (!Number.isInteger(max) || max < 2) throw new RangeError('CallSession: maxParticipants must be an integer >= 2');
    this.#signalling = options.signalling;
    this.#env = options.environment ?? browserEnvironment();
    this.#clock = options.clock ?? globalClock;
    this.#maxParticipants = max;
    this.#topologyFactory = options.topology ?? ((ctx) => new MeshTopology(ctx));
    this.#policy = options.iceTransportPolicy ?? 'all';
    this.#audioConstraints = options.audioConstraints ?? true;
    this.#videoConstraints = options.videoConstraints ?? true;
    this.#recovery = { ...DEFAULT_RECOVERY, ...options.recovery };
    this.#maxRejoins = options.maxRejoins ?? 3;
    this.#rejoinWindowMs = options.rejoinWindowMs ?? 60_000;
    const fetchIce = options.iceServers ?? (() => this.#signalling.iceServers());
    this.#ice = new IceServerManager({
      fetch: fetchIce,
      clock: this.#clock,
      ...(options.iceRefreshFraction !== undefined ? { refreshFraction: options.iceRefreshFraction } : {}),
      onRefresh: (servers) => this.#topology?.setIceServers(servers),
      onError: (error) => this.emit('error', ParleyError.from(error)),
    });
  }

  /** The session's state; changes are reported by `stateChanged`. */
  get state(): CallState {
    return this.#state;
  }

  /** Our participant id and join order (`order`: higher = later joiner = polite) while joined. */
  get self(): CallJoinResult | undefined {
    return this.#self;
  }

  /** The other participants, in join order. */
  get participants(): readonly CallParticipant[] {
    return [...this.#remotes.values()].map((e) => this.#view(e)).sort((a, b) => a.order - b.order);
  }

  /** What we publish. */
  get localMedia(): LocalMedia {
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

  /** Most participants this client takes part with. */
  get maxParticipants(): number {
    return this.#maxParticipants;
  }

  /** When the current TURN credentials expire (ms since the epoch; 0 before joining). */
  get iceServersExpireAt(): number {
    return this.#ice.expiresAt;
  }

  /**
   * Joins the call: fetches ICE servers and opens the devices (in parallel), then joins.
   * Without a camera, or with a permission refused, it joins audio-only or view-only and says
   * why in `localMedia.issue`. Resolves once joined; connections to the others follow.
   * Rejects with `CALL_FULL` when the call has no room (server cap, or this client's
   * `maxParticipants`), `NOT_MEMBER`, `DISCONNECTED`, `TIMEOUT`, or a `NETWORK` error for ICE servers.
   * @param options - what to publish
   */
  join(options: CallJoinOptions = {}): Promise<void> {
    if (this.#joining) return this.#joining;
    if (this.#state === 'joined' || this.#state === 'rejoining') return Promise.resolve();
    const generation = ++this.#generation;
    this.#setState('joining');
    this.#listen();
    const p = this.#firstJoin(generation, options).finally(() => {
      this.#joining = undefined;
    });
    this.#joining = p;
    return p;
  }

  /** Leaves the call: closes every connection, releases the devices, tells the server. */
  async leave(): Promise<void> {
    if (this.#state === 'idle' || this.#state === 'left') return;
    this.#generation++;
    this.#teardown();
    this.#releaseMedia();
    this.#setState('left');
    await this.#signalling.leave().catch(() => undefined);
  }

  /**
   * Turns the microphone on or off (mute keeps the device open: unmuting is instant).
   * @param enabled - on or off
   * @throws rejects with the `getUserMedia` error when turning on a microphone that cannot be opened
   */
  async setMicrophoneEnabled(enabled: boolean): Promise<void> {
    if (enabled && !this.#mic) {
      const track = await openTrack(this.#env.mediaDevices, 'audio', this.#audioConstraints, this.#audioDeviceId);
      this.#adoptTrack('audio', track);
      await this.#topology?.setLocalTrack('audio', track);
    }
    this.#audioOn = enabled;
    if (this.#mic) this.#mic.enabled = enabled;
    this.#publishFlags();
  }

  /**
   * Turns the camera on or off. Off releases the camera (its light goes out) and sends no video.
   * @param enabled - on or off
   * @throws rejects with the `getUserMedia` error when the camera cannot be opened
   */
  async setCameraEnabled(enabled: boolean): Promise<void> {
    if (enabled) {
      if (!this.#camera) {
        const track = await openTrack(this.#env.mediaDevices, 'video', this.#videoConstraints, this.#videoDeviceId);
        this.#adoptTrack('video', track);
      }
      this.#videoOn = true;
      if (this.#issue === 'no-camera' || this.#issue === 'camera-denied') this.#issue = undefined;
      if (!this.#screen) await this.#topology?.setLocalTrack('video', this.#camera ?? null);
    } else {
      this.#videoOn = false;
      const cam = this.#camera;
      this.#camera = undefined;
      if (cam) {
        cam.stop();
        this.#stream?.removeTrack(cam);
      }
      if (!this.#screen) await this.#topology?.setLocalTrack('video', null);
    }
    this.#publishFlags();
  }

  /**
   * Switches the microphone or camera to another device (`enumerateDevices`), without renegotiation.
   * @param kind - `audioinput` or `videoinput`
   * @param deviceId - from {@link CallSession.devices}
   */
  async switchDevice(kind: 'audioinput' | 'videoinput', deviceId: string): Promise<void> {
    if (typeof deviceId !== 'string' || deviceId === '') throw new TypeError('switchDevice: deviceId must be a non-empty string');
    if (kind === 'audioinput') {
      this.#audioDeviceId = deviceId;
      if (!this.#mic) return this.#emitLocal();
      const track = await openTrack(this.#env.mediaDevices, 'audio', this.#audioConstraints, deviceId);
      track.enabled = this.#audioOn;
      this.#adoptTrack('audio', track);
      await this.#topology?.setLocalTrack('audio', track);
    } else if (kind === 'videoinput') {
      this.#videoDeviceId = deviceId;
      if (!this.#camera) return this.#emitLocal();
      const track = await openTrack(this.#env.mediaDevices, 'video', this.#videoConstraints, deviceId);
      this.#adoptTrack('video', track);
      if (!this.#screen) await this.#topology?.setLocalTrack('video', track);
    } else {
      throw new TypeError('switchDevice: kind must be audioinput or videoinput');
    }
    this.#emitLocal();
  }

  /** The microphones and cameras (labels are empty until a permission was granted). */
  async devices(): Promise<MediaDeviceInfo[]> {
    const all = (await this.#env.mediaDevices?.enumerateDevices()) ?? [];
    return all.filter((d) => d.kind === 'audioinput' || d.kind === 'videoinput');
  }

  /** Whether the browser can share a screen. */
  get canShareScreen(): boolean {
    return typeof this.#env.mediaDevices?.getDisplayMedia === 'function';
  }

  /**
   * Shares a screen or window in place of the camera (`replaceTrack`: no renegotiation when a
   * video sender exists). Ends by {@link CallSession.stopScreenShare} or the browser's own "stop" button.
   * @throws rejects with the `getDisplayMedia` error (e.g. `NotAllowedError` when the user cancels)
   */
  async startScreenShare(): Promise<void> {
    if (this.#screen) return;
    const devices = this.#env.mediaDevices;
    if (!devices?.getDisplayMedia) throw new DOMException('Screen sharing is not supported', 'NotSupportedError');
    const stream = await devices.getDisplayMedia({ video: true, audio: false });
    const track = stream.getVideoTracks()[0];
    if (!track) throw new DOMException('No screen track', 'NotFoundError');
    this.#screen = track;
    track.addEventListener('ended', () => {
      if (this.#screen === track) void this.stopScreenShare();
    });
    await this.#topology?.setLocalTrack('video', track);
    this.#publishFlags();
  }

  /** Stops sharing the screen; the camera comes back if it is on. */
  async stopScreenShare(): Promise<void> {
    const track = this.#screen;
    if (!track) return;
    this.#screen = undefined;
    track.stop();
    await this.#topology?.setLocalTrack('video', this.#videoOn ? (this.#camera ?? null) : null);
    this.#publishFlags();
  }

  /**
   * `getStats()` of the connection carrying a participant's media (for diagnostics and tests:
   * `inbound-rtp` `framesDecoded`, the selected candidate pair…).
   * @param participantId - a participant's id
   */
  getStats(participantId: string): Promise<RTCStatsReport | undefined> {
    return this.#topology?.getStats(participantId) ?? Promise.resolve(undefined);
  }

  // ---- joining ----

  async #firstJoin(generation: number, options: CallJoinOptions): Promise<void> {
    try {
      const wantAudio = options.audio ?? true;
      const wantVideo = options.video ?? true;
      // The ICE servers must be known before the first peer connection: fetch them while the
      // devices open, and join only once both are done.
      const [media] = await Promise.all([
        openLocalMedia(this.#env.mediaDevices, wantAudio ? this.#audioConstraints : false, wantVideo ? this.#videoConstraints : false),
        this.#ice.load(),
      ]);
      if (generation !== this.#generation) {
        media.stream?.getTracks().forEach((t) => t.stop());
        throw ParleyError.disconnected('The call was left while joining');
      }
      this.#stream = media.stream;
      this.#mic = media.audio;
      this.#camera = media.video;
      this.#audioOn = media.audio !== undefined;
      this.#videoOn = media.video !== undefined;
      this.#issue = media.issue;
      this.#emitLocal();
      await this.#enter(generation);
    } catch (error) {
      const err = ParleyError.from(error);
      if (generation === this.#generation) {
        this.#generation++;
        this.#teardown();
        this.#releaseMedia();
        this.#setState('left');
      }
      throw err;
    }
  }

  /** Joins on the server, checks the cap, builds the topology and applies the latest presence. */
  async #enter(generation: number): Promise<void> {
    const joined = await this.#signalling.join({ audio: this.localMedia.audio, video: this.localMedia.video });
    if (generation !== this.#generation) {
      // Left (or restarted) meanwhile: do not stay in the call.
      void this.#signalling.leave().catch(() => undefined);
      throw ParleyError.disconnected('The call was left while joining');
    }
    this.#self = { participantId: joined.participantId, order: joined.order };
    const latest = this.#signalling.callState ?? this.#latest;
    if (latest) this.#latest = latest;
    if (this.#overCap(latest)) {
      this.#self = undefined;
      await this.#signalling.leave().catch(() => undefined);
      throw new ParleyError('CALL_FULL', `The call is full (${this.#maxParticipants} participants on this client)`);
    }
    const self = this.#self;
    this.#topology = this.#topologyFactory({
      self,
      environment: this.#env,
      clock: this.#clock,
      iceServers: this.#ice.servers ?? [],
      iceTransportPolicy: this.#policy,
      recovery: this.#recovery,
      localTracks: () => this.#localTracks(),
      send: (to, payload) => this.#signalling.signal(to, payload),
      listener: this.#topologyListener(generation),
    });
    if (this.#screen) this.#signalling.setMedia({ screen: true });
    this.#setState('joined');
    if (this.#latest) this.#applySnapshot(this.#latest);
    const early = this.#early.splice(0);
    for (const s of early) if (s.to === self.participantId) this.#topology.handleSignal(s);
  }

  #overCap(snapshot: CallSnapshot | undefined): boolean {
    if (!snapshot || !this.#self) return false;
    const ahead = snapshot.participants.filter((p) => p.order < this.#self!.order).length;
    return ahead >= this.#maxParticipants;
  }

  #listen(): void {
    this.#unsubscribe.forEach((u) => u());
    this.#unsubscribe = [
      this.#signalling.onCallState((s) => this.#onSnapshot(s)),
      this.#signalling.onSignal((s) => this.#onSignal(s)),
      this.#env.onNetworkChange(() => this.#topology?.restartIce()),
    ];
  }

  #onSnapshot(snapshot: CallSnapshot): void {
    this.#latest = snapshot;
    if (this.#state !== 'joined' || !this.#self) return;
    const selfId = this.#self.participantId;
    if (!snapshot.participants.some((p) => p.id === selfId)) {
      // The server dropped us (our chat connection was lost): join again.
      void this.#rejoin();
      return;
    }
    this.#applySnapshot(snapshot);
  }

  #onSignal(signal: IncomingSignal): void {
    if (this.#state === 'joined' && this.#topology && this.#self) {
      if (signal.to === this.#self.participantId) this.#topology.handleSignal(signal);
      return;
    }
    if (this.#state === 'joining' || this.#state === 'rejoining') {
      // An offer may arrive between our join's RECEIPT and the topology: keep it for a moment.
      if (this.#early.length >= MAX_EARLY_SIGNALS) this.#early.shift();
      this.#early.push(signal);
    }
  }

  #applySnapshot(snapshot: CallSnapshot): void {
    const selfId = this.#self?.participantId;
    const others = snapshot.participants.filter((p) => p.id !== selfId);
    const present = new Set(others.map((p) => p.id));
    const joined: RemoteEntry[] = [];
    const changed: RemoteEntry[] = [];
    for (const info of others) {
      const e = this.#remotes.get(info.id);
      if (!e) {
        const entry: RemoteEntry = { info, stream: undefined, state: 'new' };
        this.#remotes.set(info.id, entry);
        joined.push(entry);
      } else {
        const before = e.info;
        e.info = info;
        if (before.audio !== info.audio || before.video !== info.video || before.screen !== info.screen) changed.push(e);
      }
    }
    const left = [...this.#remotes.values()].filter((e) => !present.has(e.info.id));
    // The topology closes the links of those who left (reporting their tracks removed) first.
    this.#topology?.updateParticipants(others);
    for (const e of left) {
      this.#remotes.delete(e.info.id);
      this.emit('participantLeft', this.#view(e));
    }
    for (const e of joined) this.emit('participantJoined', this.#view(e));
    for (const e of changed) this.emit('muteChanged', this.#view(e));
  }

  #topologyListener(generation: number): TopologyListener {
    const live = (): boolean => generation === this.#generation;
    return {
      trackAdded: (id, track, stream) => {
        if (!live()) return;
        const e = this.#remotes.get(id);
        if (e && stream) e.stream = stream;
        this.emit('trackAdded', id, track, stream);
      },
      // Reported even while closing: a view must drop the track whatever comes next.
      trackRemoved: (id, track) => this.emit('trackRemoved', id, track),
      peerStateChanged: (id, state) => {
        if (!live()) return;
        const e = this.#remotes.get(id);
        if (e) e.state = state;
        this.emit('peerStateChanged', id, state);
      },
      iceError: (id, code, url) => {
        if (!live()) return;
        this.emit('iceError', id, code, url);
        // 401 from TURN: our credentials may have expired (a laptop that slept past `ttl`).
        // Fetch new ones and restart ICE, at most once a minute.
        const now = this.#clock.now();
        if (code === 401 && now - this.#lastForcedIceRefresh >= 60_000) {
          this.#lastForcedIceRefresh = now;
          void this.#ice.refreshNow();
        }
      },
      needsRejoin: () => {
        if (live()) void this.#rejoin();
      },
      negotiationNote: (id, note) => {
        if (live()) this.emit('negotiation', id, note);
      },
      warning: () => undefined,
    };
  }

  /** Leaves and joins again as a newcomer (new participant id, fresh connections to everyone). */
  async #rejoin(): Promise<void> {
    if (this.#state !== 'joined') return;
    const now = this.#clock.now();
    this.#rejoins = this.#rejoins.filter((t) => now - t < this.#rejoinWindowMs);
    if (this.#rejoins.length >= this.#maxRejoins) {
      this.emit('error', new ParleyError('UNAVAILABLE', `The call could not be recovered after ${this.#maxRejoins} re-joins`));
      await this.leave();
      return;
    }
    this.#rejoins.push(now);
    const generation = ++this.#generation;
    this.#setState('rejoining');
    this.#closeTopology();
    this.#early = [];
    await this.#signalling.leave().catch(() => undefined);
    for (let attempt = 0; ; attempt++) {
      if (generation !== this.#generation) return;
      try {
        await this.#enter(generation);
        return;
      } catch (error) {
        if (generation !== this.#generation) return;
        const err = ParleyError.from(error);
        if (!TRANSIENT.has(err.code) || attempt >= 8) {
          this.emit('error', err);
          this.#generation++;
          this.#teardown();
          this.#releaseMedia();
          this.#setState('left');
          return;
        }
        // The chat connection may be coming back: wait and try again.
        await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, Math.min(500 * 2 ** attempt, 5000)));
      }
    }
  }

  // ---- local media ----

  #localTracks(): LocalTracks {
    return {
      audio: this.#mic,
      video: this.#screen ?? (this.#videoOn ? this.#camera : undefined),
      stream: this.#stream,
    };
  }

  /** Makes `track` our microphone or camera, stopping the one it replaces. */
  #adoptTrack(kind: 'audio' | 'video', track: MediaStreamTrack): void {
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

  #publishFlags(): void {
    const m = this.localMedia;
    if (this.#state === 'joined') this.#signalling.setMedia({ audio: m.audio, video: m.video, screen: m.screen });
    this.#emitLocal();
  }

  #emitLocal(): void {
    this.emit('localMediaChanged', this.localMedia);
  }

  #releaseMedia(): void {
    for (const t of [this.#mic, this.#camera, this.#screen]) t?.stop();
    this.#mic = this.#camera = this.#screen = undefined;
    this.#stream = undefined;
    this.#audioOn = this.#videoOn = false;
  }

  // ---- teardown ----

  #closeTopology(): void {
    const topology = this.#topology;
    this.#topology = undefined;
    topology?.close();
    for (const e of [...this.#remotes.values()]) {
      this.#remotes.delete(e.info.id);
      this.emit('participantLeft', this.#view(e));
    }
    this.#self = undefined;
  }

  #teardown(): void {
    this.#closeTopology();
    this.#ice.stop();
    this.#unsubscribe.forEach((u) => u());
    this.#unsubscribe = [];
    this.#early = [];
    this.#latest = undefined;
  }

  #setState(next: CallState): void {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    this.emit('stateChanged', next, previous);
  }

  #view(e: RemoteEntry): CallParticipant {
    return { ...e.info, stream: e.stream, connectionState: e.state };
  }
}

import { StateHolder } from '../connection-state.js';
import { ParleyError } from '../errors.js';
import { TypedEmitter } from '../events.js';
import type { Unsubscribe } from '../events.js';
import type { Clock } from '../types.js';
import type { CallEvents, CallParticipant, LocalMedia } from './call-events.js';
import { CallPeers } from './call-peers.js';
import type { CallSignalling } from './call-signalling.js';
import type { CallTopology, CallTopologyFactory, IceRecoveryPolicy } from './call-topology.js';
import { DEFAULT_RECOVERY, globalClock } from './call-options.js';
import type { CallJoinOptions, CallSessionOptions } from './call-options.js';
import { IceServerManager } from './ice-servers.js';
import { LocalMediaController } from './local-media-controller.js';
import { MeshTopology } from './mesh-topology.js';
import { DefaultCallRejoinPolicy } from './rejoin-policy.js';
import type { CallRejoinPolicy } from './rejoin-policy.js';
import type { CallJoinResult, CallSnapshot, CallState, IncomingSignal } from './types.js';
import { browserEnvironment } from './webrtc-environment.js';
import type { WebRtcEnvironment } from './webrtc-environment.js';

export type { CallJoinOptions, CallSessionOptions } from './call-options.js';

/** How many re-join start times a session remembers for its policy. */
const REJOIN_HISTORY = 32;

/**
 * A WebRTC call in one room: join and leave, publish the camera and microphone, mute, switch
 * devices, share the screen, and follow the other participants' media.
 *
 * Behind the scenes: ICE servers are fetched before the first peer connection and refreshed
 * before the TURN credentials expire; peers negotiate with perfect negotiation (roles from the
 * server's join order); a failed connection restarts ICE, and when that fails the session leaves
 * and joins again. A network change restarts ICE everywhere. If our participant disappears from
 * the call (the chat connection dropped and came back) the session joins again by itself, as its
 * `rejoinPolicy` allows.
 *
 * The session runs the lifecycle; its devices are a {@link LocalMediaController} and the other
 * participants a {@link CallPeers}.
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
  readonly #recovery: IceRecoveryPolicy;
  readonly #rejoinPolicy: CallRejoinPolicy;
  readonly #ice: IceServerManager;
  readonly #media: LocalMediaController;
  readonly #peers: CallPeers;
  readonly #state = new StateHolder<CallState>('idle', (next, previous) => this.emit('stateChanged', next, previous));

  #generation = 0;
  #self: CallJoinResult | undefined;
  #latest: CallSnapshot | undefined;
  #unsubscribe: Unsubscribe[] = [];
  #rejoins: number[] = [];
  #joining: Promise<void> | undefined;

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
    this.#recovery = { ...DEFAULT_RECOVERY, ...options.recovery };
    this.#rejoinPolicy = options.rejoinPolicy ?? new DefaultCallRejoinPolicy({ maxRejoins: options.maxRejoins, windowMs: options.rejoinWindowMs });
    const fetchIce = options.iceServers ?? (() => this.#signalling.iceServers());
    this.#ice = new IceServerManager({
      fetch: fetchIce,
      clock: this.#clock,
      ...(options.iceRefreshFraction !== undefined ? { refreshFraction: options.iceRefreshFraction } : {}),
      onRefresh: (servers) => this.#topology?.setIceServers(servers),
      onError: (error) => this.emit('error', ParleyError.from(error)),
    });
    this.#media = new LocalMediaController(this.#env.mediaDevices, options.audioConstraints ?? true, options.videoConstraints ?? true, {
      publish: (kind, track) => this.#topology?.setLocalTrack(kind, track),
      changed: (flags) => {
        const m = this.localMedia;
        if (flags && this.state === 'joined') this.#signalling.setMedia({ audio: m.audio, video: m.video, screen: m.screen });
        this.emit('localMediaChanged', m);
      },
    });
    this.#peers = new CallPeers((event, ...args) => this.emit(event, ...args), this.#clock, () => void this.#ice.refreshNow());
  }

  /** The session's state; changes are reported by `stateChanged`. */
  get state(): CallState {
    return this.#state.state;
  }

  /** Our participant id and join order (`order`: higher = later joiner = polite) while joined. */
  get self(): CallJoinResult | undefined {
    return this.#self;
  }

  /** The other participants, in join order. */
  get participants(): readonly CallParticipant[] {
    return this.#peers.participants;
  }

  /** What we publish. */
  get localMedia(): LocalMedia {
    return this.#media.view;
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
    if (this.state === 'joined' || this.state === 'rejoining') return Promise.resolve();
    const generation = ++this.#generation;
    this.#state.set('joining');
    this.#listen();
    const p = this.#firstJoin(generation, options).finally(() => {
      this.#joining = undefined;
    });
    this.#joining = p;
    return p;
  }

  /** Leaves the call: closes every connection, releases the devices, tells the server. */
  async leave(): Promise<void> {
    if (this.state === 'idle' || this.state === 'left') return;
    this.#end();
    await this.#signalling.leave().catch(() => undefined);
  }

  /**
   * Turns the microphone on or off (mute keeps the device open: unmuting is instant).
   * @param enabled - on or off
   * @throws rejects with the `getUserMedia` error when turning on a microphone that cannot be opened
   */
  setMicrophoneEnabled(enabled: boolean): Promise<void> {
    return this.#media.setMicrophone(enabled);
  }

  /**
   * Turns the camera on or off. Off releases the camera (its light goes out) and sends no video.
   * @param enabled - on or off
   * @throws rejects with the `getUserMedia` error when the camera cannot be opened
   */
  setCameraEnabled(enabled: boolean): Promise<void> {
    return this.#media.setCamera(enabled);
  }

  /**
   * Switches the microphone or camera to another device (`enumerateDevices`), without renegotiation.
   * @param kind - `audioinput` or `videoinput`
   * @param deviceId - from {@link CallSession.devices}
   */
  async switchDevice(kind: 'audioinput' | 'videoinput', deviceId: string): Promise<void> {
    if (typeof deviceId !== 'string' || deviceId === '') throw new TypeError('switchDevice: deviceId must be a non-empty string');
    return this.#media.switchDevice(kind, deviceId);
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
  startScreenShare(): Promise<void> {
    return this.#media.startScreenShare();
  }

  /** Stops sharing the screen; the camera comes back if it is on. */
  stopScreenShare(): Promise<void> {
    return this.#media.stopScreenShare();
  }

  /**
   * `getStats()` of the connection carrying a participant's media (for diagnostics and tests:
   * `inbound-rtp` `framesDecoded`, the selected candidate pair…).
   * @param participantId - a participant's id
   */
  getStats(participantId: string): Promise<RTCStatsReport | undefined> {
    return this.#topology?.getStats(participantId) ?? Promise.resolve(undefined);
  }

  get #topology(): CallTopology | undefined {
    return this.#peers.topology;
  }

  // ---- joining ----

  async #firstJoin(generation: number, options: CallJoinOptions): Promise<void> {
    try {
      // The ICE servers must be known before the first peer connection: fetch them while the
      // devices open, and join only once both are done.
      const [media] = await Promise.all([
        this.#media.open(options.audio ?? true, options.video ?? true),
        this.#ice.load(),
      ]);
      if (generation !== this.#generation) {
        media.stream?.getTracks().forEach((t) => t.stop());
        throw ParleyError.disconnected('The call was left while joining');
      }
      this.#media.adopt(media);
      await this.#enter(generation);
    } catch (error) {
      if (generation === this.#generation) this.#end();
      throw ParleyError.from(error);
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
    const self: CallJoinResult = { participantId: joined.participantId, order: joined.order };
    const latest = this.#signalling.callState ?? this.#latest;
    if (latest) this.#latest = latest;
    if (latest && latest.participants.filter((p) => p.order < self.order).length >= this.#maxParticipants) {
      await this.#signalling.leave().catch(() => undefined);
      throw new ParleyError('CALL_FULL', `The call is full (${this.#maxParticipants} participants on this client)`);
    }
    this.#self = self;
    const topology = this.#topologyFactory({
      self,
      environment: this.#env,
      clock: this.#clock,
      iceServers: this.#ice.servers ?? [],
      iceTransportPolicy: this.#policy,
      recovery: this.#recovery,
      localTracks: () => this.#media.tracks,
      send: (to, payload) => this.#signalling.signal(to, payload),
      listener: this.#peers.listener(
        () => generation === this.#generation,
        () => void this.#rejoin(),
      ),
    });
    if (this.localMedia.screen) this.#signalling.setMedia({ screen: true });
    this.#state.set('joined');
    this.#peers.start(self.participantId, topology, this.#latest);
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
    const self = this.#self;
    if (this.state !== 'joined' || !self) return;
    // The server dropped us (our chat connection was lost): join again.
    if (!snapshot.participants.some((p) => p.id === self.participantId)) void this.#rejoin();
    else this.#peers.apply(snapshot);
  }

  #onSignal(signal: IncomingSignal): void {
    const state = this.state;
    this.#peers.signal(signal, state === 'joining' || state === 'rejoining');
  }

  /** Leaves and joins again as a newcomer (new participant id, fresh connections to everyone), as the policy allows. */
  async #rejoin(): Promise<void> {
    if (this.state !== 'joined') return;
    const ask = (attempt: number, lastError?: ParleyError): number | null =>
      this.#rejoinPolicy.nextRejoinDelayMs({ attempt, previousRejoins: [...this.#rejoins], now: this.#clock.now(), ...(lastError ? { lastError } : {}) });
    let delay = ask(0);
    if (delay === null) {
      this.emit('error', new ParleyError('UNAVAILABLE', 'The call could not be recovered'));
      await this.leave();
      return;
    }
    this.#rejoins = [...this.#rejoins, this.#clock.now()].slice(-REJOIN_HISTORY);
    const generation = ++this.#generation;
    this.#state.set('rejoining');
    this.#closePeers();
    await this.#signalling.leave().catch(() => undefined);
    for (let attempt = 1; ; attempt++) {
      // The chat connection may be coming back: wait as the policy says, then try again.
      if (delay > 0) await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, delay!));
      if (generation !== this.#generation) return;
      try {
        await this.#enter(generation);
        return;
      } catch (error) {
        if (generation !== this.#generation) return;
        const err = ParleyError.from(error);
        delay = ask(attempt, err);
        if (delay === null) {
          this.emit('error', err);
          this.#end();
          return;
        }
      }
    }
  }

  // ---- teardown ----

  #closePeers(): void {
    this.#peers.close();
    this.#self = undefined;
  }

  /** Ends the session's part in the call (left, refused, or given up): everything but telling the server. */
  #end(): void {
    this.#generation++;
    this.#closePeers();
    this.#ice.stop();
    this.#unsubscribe.forEach((u) => u());
    this.#unsubscribe = [];
    this.#latest = undefined;
    this.#media.release();
    this.#state.set('left');
  }
}

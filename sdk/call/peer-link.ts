import type { Clock } from '../types.js';
import type { IceRecoveryPolicy, LocalTracks } from './call-topology.js';
import type { NegotiationNote } from './negotiation.js';
import { PeerNegotiator } from './peer-negotiator.js';
import type { IceCandidateInit, SignalPayload } from './types.js';
import type { PeerConnectionLike } from './webrtc-environment.js';

/** Options of {@link PeerLink}. */
export interface PeerLinkOptions {
  readonly remoteId: string;
  /** We joined after the remote participant. */
  readonly polite: boolean;
  /** We create the first offer (the newcomer offers to those already present). */
  readonly offerer: boolean;
  readonly pc: PeerConnectionLike;
  readonly clock: Clock;
  readonly recovery: IceRecoveryPolicy;
  readonly local: LocalTracks;
  send(payload: SignalPayload): void;
  onTrack(track: MediaStreamTrack, stream: MediaStream | undefined): void;
  onTrackRemoved(track: MediaStreamTrack): void;
  onState(state: RTCPeerConnectionState): void;
  onIceError(errorCode: number, url: string): void;
  /** ICE restarts did not bring the connection back. */
  onGiveUp(): void;
  onWarning(error: unknown): void;
  onNote(note: NegotiationNote): void;
}

const KINDS = ['audio', 'video'] as const;

/**
 * The mesh's connection to one participant: a peer connection, its {@link PeerNegotiator}, the
 * senders of our tracks, the remote tracks, and ICE recovery (restart on `failed`, on a
 * `disconnected` that lasts, or when a restart times out; give up after `maxIceRestarts`).
 */
export class PeerLink {
  readonly remoteId: string;
  readonly pc: PeerConnectionLike;
  readonly negotiator: PeerNegotiator;
  readonly #options: PeerLinkOptions;
  readonly #senders = new Map<'audio' | 'video', RTCRtpSender>();
  readonly #remoteTracks = new Set<MediaStreamTrack>();
  #restarts = 0;
  #timer: unknown;
  #closed = false;
  #everConnected = false;

  /** @param options - see {@link PeerLinkOptions} */
  constructor(options: PeerLinkOptions) {
    this.#options = options;
    this.remoteId = options.remoteId;
    const pc = (this.pc = options.pc);
    this.negotiator = new PeerNegotiator({
      pc,
      polite: options.polite,
      send: (payload) => options.send(payload),
      onError: (error) => options.onWarning(error),
      onNote: (note) => options.onNote(note),
    });
    pc.onnegotiationneeded = () => void this.negotiator.negotiationNeeded();
    pc.onicecandidate = (event) => {
      if (event.candidate) options.send({ candidate: event.candidate.toJSON() as IceCandidateInit });
    };
    pc.ontrack = (event) => this.#onTrack(event);
    pc.onconnectionstatechange = () => this.#onState();
    pc.onicecandidateerror = (event) => {
      const e = event as RTCPeerConnectionIceErrorEvent;
      options.onIceError(e.errorCode, e.url);
    };
    // Our tracks go in before any description: on an incoming offer, SRD pairs them with the
    // offer's m-lines (JSEP 5.10), so the first answer already sends them.
    const { audio, video, stream } = options.local;
    for (const kind of KINDS) {
      const track = kind === 'audio' ? audio : video;
      if (track) this.#senders.set(kind, stream ? pc.addTrack(track, stream) : pc.addTrack(track));
      // The offerer asks for the remote media even when it sends none of that kind.
      else if (options.offerer) pc.addTransceiver(kind, { direction: 'recvonly' });
    }
    this.#arm(options.recovery.connectTimeoutMs);
  }

  /** Connection state. */
  get state(): RTCPeerConnectionState {
    return this.pc.connectionState;
  }

  /** Remote tracks received so far. */
  get remoteTracks(): readonly MediaStreamTrack[] {
    return [...this.#remoteTracks];
  }

  /**
   * A signal from the remote participant.
   * @param payload - description and/or candidate
   */
  receive(payload: SignalPayload): Promise<void> {
    return this.negotiator.receive(payload);
  }

  /**
   * Publishes `track` as our `kind` (replaceTrack: no renegotiation), or adds a sender when
   * there is none yet (renegotiation follows through `negotiationneeded`).
   */
  async setTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null, stream: MediaStream | undefined): Promise<void> {
    if (this.#closed) return;
    const sender = this.#senders.get(kind);
    if (sender) {
      await sender.replaceTrack(track);
      return;
    }
    if (!track) return;
    this.#senders.set(kind, stream ? this.pc.addTrack(track, stream) : this.pc.addTrack(track));
  }

  /**
   * Applies a new configuration (fresh ICE servers) and restarts ICE so the new TURN
   * credentials are used for the allocations.
   */
  reconfigure(config: RTCConfiguration): void {
    if (this.#closed) return;
    try {
      this.pc.setConfiguration({ ...this.pc.getConfiguration(), ...config });
    } catch (error) {
      this.#options.onWarning(error);
    }
    void this.negotiator.restartIce();
  }

  /** Restarts ICE now (network change); does not count against `maxIceRestarts`. */
  restartIce(): void {
    if (this.#closed) return;
    void this.negotiator.restartIce();
    this.#arm(this.#options.recovery.iceRestartTimeoutMs);
  }

  /** Closes the connection and reports its remote tracks as removed. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#options.clock.clearTimeout(this.#timer);
    const pc = this.pc;
    pc.onnegotiationneeded = pc.onicecandidate = pc.ontrack = pc.onconnectionstatechange = pc.onicecandidateerror = null;
    void this.negotiator.close();
    for (const t of this.#remoteTracks) this.#options.onTrackRemoved(t);
    this.#remoteTracks.clear();
  }

  #onTrack(event: RTCTrackEvent): void {
    const { track } = event;
    if (this.#remoteTracks.has(track)) return;
    this.#remoteTracks.add(track);
    this.#options.onTrack(track, event.streams[0]);
    track.addEventListener('ended', () => {
      if (this.#remoteTracks.delete(track)) this.#options.onTrackRemoved(track);
    });
  }

  #onState(): void {
    if (this.#closed) return;
    const state = this.pc.connectionState;
    this.#options.onState(state);
    const { clock, recovery } = this.#options;
    switch (state) {
      case 'connected':
        this.#everConnected = true;
        this.#restarts = 0;
        clock.clearTimeout(this.#timer);
        this.#timer = undefined;
        break;
      case 'failed':
        this.#recover();
        break;
      case 'disconnected':
        // Often transient (a lost packet burst, a Wi-Fi roam): give ICE a moment on its own.
        this.#arm(recovery.disconnectedGraceMs);
        break;
      default:
        break;
    }
  }

  /** Arms the one recovery timer: when it fires and we are not connected, recover. */
  #arm(ms: number): void {
    const { clock } = this.#options;
    clock.clearTimeout(this.#timer);
    this.#timer = clock.setTimeout(() => {
      this.#timer = undefined;
      if (!this.#closed && this.pc.connectionState !== 'connected') this.#recover();
    }, ms);
  }

  #recover(): void {
    if (this.#closed) return;
    const { recovery } = this.#options;
    if (this.#restarts >= recovery.maxIceRestarts) {
      this.#options.clock.clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#options.onGiveUp();
      return;
    }
    this.#restarts++;
    void this.negotiator.restartIce();
    this.#arm(recovery.iceRestartTimeoutMs);
  }

  /** Whether the connection was ever up (diagnostics). */
  get everConnected(): boolean {
    return this.#everConnected;
  }
}

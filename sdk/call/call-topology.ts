import type { Clock } from '../types.js';
import type { NegotiationNote } from './negotiation.js';
import type { CallJoinResult, CallParticipantInfo, IceServerEntry, IncomingSignal, SignalPayload } from './types.js';
import type { WebRtcEnvironment } from './webrtc-environment.js';

/** Tunables of ICE recovery, shared by topologies. */
export interface IceRecoveryPolicy {
  /** ICE restarts per peer before asking for a full re-join. Default 2. */
  readonly maxIceRestarts: number;
  /** Time a restart has to reach `connected`, ms. Default 15 000. */
  readonly iceRestartTimeoutMs: number;
  /** Time `disconnected` may last before a restart, ms. Default 4 000. */
  readonly disconnectedGraceMs: number;
  /** Time a new peer connection has to reach `connected` before recovery starts, ms. Default 30 000. */
  readonly connectTimeoutMs: number;
}

/** The media we publish. */
export interface LocalTracks {
  /** The microphone track (muted tracks are still sent, disabled). */
  readonly audio: MediaStreamTrack | undefined;
  /** The camera or screen track the video sender carries. */
  readonly video: MediaStreamTrack | undefined;
  /** The stream the tracks are announced in (msid). */
  readonly stream: MediaStream | undefined;
}

/** What a topology reports to its {@link CallSession}. */
export interface TopologyListener {
  /** A remote track arrived. */
  trackAdded(participantId: string, track: MediaStreamTrack, stream: MediaStream | undefined): void;
  /** A remote track is gone (also for each track of a closed connection). */
  trackRemoved(participantId: string, track: MediaStreamTrack): void;
  /** The connection carrying a participant's media changed state. */
  peerStateChanged(participantId: string, state: RTCPeerConnectionState): void;
  /** A TURN/STUN server refused us (e.g. 401 for a bad credential). */
  iceError(participantId: string, errorCode: number, url: string): void;
  /** Recovery by ICE restart failed: the session should leave and join again. */
  needsRejoin(participantId: string): void;
  /** Perfect negotiation resolved a collision, deferred or buffered something (diagnostics). */
  negotiationNote(participantId: string, note: NegotiationNote): void;
  /** A non-fatal problem, for diagnostics. */
  warning(error: unknown): void;
}

/** Everything a topology gets from the session. */
export interface CallTopologyContext {
  /** Our participant id and order in this join. */
  readonly self: CallJoinResult;
  /** Peer connections, devices, network changes. */
  readonly environment: WebRtcEnvironment;
  /** Timers. */
  readonly clock: Clock;
  /** ICE servers loaded before the topology exists; see {@link CallTopology.setIceServers}. */
  readonly iceServers: readonly IceServerEntry[];
  /** `relay` forces TURN. */
  readonly iceTransportPolicy: RTCIceTransportPolicy;
  /** ICE recovery tunables. */
  readonly recovery: IceRecoveryPolicy;
  /** What we publish right now. */
  localTracks(): LocalTracks;
  /** Sends a signal to a participant. */
  send(to: string, payload: SignalPayload): void;
  /** Where the topology reports tracks, states and failures. */
  readonly listener: TopologyListener;
}

/**
 * How media flows between the participants of one join. The mesh (`MeshTopology`) opens a
 * peer connection to every other participant; an SFU topology would open one to a media server
 * and use the same signalling. The session owns devices, presence, ICE servers and re-joins.
 */
export interface CallTopology {
  /** `mesh`, or `sfu` later. */
  readonly kind: string;
  /**
   * The other participants changed (ours excluded).
   * @param others - everyone in the call but us, in join order
   */
  updateParticipants(others: readonly CallParticipantInfo[]): void;
  /** A signal addressed to us. */
  handleSignal(signal: IncomingSignal): void;
  /**
   * Publishes a track of one kind, replacing the current one (`null` stops sending it).
   * @param kind - audio or video
   * @param track - the new track
   */
  setLocalTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void>;
  /** New ICE servers (fresh TURN credentials): reconfigure and restart ICE. */
  setIceServers(servers: readonly IceServerEntry[]): void;
  /** Restarts ICE on every connection (network change). */
  restartIce(): void;
  /** Connection state towards a participant. */
  peerState(participantId: string): RTCPeerConnectionState | undefined;
  /** `getStats()` of the connection carrying a participant's media. */
  getStats(participantId: string): Promise<RTCStatsReport | undefined>;
  /** Closes every connection. */
  close(): void;
}

/** Builds a topology for one join. */
export type CallTopologyFactory = (context: CallTopologyContext) => CallTopology;

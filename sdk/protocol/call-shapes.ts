import type { User } from './shapes.js';

/** JSON shapes of call signalling (`docs/protocol.md` §6) and of `GET /api/ice-servers`. */

/** What a participant publishes, as the server announces it (`docs/protocol.md` §6). */
export interface MediaFlags {
  /** Microphone on (published and not muted). */
  readonly audio: boolean;
  /** Camera on (published and not turned off). */
  readonly video: boolean;
  /** The video sender carries a screen instead of the camera. */
  readonly screen: boolean;
}

/** One participant of a call, as the server announces it. A reload is a new participant. */
export interface CallParticipantInfo extends MediaFlags {
  /** Opaque, server-assigned id, one per session and join. */
  readonly id: string;
  /** Who. */
  readonly user: User;
  /** Join order: of two participants, the higher order (later joiner) is the polite peer. */
  readonly order: number;
}

/** Call presence of a room (`x-type: call` on the room topic): the whole list on every change. */
export interface CallSnapshot {
  /** The room. */
  readonly roomId: number;
  /** Everyone in the call, in join order. */
  readonly participants: readonly CallParticipantInfo[];
  /** The server's cap (`CALL_MAX_PARTICIPANTS`). */
  readonly maxParticipants: number;
}

/** The serialisable form of an ICE candidate (`RTCIceCandidate.toJSON()`). */
export interface IceCandidateInit {
  /** The `candidate:` line. */
  readonly candidate?: string;
  /** Media section id it belongs to. */
  readonly sdpMid?: string | null;
  /** Index of that media section. */
  readonly sdpMLineIndex?: number | null;
  /** ICE ufrag of the generation it belongs to (changes on each ICE restart). */
  readonly usernameFragment?: string | null;
}

/** An SDP offer or answer as sent over the wire. */
export interface SessionDescriptionInit {
  /** Only `offer` and `answer` travel between peers. */
  readonly type: 'offer' | 'answer' | 'pranswer' | 'rollback';
  /** The SDP text. */
  readonly sdp?: string;
}

/** What one peer sends another through `/app/rooms/{id}/signal`. */
export interface SignalPayload {
  /** An offer or answer. */
  readonly description?: SessionDescriptionInit;
  /** A trickled ICE candidate. */
  readonly candidate?: IceCandidateInit | null;
  /** Application-defined marker (unused by the mesh). */
  readonly kind?: string;
}

/** A signal delivered on `/user/queue/signal`. */
export interface IncomingSignal extends SignalPayload {
  /** The room of the call. */
  readonly roomId: number;
  /** Sender's participant id. */
  readonly from: string;
  /** Sender's user. */
  readonly fromUser: User;
  /** Addressee's participant id (ours, unless stale). */
  readonly to: string;
}

/** One entry of `GET /api/ice-servers`. */
export interface IceServerEntry {
  /** `stun:`, `turn:` or `turns:` URLs. */
  readonly urls: string | readonly string[];
  /** TURN username: `<expiry unix seconds>:<userId>`. */
  readonly username?: string;
  /** TURN credential: `base64(HMAC-SHA1(TURN_SECRET, username))`. */
  readonly credential?: string;
}

/** The answer of `GET /api/ice-servers`. */
export interface IceServersResponse {
  /** Lifetime of the TURN credentials, seconds. */
  readonly ttl: number;
  /** STUN entry and, when configured, a TURN entry with short-lived credentials. */
  readonly iceServers: readonly IceServerEntry[];
}

import type { Unsubscribe } from '../events.js';
import type { CallJoinResult, CallSnapshot, IceServersResponse, IncomingSignal, MediaFlags, SignalPayload } from './types.js';

/**
 * Everything the call layer needs from the chat connection: the `/app/rooms/{id}/call/*` and
 * `/signal` destinations, call presence and signals, and `GET /api/ice-servers`
 * (`docs/protocol.md` §6). `room.call()` implements it on the SDK's STOMP connection; a test or
 * another transport can implement it directly.
 */
export interface CallSignalling {
  /**
   * Joins the call of the room with what we publish. Resolves with our participant id and order
   * (the RECEIPT's `x-participant-id`/`x-order`); rejects with a `ParleyError` (`CALL_FULL`,
   * `NOT_MEMBER`, `DISCONNECTED`, `TIMEOUT`…). Waits for the room to be joined on the current connection.
   */
  join(media: Pick<MediaFlags, 'audio' | 'video'>): Promise<CallJoinResult>;
  /** Leaves the call (best effort: resolves even when already out of it). */
  leave(): Promise<void>;
  /** Updates what we publish (for the other participants' mute marks). Best effort. */
  setMedia(media: Partial<MediaFlags>): void;
  /** Sends a signal to one participant. Best effort: dropped while disconnected. */
  signal(to: string, payload: SignalPayload): void;
  /** Call presence of the room: called with every new snapshot. */
  onCallState(listener: (snapshot: CallSnapshot) => void): Unsubscribe;
  /** Signals addressed to us in this room. */
  onSignal(listener: (signal: IncomingSignal) => void): Unsubscribe;
  /** The latest call presence, if any arrived yet. */
  readonly callState: CallSnapshot | undefined;
  /** `GET /api/ice-servers`. */
  iceServers(): Promise<IceServersResponse>;
}

import type { IncomingSignal } from './call/types.js';
import type { ParleyError } from './errors.js';
import type { Unsubscribe } from './events.js';
import type { HttpMethod } from './http.js';
import type { RoomHandle } from './room-handle.js';
import type { Clock } from './types.js';

/** What a {@link RoomHandle} needs from its client. @internal */
export interface RoomHost {
  readonly clock: Clock;
  readonly requestTimeoutMs: number;
  readonly maxQueuedMessages: number;
  readonly maxMessagesInMemory: number;
  readonly typingRefreshMs: number;
  /** How long after `send()` a refusal that asks to wait is still retried, in ms. */
  readonly sendRetryTimeoutMs: number;
  newId(): string;
  userId(): string | undefined;
  rest<T>(method: HttpMethod, path: string, body: unknown, auth: true): Promise<T>;
  reportError(error: ParleyError): void;
  /** Drop the connection and reconnect (a rejoin that cannot complete on this connection). */
  recycle(error: ParleyError): void;
  forget(room: RoomHandle): void;
  /** Signals addressed to this client for one room (`/user/queue/signal`). */
  watchSignals(roomId: number, listener: (signal: IncomingSignal) => void): Unsubscribe;
}

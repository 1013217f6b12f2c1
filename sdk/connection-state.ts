/**
 * State of a {@link ChatClient}'s connection.
 *
 * - `connecting`: the first connection is being established.
 * - `connected`: STOMP is up.
 * - `reconnecting`: the connection was lost; the SDK retries per its {@link ReconnectPolicy}.
 * - `disconnected`: not connected and not retrying (before `connect`, after `disconnect`, or when the policy gave up).
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/**
 * Holds a lifecycle state (a string union); the only place it changes. `set` reports every real
 * change (never a change to the same state) to the callback given at construction, if any.
 * Used for the client's {@link ConnectionState}, a room's `RoomState` and a call's `CallState`.
 * @internal
 */
export class StateHolder<S extends string> {
  #current: S;

  readonly #onChange: ((next: S, previous: S) => void) | undefined;

  /**
   * @param initial - the first state
   * @param onChange - called with (next, previous) after each change
   */
  constructor(initial: S, onChange?: (next: S, previous: S) => void) {
    this.#current = initial;
    this.#onChange = onChange;
  }

  /** The current state. */
  get state(): S {
    return this.#current;
  }

  /** Moves to `next` (reported only when it differs from the current state). */
  set(next: S): void {
    const previous = this.#current;
    if (previous === next) return;
    this.#current = next;
    this.#onChange?.(next, previous);
  }
}

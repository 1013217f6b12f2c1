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
 * Holds the connection state; the only place it changes. `set` reports every real change
 * (never a change to the same state) to the callback given at construction.
 * @internal
 */
export class ConnectionStateHolder {
  #current: ConnectionState = 'disconnected';

  readonly #onChange: (next: ConnectionState, previous: ConnectionState) => void;

  /** @param onChange - called with (next, previous) after each change */
  constructor(onChange: (next: ConnectionState, previous: ConnectionState) => void) {
    this.#onChange = onChange;
  }

  /** The current state. */
  get state(): ConnectionState {
    return this.#current;
  }

  /**
   * Moves to `next`.
   * @returns whether the state changed
   */
  set(next: ConnectionState): boolean {
    const previous = this.#current;
    if (previous === next) return false;
    this.#current = next;
    this.#onChange(next, previous);
    return true;
  }
}

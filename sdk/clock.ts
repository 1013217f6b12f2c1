/**
 * Time source and timers, injectable so tests can fake them.
 * Defaults to the global `setTimeout`/`clearTimeout` and `Date.now`.
 */
export interface Clock {
  /** Schedules `callback` once after `ms` milliseconds and returns a handle. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a handle returned by {@link Clock.setTimeout}. */
  clearTimeout(handle: unknown): void;
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The default clock: global timers and `Date.now`, looked up at call time (so fake timers apply). */
export const systemClock: Clock = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
  now: () => Date.now(),
};

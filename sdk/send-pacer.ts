import type { Clock } from './clock.js';

/** Sends of one room in flight at once while the server has not asked to wait. */
export const SEND_WINDOW = 8;
/** The wait after a refusal that names none (`UNAVAILABLE`, an older server's `RATE_LIMITED`), in ms. */
export const DEFAULT_RETRY_AFTER_MS = 1000;

/**
 * Paces a room's queue so a backlog never goes out faster than the server takes it (issue 11,
 * item 13): at most {@link SEND_WINDOW} sends in flight; after a refusal that asks to wait, none
 * until the wait is over, then one at a time, in order, until the queue has drained. A backlog
 * sent on a new connection also goes one at a time, so it is stored in send order. @internal
 */
export interface SendPacer {
  /** How many sends may be in flight now (0 while waiting). */
  window(): number;
  /**
   * The server asked to wait `retryAfterMs` (default {@link DEFAULT_RETRY_AFTER_MS}): unless already
   * waiting, waits that long plus up to a quarter more (jitter, so several rooms or devices of one
   * user do not come back together), then calls `resume`.
   * @returns this refusal's wait (with jitter), in ms
   */
  wait(retryAfterMs: number | undefined): number;
  /** The queue drained: the full window again. */
  idle(): void;
  /** Forgets the wait and its timer (the connection is gone); one at a time until the queue drains. */
  reset(): void;
}

/**
 * @param clock - timers and time
 * @param resume - called when a wait is over
 * @param random - jitter source in [0, 1)
 * @internal
 */
export function sendPacer(clock: Clock, resume: () => void, random: () => number = Math.random): SendPacer {
  let timer: unknown;
  let slow = false;
  return {
    window: () => (timer ? 0 : slow ? 1 : SEND_WINDOW),
    wait(retryAfterMs) {
      const ms = Math.ceil((retryAfterMs ?? DEFAULT_RETRY_AFTER_MS) * (1 + random() / 4));
      slow = true;
      timer ??= clock.setTimeout(() => {
        timer = undefined;
        resume();
      }, ms);
      return ms;
    },
    idle: () => void (slow = false),
    reset() {
      clock.clearTimeout(timer);
      timer = undefined;
      // A new connection's backlog (queued offline) may be past the server's burst: with more than
      // one in flight, a send after a refused one could be taken first, out of order.
      slow = true;
    },
  };
}

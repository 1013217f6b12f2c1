import { ParleyError } from './errors.js';
import type { ReconnectPolicy } from './reconnect-policy.js';
import type { Clock } from './types.js';

/** The reconnect loop of one client. @internal */
export interface ReconnectLoop {
  /** The connection was lost with `error`: start over (retry count 0, elapsed time from now). */
  start(error: ParleyError): void;
  /** Stops: clears the timer; an attempt in flight is no longer current. */
  stop(): void;
}

/**
 * Creates the reconnect loop: after a lost connection, it asks the policy for a delay (with the
 * retry count, the time since the loss and the last error), waits on the clock, attempts, and
 * starts over until an attempt succeeds, the policy returns `null` or `stop()` is called. There
 * is never more than one timer and never two attempts at once.
 * @param policy - the delays
 * @param clock - timers and time
 * @param tryOnce - one attempt: resolves once connected, rejects with why not; `current()` tells
 *   whether the loop still wants it (a `stop()` came meanwhile: close what was opened)
 * @param final - whether a failed attempt ends the loop at once (e.g. a static token was refused)
 * @param giveUp - the loop stopped for good with this error (policy said `null`, or a final error)
 * @internal
 */
export function reconnectLoop(
  policy: ReconnectPolicy,
  clock: Clock,
  tryOnce: (current: () => boolean) => Promise<void>,
  final: (error: ParleyError) => boolean,
  giveUp: (error: ParleyError) => void,
): ReconnectLoop {
  let epoch = 0;
  let running = false;
  let busy = false;
  let timer: unknown;
  let retryCount = 0;
  let lostAt = 0;

  const stop = (): void => {
    epoch++;
    running = busy = false;
    clock.clearTimeout(timer);
    timer = undefined;
  };

  const end = (error: ParleyError): void => {
    stop();
    giveUp(error);
  };

  const next = (lastError: ParleyError): void => {
    if (!running || busy || timer !== undefined) return;
    const delay = policy.nextRetryDelayInMs({ retryCount, elapsedMs: clock.now() - lostAt, lastError });
    if (delay === null) return end(lastError);
    const e = epoch;
    timer = clock.setTimeout(() => {
      timer = undefined;
      if (e === epoch) void attempt(e);
    }, Math.max(0, delay));
  };

  const attempt = async (e: number): Promise<void> => {
    busy = true;
    try {
      await tryOnce(() => e === epoch);
    } catch (error) {
      if (e !== epoch) return;
      busy = false;
      retryCount++;
      const err = ParleyError.from(error);
      if (final(err)) end(err);
      else next(err);
      return;
    }
    if (e === epoch) stop();
  };

  return {
    start(error) {
      stop();
      running = true;
      retryCount = 0;
      lostAt = clock.now();
      next(error);
    },
    stop,
  };
}

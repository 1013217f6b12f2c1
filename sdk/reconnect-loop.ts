import { ParleyError } from './errors.js';
import type { ReconnectPolicy } from './reconnect-policy.js';
import type { Clock } from './types.js';

/** What a {@link ReconnectLoop} runs. @internal */
export interface ReconnectLoopOptions {
  readonly policy: ReconnectPolicy;
  readonly clock: Clock;
  /**
   * One attempt: resolves once connected, rejects with why not. `current()` tells whether the
   * loop still wants this attempt (a `stop()` came meanwhile: close what was opened).
   */
  attempt(current: () => boolean): Promise<void>;
  /** Whether a failed attempt ends the loop at once (e.g. a static token was refused). */
  final(error: ParleyError): boolean;
  /** The loop stopped for good with this error (policy said `null`, or a final error). */
  giveUp(error: ParleyError): void;
}

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
 * @param options - see {@link ReconnectLoopOptions}
 * @internal
 */
export function reconnectLoop(options: ReconnectLoopOptions): ReconnectLoop {
  const { policy, clock } = options;
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
    options.giveUp(error);
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
      await options.attempt(() => e === epoch);
    } catch (error) {
      if (e !== epoch) return;
      busy = false;
      retryCount++;
      const err = ParleyError.from(error);
      if (options.final(err)) end(err);
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

import type { ParleyError } from './errors.js';

/** What a {@link ReconnectPolicy} knows when asked for the next delay. */
export interface ReconnectContext {
  /** Retries already made since the connection was lost (0 before the first retry). */
  readonly retryCount: number;
  /** Milliseconds since the connection was lost. */
  readonly elapsedMs: number;
  /** Why the previous attempt (or the connection) failed. */
  readonly lastError?: ParleyError;
}

/** Decides how long to wait before the next reconnect attempt. Replaceable via `ChatClientOptions.reconnectPolicy`. */
export interface ReconnectPolicy {
  /**
   * @param context - retry count, elapsed time, last error
   * @returns the delay in ms before the next attempt, or `null` to stop retrying (the client becomes `disconnected`)
   */
  nextRetryDelayInMs(context: ReconnectContext): number | null;
}

/** Options of {@link DefaultReconnectPolicy}. */
export interface DefaultReconnectPolicyOptions {
  /** Upper bound of the first delay, in ms. Default 500. */
  baseDelayMs?: number;
  /** Cap of any delay, in ms. Default 30 000. */
  maxDelayMs?: number;
  /** Give up after this many retries. Default `Infinity`. */
  maxRetries?: number;
  /** Give up once this many ms have passed since the connection was lost. Default `Infinity`. */
  maxElapsedMs?: number;
  /** Source of randomness in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/**
 * Exponential backoff with full jitter: the delay is uniform in
 * `[0, min(maxDelayMs, baseDelayMs · 2^retryCount)]`, so clients that lost the same server
 * do not come back in lockstep.
 */
export class DefaultReconnectPolicy implements ReconnectPolicy {
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxRetries: number;
  readonly #maxElapsedMs: number;
  readonly #random: () => number;

  /** @param options - see {@link DefaultReconnectPolicyOptions} */
  constructor(options: DefaultReconnectPolicyOptions = {}) {
    this.#baseDelayMs = options.baseDelayMs ?? 500;
    this.#maxDelayMs = options.maxDelayMs ?? 30_000;
    this.#maxRetries = options.maxRetries ?? Infinity;
    this.#maxElapsedMs = options.maxElapsedMs ?? Infinity;
    this.#random = options.random ?? Math.random;
    if (!(this.#baseDelayMs > 0 && this.#maxDelayMs >= this.#baseDelayMs && this.#maxRetries >= 0 && this.#maxElapsedMs >= 0)) {
      throw new RangeError('Need 0 < baseDelayMs <= maxDelayMs, maxRetries and maxElapsedMs >= 0');
    }
  }

  /** @inheritDoc */
  nextRetryDelayInMs(context: ReconnectContext): number | null {
    if (context.retryCount >= this.#maxRetries || context.elapsedMs >= this.#maxElapsedMs) return null;
    // 2^retryCount overflows to Infinity for large counts; min() keeps the cap.
    const ceiling = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** context.retryCount);
    const r = Math.min(Math.max(this.#random(), 0), 1);
    return Math.floor(r * ceiling);
  }
}

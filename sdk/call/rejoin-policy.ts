import type { ParleyError } from '../errors.js';
import { isRetryable } from '../protocol/errors.js';

/** What a {@link CallRejoinPolicy} knows when asked. */
export interface CallRejoinContext {
  /**
   * Attempts of this re-join made so far: 0 when deciding whether to start it at all (the
   * call dropped us, or ICE restarts failed), then 1, 2… after each failed attempt.
   */
  readonly attempt: number;
  /** When the earlier re-joins of this session started (clock ms, oldest first; at most the last 32). */
  readonly previousRejoins: readonly number[];
  /** Now, by the session's clock (ms). */
  readonly now: number;
  /** Why the last attempt failed (absent when `attempt` is 0). */
  readonly lastError?: ParleyError;
}

/**
 * Decides whether and when a {@link CallSession} joins its call again after losing it (its
 * connection to the others could not be restored, or the server no longer lists it).
 * Replaceable via `CallSessionOptions.rejoinPolicy`, like the client's `ReconnectPolicy`.
 */
export interface CallRejoinPolicy {
  /**
   * @param context - attempt number, earlier re-joins, time, last error
   * @returns the delay in ms before the next attempt, or `null` to give up (the session emits
   *   `error` and becomes `left`)
   */
  nextRejoinDelayMs(context: CallRejoinContext): number | null;
}

/** Options of {@link DefaultCallRejoinPolicy}. */
export interface DefaultCallRejoinPolicyOptions {
  /** Re-joins allowed within `windowMs` before giving up. Default 3. */
  maxRejoins?: number;
  /** See `maxRejoins`, in ms. Default 60 000. */
  windowMs?: number;
  /** Failed attempts of one re-join before giving up. Default 9. */
  maxAttempts?: number;
}

/**
 * The default: at most `maxRejoins` re-joins per `windowMs`, each started at once; a failed
 * attempt is retried after 0.5 s, 1 s, 2 s… (at most 5 s), up to `maxAttempts` attempts, when
 * its error is recoverable: one the protocol calls retryable, or `NOT_IN_CALL`.
 */
export class DefaultCallRejoinPolicy implements CallRejoinPolicy {
  readonly #maxRejoins: number;
  readonly #windowMs: number;
  readonly #maxAttempts: number;

  /** @param options - see {@link DefaultCallRejoinPolicyOptions} */
  constructor(options: DefaultCallRejoinPolicyOptions = {}) {
    this.#maxRejoins = options.maxRejoins ?? 3;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxAttempts = options.maxAttempts ?? 9;
  }

  /** @inheritDoc */
  nextRejoinDelayMs({ attempt, previousRejoins, now, lastError }: CallRejoinContext): number | null {
    if (attempt === 0) return previousRejoins.filter((t) => now - t < this.#windowMs).length < this.#maxRejoins ? 0 : null;
    const code = lastError?.code ?? '';
    // The protocol's retryable codes, plus NOT_IN_CALL: the server dropped us from the call
    // (our chat connection was lost) and the re-join on the restored connection will fix it.
    if ((!isRetryable(code) && code !== 'NOT_IN_CALL') || attempt >= this.#maxAttempts) return null;
    return Math.min(500 * 2 ** (attempt - 1), 5000);
  }
}

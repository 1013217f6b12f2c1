import type { Config } from '../config.js';
import { ParleyError, type ErrorCode } from '../errors.js';
import type { RateLimit } from '../messages/rate-limiter.js';

/** Every abuse limit besides the per-user chat bucket (docs/operations.md "Limits"). */
export type LimitName =
  | 'session-address'
  | 'room-user'
  | 'room-address'
  | 'join-user'
  | 'open-send-user'
  | 'chat-address'
  | 'password-user-room'
  | 'password-address';

interface Rate {
  perS: number;
  burst: number;
  /** What a client gets at the limit. */
  code: ErrorCode;
}

/** The token bucket behind each limit; a rate of 0 turns the limit off. */
export function limitRates(c: Config): Record<LimitName, Rate> {
  const perMin = (n: number, burst: number): Rate => ({ perS: n / 60, burst, code: 'RATE_LIMITED' });
  const perS = (n: number, burst: number): Rate => ({ perS: n, burst, code: 'RATE_LIMITED' });
  // Password tries: a full bucket of `tries`, then one more every `everyS` (a lockout that lets up slowly).
  const tries = (n: number, everyS: number): Rate => ({ perS: n === 0 ? 0 : 1 / everyS, burst: Math.max(1, n), code: 'TOO_MANY_ATTEMPTS' });
  return {
    'session-address': perMin(c.sessionAddressPerMin, c.sessionAddressBurst),
    'room-user': perMin(c.roomCreateUserPerMin, c.roomCreateUserBurst),
    'room-address': perMin(c.roomCreateAddressPerMin, c.roomCreateAddressBurst),
    'join-user': perMin(c.joinUserPerMin, c.joinUserBurst),
    'open-send-user': perS(c.openSendPerS, c.openSendBurst),
    'chat-address': perS(c.chatAddressPerS, c.chatAddressBurst),
    'password-user-room': tries(c.passwordTries, c.passwordTryEveryS),
    'password-address': tries(c.passwordAddressTries, c.passwordAddressTryEveryS),
  };
}

/**
 * Named token buckets, each the chat limiter's bucket (in process, or shared through Redis under
 * `rate:{limit}:{key}` when REDIS_URL is set) with its own rate.
 */
export class Limits {
  private readonly buckets = new Map<LimitName, { bucket: RateLimit; code: ErrorCode }>();

  constructor(rates: Record<LimitName, Rate>, bucket: (perS: number, burst: number) => RateLimit) {
    for (const [name, r] of Object.entries(rates) as [LimitName, Rate][]) this.buckets.set(name, { bucket: bucket(r.perS, r.burst), code: r.code });
  }

  /**
   * Takes a token for `key` or throws the limit's code with `retryAfterMs` in its details.
   * Answers synchronously when the bucket does (in process), so pipelined frames keep their order.
   */
  check(name: LimitName, key: string): void | Promise<void> {
    const { bucket, code } = this.buckets.get(name)!;
    const wait = bucket.takeOrWait(`${name}:${key}`);
    if (typeof wait === 'number') return refuseAfter(code, wait);
    return wait.then((ms) => refuseAfter(code, ms));
  }
}

function refuseAfter(code: ErrorCode, waitMs: number): void {
  if (waitMs > 0) throw new ParleyError(code, undefined, { details: { retryAfterMs: waitMs } });
}

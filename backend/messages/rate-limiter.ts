/**
 * A token bucket per key. `take` answers synchronously when it can (the in-process bucket),
 * so a pipelined SEND handler keeps frame order without waiting a tick.
 */
export interface RateLimit {
  take(key: string): boolean | Promise<boolean>;
  /** Takes a token and answers 0, or takes none and answers the ms until one is back (≥ 1): a refusal's `retryAfterMs`. */
  takeOrWait(key: string): number | Promise<number>;
}

/** A token bucket per key in this process; `perS` 0 turns it off. */
export class RateLimiter implements RateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perS: number, private readonly burst: number, private readonly now: () => number) {}

  take(key: string): boolean {
    return this.takeOrWait(key) === 0;
  }

  takeOrWait(key: string): number {
    if (this.perS === 0) return 0;
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.perS);
    b.at = t;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      return Math.max(1, waitForToken(b.tokens, this.perS));
    }
    b.tokens -= 1;
    // A full bucket carries no information: forget it so idle users cost nothing.
    if (b.tokens >= this.burst - 1e-9) this.buckets.delete(key);
    else this.buckets.set(key, b);
    if (this.buckets.size > 100_000) this.sweep(t);
    return 0;
  }

  private sweep(t: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((t - b.at) / 1000) * this.perS >= this.burst) this.buckets.delete(k);
    }
  }
}

/** Milliseconds until a bucket holding `tokens` has one, refilling at `perS`. */
export function waitForToken(tokens: number, perS: number): number {
  // Less a float error's worth, so 0.3 s left is 300 ms, not 301.
  return !(tokens < 1) ? 0 : Math.ceil(((1 - tokens) / perS) * 1000 - 1e-6);
}

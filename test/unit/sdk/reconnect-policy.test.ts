import { describe, expect, it } from 'vitest';
import { DefaultReconnectPolicy } from '../../../sdk/reconnect-policy.js';
import { ParleyError } from '../../../sdk/errors.js';

describe('DefaultReconnectPolicy', () => {
  it('doubles the ceiling per retry (exponential backoff)', () => {
    const policy = new DefaultReconnectPolicy({ baseDelayMs: 100, maxDelayMs: 100_000, random: () => 0.999999 });
    const delays = [0, 1, 2, 3, 4].map((retryCount) => policy.nextRetryDelayInMs({ retryCount, elapsedMs: 0 }));
    expect(delays).toEqual([99, 199, 399, 799, 1599]);
  });

  it('keeps every delay inside [0, ceiling] whatever the random source says (full jitter)', () => {
    for (const r of [0, 0.25, 0.5, 0.75, 0.9999, 1, -3, 7]) {
      const policy = new DefaultReconnectPolicy({ baseDelayMs: 500, maxDelayMs: 30_000, random: () => r });
      for (let retryCount = 0; retryCount < 12; retryCount++) {
        const ceiling = Math.min(30_000, 500 * 2 ** retryCount);
        const d = policy.nextRetryDelayInMs({ retryCount, elapsedMs: 0 });
        expect(d).not.toBeNull();
        expect(d!).toBeGreaterThanOrEqual(0);
        expect(d!).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('spreads clients: the delay follows the random draw', () => {
    const low = new DefaultReconnectPolicy({ baseDelayMs: 1000, random: () => 0.1 });
    const high = new DefaultReconnectPolicy({ baseDelayMs: 1000, random: () => 0.9 });
    expect(low.nextRetryDelayInMs({ retryCount: 3, elapsedMs: 0 })).toBe(800);
    expect(high.nextRetryDelayInMs({ retryCount: 3, elapsedMs: 0 })).toBe(7200);
  });

  it('never exceeds the cap, even after very many retries', () => {
    const policy = new DefaultReconnectPolicy({ baseDelayMs: 500, maxDelayMs: 5000, random: () => 1 });
    expect(policy.nextRetryDelayInMs({ retryCount: 10, elapsedMs: 0 })).toBe(5000);
    expect(policy.nextRetryDelayInMs({ retryCount: 5000, elapsedMs: 0 })).toBe(5000);
  });

  it('returns null to stop after maxRetries or maxElapsedMs', () => {
    const policy = new DefaultReconnectPolicy({ maxRetries: 3, maxElapsedMs: 60_000, random: () => 0.5 });
    expect(policy.nextRetryDelayInMs({ retryCount: 2, elapsedMs: 0 })).not.toBeNull();
    expect(policy.nextRetryDelayInMs({ retryCount: 3, elapsedMs: 0 })).toBeNull();
    expect(policy.nextRetryDelayInMs({ retryCount: 0, elapsedMs: 60_000 })).toBeNull();
    expect(
      policy.nextRetryDelayInMs({ retryCount: 0, elapsedMs: 1, lastError: ParleyError.network() }),
    ).not.toBeNull();
  });

  it('rejects nonsensical options at once', () => {
    expect(() => new DefaultReconnectPolicy({ baseDelayMs: 0 })).toThrow(RangeError);
    expect(() => new DefaultReconnectPolicy({ baseDelayMs: 1000, maxDelayMs: 10 })).toThrow(RangeError);
    expect(() => new DefaultReconnectPolicy({ maxRetries: -1 })).toThrow(RangeError);
  });
});

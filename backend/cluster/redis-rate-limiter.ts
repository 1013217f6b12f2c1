import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { RateLimiter, waitForToken, type RateLimit } from '../messages/rate-limiter.js';
import type { RedisKeys } from './redis-keys.js';

// KEYS: bucket. ARGV: now ms, perS, burst. Returns 1 when a token was taken.
const TAKE = `
local now = tonumber(ARGV[1])
local perS = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * perS)
local ok = 0
if tokens >= 1 then
  tokens = tokens - 1
  ok = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / perS * 1000) + 1000)
return ok`;

// KEYS: bucket. ARGV: now ms, perS, burst. Returns the bucket's tokens now (read only), as a string.
const PEEK = `
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local burst = tonumber(ARGV[3])
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or tonumber(ARGV[1])
return tostring(math.min(burst, tokens + math.max(0, tonumber(ARGV[1]) - at) / 1000 * tonumber(ARGV[2])))`;

/**
 * One token bucket per user for the whole cluster, so a user's limit does not grow with the
 * number of instances. The bucket expires once it would be full again. While Redis is
 * unreachable each instance falls back to its own bucket: chat keeps working, and the limit
 * is at worst multiplied by the instance count for that time.
 */
export class RedisRateLimiter implements RateLimit {
  private readonly fallback: RateLimiter;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly perS: number,
    private readonly burst: number,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {
    this.fallback = new RateLimiter(perS, burst, now);
  }

  take(key: string): boolean | Promise<boolean> {
    if (this.perS === 0) return true;
    return this.redis.eval(TAKE, 1, this.keys.rate(key), String(this.now()), String(this.perS), String(this.burst)).then(
      (r) => r === 1,
      (e: unknown) => {
        this.logger.debug({ err: e }, 'rate limit falls back to this instance');
        return this.fallback.take(key);
      },
    );
  }

  retryAfterMs(key: string): number | Promise<number> {
    if (this.perS === 0) return 0;
    return this.redis.eval(PEEK, 1, this.keys.rate(key), String(this.now()), String(this.perS), String(this.burst)).then(
      (tokens) => waitForToken(Number(tokens), this.perS),
      () => this.fallback.retryAfterMs(key),
    );
  }
}

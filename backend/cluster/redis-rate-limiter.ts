import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { RateLimiter, type RateLimit } from '../messages/rate-limiter.js';
import type { RedisKeys } from './redis-keys.js';

// KEYS: bucket. ARGV: now ms, perS, burst. Returns 0 when a token was taken, else ms until one.
const TAKE = `
local now = tonumber(ARGV[1])
local perS = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * perS)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  -- Less a float error's worth, as in waitForToken (rate-limiter.ts).
  wait = math.max(1, math.ceil((1 - tokens) / perS * 1000 - 1e-6))
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / perS * 1000) + 1000)
return wait`;

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
    const wait = this.takeOrWait(key);
    return typeof wait === 'number' ? wait === 0 : wait.then((ms) => ms === 0);
  }

  takeOrWait(key: string): number | Promise<number> {
    if (this.perS === 0) return 0;
    return this.redis.eval(TAKE, 1, this.keys.rate(key), String(this.now()), String(this.perS), String(this.burst)).then(
      (r) => Number(r),
      (e: unknown) => {
        this.logger.debug({ err: e }, 'rate limit falls back to this instance');
        return this.fallback.takeOrWait(key);
      },
    );
  }
}

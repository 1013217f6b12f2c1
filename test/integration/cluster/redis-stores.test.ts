import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCallStore } from '../../../backend/cluster/redis-call-store.js';
import { RedisKeys } from '../../../backend/cluster/redis-keys.js';
import { RedisPresenceStore } from '../../../backend/cluster/redis-presence-store.js';
import { RedisRateLimiter } from '../../../backend/cluster/redis-rate-limiter.js';
import { parseOwned } from '../../../backend/cluster/owned.js';
import { RedisCluster } from '../../../backend/cluster/cluster.js';
import { systemClock } from '../../../backend/stomp/clock.js';
import { deletePrefix, redisTestUrl, startOwnRedis, uniquePrefix } from '../../helpers/redis.js';

const prefix = uniquePrefix('stores');
const keys = new RedisKeys(prefix);
let redis: Redis;
beforeAll(() => {
  redis = new Redis(redisTestUrl());
});
afterAll(async () => {
  redis.disconnect();
  await deletePrefix(redisTestUrl(), prefix);
});

const alice = { id: 'a', nickname: 'Alice' };
const bob = { id: 'b', nickname: '밥' };

describe('Redis presence shared by two instances', () => {
  it('counts users across instances, refuses the room cap atomically and records what each instance owns', async () => {
    const one = new RedisPresenceStore(redis, keys, 'i1');
    const two = new RedisPresenceStore(redis, keys, 'i2');
    expect(await one.addSession(1, alice, 'i1-1', 1)).toEqual({ full: false, userWasAbsent: true });
    expect(await two.addSession(1, bob, 'i2-1', 1)).toEqual({ full: true, userWasAbsent: false });
    expect(await two.addSession(1, alice, 'i2-2', 1)).toEqual({ full: false, userWasAbsent: false });
    expect(await two.userCount(1)).toBe(1);
    expect(await one.sessionCount(1, 'a')).toBe(2);
    expect(one.hasSession(1, 'i1-1')).toBe(true);
    expect(one.hasSession(1, 'i2-2')).toBe(false);
    expect((await two.users(1)).map((u) => u.nickname)).toEqual(['Alice']);

    expect(await one.removeSession(1, 'a', 'i1-1')).toEqual({ userHasNoSessions: false });
    expect(await two.removeSession(1, 'a', 'i2-2')).toEqual({ userHasNoSessions: true });
    expect(await one.hasUser(1, 'a')).toBe(true); // grace period
    expect((await redis.smembers(keys.owned('i2'))).map(parseOwned)).toEqual([{ kind: 'grace', roomId: 1, userId: 'a' }]);
    expect(await one.removeUser(1, 'a')).toBe(true);
    expect(await two.removeUser(1, 'a')).toBe(false);
    expect(await one.userCount(1)).toBe(0);
  });

  it('writes its own sessions back after Redis lost them, without other instances\' entries', async () => {
    const one = new RedisPresenceStore(redis, keys, 'i3');
    await one.addSession(2, alice, 'i3-1');
    await one.addSession(2, bob, 'i3-2');
    await redis.del(keys.roomUsers(2), keys.roomSessions(2), keys.roomSessionCounts(2), keys.owned('i3'));
    expect(await one.userCount(2)).toBe(0);
    await one.republish();
    expect(await one.userCount(2)).toBe(2);
    expect(new Set(await redis.smembers(keys.owned('i3')))).toEqual(one.ownedHere());
  });
});

describe('Redis calls shared by two instances', () => {
  it('caps the call across instances, keeps join order and frees a place on leave', async () => {
    const one = new RedisCallStore(redis, keys, 'i1');
    const two = new RedisCallStore(redis, keys, 'i2');
    const media = { audio: true, video: true, screen: false };
    const p1 = await one.join(7, { id: 'p_1', user: alice, sessionId: 'i1-1', ...media }, 2);
    const p2 = await two.join(7, { id: 'p_2', user: bob, sessionId: 'i2-1', ...media }, 2);
    expect(p1 !== 'full' && p2 !== 'full' && [p1.order, p2.order]).toEqual([1, 2]);
    expect(await two.join(7, { id: 'p_3', user: bob, sessionId: 'i2-2', ...media }, 2)).toBe('full');
    // The same session again is its existing participant, not a new one.
    expect(await one.join(7, { id: 'p_9', user: alice, sessionId: 'i1-1', ...media }, 2)).toMatchObject({ id: 'p_1' });
    expect((await one.list(7)).map((p) => p.id)).toEqual(['p_1', 'p_2']);
    expect(await one.leave(7, 'i1-1')).toBe(true);
    expect(await redis.smembers(keys.owned('i1'))).toEqual([]);
    expect(await two.join(7, { id: 'p_3', user: bob, sessionId: 'i2-2', ...media }, 2)).toMatchObject({ id: 'p_3', order: 3 });
    expect(await two.remove(7, 'p_2')).toBe(true);
    expect((await one.list(7)).map((p) => p.id)).toEqual(['p_3']);
  });
});

describe('Redis rate limit', () => {
  it('is one bucket per user whichever instance asks', async () => {
    let now = 1_000_000;
    const logger = pino({ level: 'silent' });
    const [a, b] = [0, 1].map(() => new RedisRateLimiter(redis, keys, 1, 3, () => now, logger));
    const takes = [await a!.take('u'), await b!.take('u'), await a!.take('u'), await b!.take('u')];
    expect(takes).toEqual([true, true, true, false]);
    now += 1000;
    expect(await b!.take('u')).toBe(true);
    expect(await a!.take('u')).toBe(false);
    // The wait until the next token is the cluster's, whichever instance is asked.
    expect(await a!.takeOrWait('u')).toBe(1000);
    now += 400;
    expect(await b!.takeOrWait('u')).toBe(600);
    expect(await a!.takeOrWait('nobody')).toBe(0);
  });
});

describe('connecting', () => {
  it('waits for a Redis that is not up yet and is ready once it answers', async () => {
    const own = await startOwnRedis();
    await own.kill();
    try {
      const connecting = RedisCluster.connect({ url: own.url, keyPrefix: 'late:', instanceTtlMs: 3000, clock: systemClock, logger: pino({ level: 'silent' }) });
      let done = false;
      void connecting.then(() => (done = true), () => (done = true));
      await new Promise((r) => setTimeout(r, 500));
      expect(done).toBe(false);
      await own.start();
      const cluster = await connecting;
      await expect(cluster.check()).resolves.toBeUndefined();
      await cluster.close();
    } finally {
      await own.stop();
    }
  });
});

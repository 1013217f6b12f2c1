import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RateLimit } from '../messages/rate-limiter.js';
import type { SharedTyping } from '../messages/typing-service.js';
import type { Clock } from '../stomp/clock.js';
import { Membership, type Reaper } from './membership.js';
import { RedisBus } from './redis-bus.js';
import { RedisCallStore } from './redis-call-store.js';
import { RedisKeys } from './redis-keys.js';
import { RedisPresenceStore } from './redis-presence-store.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';
import { RedisUserDelivery } from './redis-user-delivery.js';
import type { RoomHistory } from './room-sequencer.js';
import { SequencedBus } from './sequenced-bus.js';

export interface ClusterOptions {
  /** `redis://[user:pass@]host:port/db` */
  url: string;
  /** Start of every key and channel name. */
  keyPrefix: string;
  /** Alive-key TTL; see {@link Membership}. */
  instanceTtlMs: number;
  clock: Clock;
  logger: Logger;
  /** How long a receiving instance waits for a missing seq before reading it from the database. */
  gapWaitMs?: number;
  /** Opens a Redis connection; default `new Redis(url, options)`. */
  createRedis?: (url: string, options: RedisOptions) => Redis;
}

/** What the app hands the cluster once it is built. */
export interface ClusterHooks extends Reaper {
  history: RoomHistory;
  /** Re-announce presence and call state of a room (after Redis lost and regained it). */
  announce(roomId: number): Promise<void>;
}

/**
 * Everything several instances share through Redis, behind the seams the app already uses:
 * bus, user delivery, presence, calls and rate limits, plus liveness and recovery.
 */
export class RedisCluster {
  readonly instanceId = randomBytes(6).toString('hex');
  readonly bus: SequencedBus;
  readonly users: RedisUserDelivery;
  readonly presence: RedisPresenceStore;
  readonly calls: RedisCallStore;
  private readonly redisBus: RedisBus;
  private readonly membership: Membership;
  private hooks: ClusterHooks | undefined;
  private announceTimer: unknown = undefined;

  private constructor(
    private readonly o: ClusterOptions,
    private readonly cmd: Redis,
    private readonly sub: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.redisBus = new RedisBus(cmd, sub, keys, o.logger);
    this.bus = new SequencedBus(this.redisBus, () => this.requireHooks().history, o.clock, o.logger, o.gapWaitMs ?? 150);
    this.users = new RedisUserDelivery(cmd, sub, keys, this.instanceId, o.logger);
    this.presence = new RedisPresenceStore(cmd, keys, this.instanceId);
    this.calls = new RedisCallStore(cmd, keys, this.instanceId);
    this.membership = new Membership({
      redis: cmd,
      keys,
      instanceId: this.instanceId,
      clock: o.clock,
      logger: o.logger,
      ttlMs: o.instanceTtlMs,
      ownedHere: () => new Set([...this.presence.ownedHere(), ...this.calls.ownedHere()]),
      reaper: () => this.requireHooks(),
      republish: () => this.republish(),
    });
  }

  /** Connects both Redis connections (retrying until Redis answers) and subscribes the node channel. */
  static async connect(o: ClusterOptions): Promise<RedisCluster> {
    const options = {
      // Fail commands at once while disconnected: callers refuse with UNAVAILABLE instead of hanging.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(50 * times, 1000),
      lazyConnect: true,
    };
    const open = o.createRedis ?? ((url: string, opts: RedisOptions) => new Redis(url, opts));
    const cmd = open(o.url, { ...options, connectionName: 'parley-cmd' });
    const sub = open(o.url, { ...options, connectionName: 'parley-sub' });
    let lastError = '';
    for (const c of [cmd, sub]) {
      c.on('error', (e: Error) => {
        if (e.message !== lastError) o.logger.warn({ err: e.message }, 'Redis connection error');
        lastError = e.message;
      });
    }
    await Promise.all([cmd.connect().catch(() => undefined), sub.connect().catch(() => undefined)]);
    // Not events.once: it rejects on the first 'error', and a Redis that is still starting is not a failure.
    await Promise.all([cmd, sub].map((c) => (c.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => c.once('ready', () => resolve())))));
    const cluster = new RedisCluster(o, cmd, sub, new RedisKeys(o.keyPrefix));
    await cluster.users.start();
    cmd.on('ready', () => cluster.reconnected('cmd'));
    sub.on('ready', () => cluster.reconnected('sub'));
    return cluster;
  }

  /** Called by the app once it is built; starts heart-beats and reaping. */
  async attach(hooks: ClusterHooks): Promise<void> {
    this.hooks = hooks;
    await this.membership.start();
  }

  /** Typing marks in Redis: fire-and-forget on typing, one DEL on a send. */
  readonly typing: SharedTyping = {
    mark: (roomId, userId, ttlMs) => {
      this.cmd.set(this.keys.typing(roomId, userId), '1', 'PX', ttlMs).catch(() => undefined);
    },
    clear: async (roomId, userId) => (await this.cmd.del(this.keys.typing(roomId, userId))) === 1,
  };

  rateLimiter(perS: number, burst: number, now: () => number): RateLimit {
    return new RedisRateLimiter(this.cmd, this.keys, perS, burst, now, this.o.logger);
  }

  /** Readiness: both connections up and answering. */
  async check(): Promise<void> {
    if (this.cmd.status !== 'ready' || this.sub.status !== 'ready') throw new ParleyError('UNAVAILABLE', 'Redis is not connected');
    try {
      await this.cmd.ping();
    } catch (e: unknown) {
      throw new ParleyError('UNAVAILABLE', 'Redis does not answer', { cause: e });
    }
  }

  async close(): Promise<void> {
    if (this.announceTimer !== undefined) this.o.clock.clearTimeout(this.announceTimer);
    await this.membership.stop();
    await this.bus.close();
    this.cmd.disconnect();
    this.sub.disconnect();
  }

  private requireHooks(): ClusterHooks {
    if (this.hooks === undefined) throw new Error('RedisCluster.attach was not called');
    return this.hooks;
  }

  private async republish(): Promise<void> {
    await this.presence.republish();
    await this.calls.republish();
    this.scheduleAnnounce();
  }

  /**
   * Redis came back. Pub/sub dropped whatever was published meanwhile: refill rooms from the
   * database once the resubscriptions are in (a PING queues behind them), and write local
   * state back in case Redis restarted empty.
   */
  private reconnected(which: 'cmd' | 'sub'): void {
    if (this.hooks === undefined) return;
    this.o.logger.info({ connection: which }, 'Redis reconnected');
    if (which === 'sub') {
      this.sub
        .ping()
        .then(() => Promise.all([this.users.resubscribeUsers(), this.bus.catchUpAll()]))
        .catch((e: unknown) => this.o.logger.warn({ err: e }, 'catch-up after reconnect failed'));
      return;
    }
    this.membership.recover().catch((e: unknown) => this.o.logger.warn({ err: e }, 'recovery after reconnect failed'));
  }

  /** Every instance republishes within one heart-beat; announce after that so counts include all. */
  private scheduleAnnounce(): void {
    if (this.announceTimer !== undefined) return;
    this.announceTimer = this.o.clock.setTimeout(() => {
      this.announceTimer = undefined;
      const hooks = this.requireHooks();
      for (const d of this.redisBus.destinations()) {
        const room = /^\/topic\/rooms\/(\d+)$/.exec(d);
        if (room !== null) hooks.announce(Number(room[1])).catch(() => undefined);
      }
    }, Math.floor(this.o.instanceTtlMs / 3) + 200);
  }
}

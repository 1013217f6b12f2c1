import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { Clock } from '../stomp/clock.js';
import { parseOwned, type Owned } from './owned.js';
import type { RedisKeys } from './redis-keys.js';

/** What a survivor does with the leftovers of a dead instance (or of its own lost sessions). */
export interface Reaper {
  /** `sessionId` null: a grace period that was running there. */
  session(roomId: number, userId: string, sessionId: string | null): Promise<void>;
  participant(roomId: number, participantId: string): Promise<void>;
  /** The room may have messages whose publish died with the instance. */
  roomTouched(roomId: number): void;
}

export interface MembershipOptions {
  redis: Redis;
  keys: RedisKeys;
  instanceId: string;
  clock: Clock;
  logger: Logger;
  /** The alive key's TTL; heart-beats every third of it, and a dead instance is reaped within TTL + TTL/3. */
  ttlMs: number;
  /** What this process holds right now (its `owned` set should equal it). */
  ownedHere: () => Set<string>;
  reaper: () => Reaper;
  /** Redis forgot this instance (restart, or reaped after a stall): write local state back. */
  republish: () => Promise<void>;
}

/**
 * Instance liveness. Each instance refreshes `alive:{id}` (TTL `ttlMs`) every `ttlMs/3`; every
 * instance looks for registered instances whose key has expired, and the one that wins
 * `reap:{id}` removes the dead one's sessions, grace periods and call participants.
 */
export class Membership {
  private timer: unknown = undefined;
  private beating = false;

  constructor(private readonly o: MembershipOptions) {}

  async start(): Promise<void> {
    // The interval first: if this first beat fails (Redis just went away), the next ones retry.
    this.timer = this.o.clock.setInterval(() => void this.tick(), Math.max(100, Math.floor(this.o.ttlMs / 3)));
    await this.beat(true);
  }

  /** Graceful stop: drop the alive key so survivors clean up at their next tick. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) this.o.clock.clearInterval(this.timer);
    this.timer = undefined;
    await this.o.redis.del(this.o.keys.alive(this.o.instanceId)).catch(() => undefined);
  }

  /**
   * After a reconnect: write local state back, and clean up entries of ours that changed while
   * Redis was unreachable (a session closed meanwhile could not remove itself).
   */
  async recover(): Promise<void> {
    await this.o.republish();
    await this.beat(true);
    const owned = await this.o.redis.smembers(this.o.keys.owned(this.o.instanceId));
    const here = this.o.ownedHere();
    await this.reapMembers(owned.filter((m) => !here.has(m)));
  }

  private async tick(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      await this.beat(false);
      await this.reapDead();
    } catch (e: unknown) {
      this.o.logger.debug({ err: e }, 'cluster heart-beat failed');
    } finally {
      this.beating = false;
    }
  }

  private async beat(first: boolean): Promise<void> {
    const [[, , ], [, added]] = (await this.o.redis
      .multi()
      .set(this.o.keys.alive(this.o.instanceId), String(this.o.clock.now()), 'PX', this.o.ttlMs)
      .sadd(this.o.keys.instances(), this.o.instanceId)
      .exec()) as [[unknown, unknown], [unknown, number]];
    // Registered afresh without a restart here: Redis lost our state, or a survivor reaped us.
    if (added === 1 && !first) {
      this.o.logger.warn('Redis had forgotten this instance; writing its state back');
      await this.o.republish();
    }
  }

  private async reapDead(): Promise<void> {
    for (const id of await this.o.redis.smembers(this.o.keys.instances())) {
      if (id === this.o.instanceId || (await this.o.redis.exists(this.o.keys.alive(id))) === 1) continue;
      const won = await this.o.redis.set(this.o.keys.reapLock(id), this.o.instanceId, 'PX', this.o.ttlMs * 2, 'NX');
      if (won !== 'OK') continue;
      const members = await this.o.redis.smembers(this.o.keys.owned(id));
      this.o.logger.info({ instance: id, entries: members.length }, 'reaping a dead instance');
      await this.reapMembers(members);
      await this.o.redis.multi().del(this.o.keys.owned(id)).srem(this.o.keys.instances(), id).exec();
    }
  }

  private async reapMembers(members: readonly string[]): Promise<void> {
    const reaper = this.o.reaper();
    const parsed = members.map(parseOwned).filter((o): o is Owned => o !== null);
    // Sessions before grace periods: removing the last session of a user is what ends its presence.
    const order = { participant: 0, session: 1, grace: 2 } as const;
    parsed.sort((a, b) => order[a.kind] - order[b.kind]);
    const rooms = new Set<number>();
    for (const o of parsed) {
      rooms.add(o.roomId);
      try {
        if (o.kind === 'session') await reaper.session(o.roomId, o.userId, o.sessionId);
        else if (o.kind === 'grace') await reaper.session(o.roomId, o.userId, null);
        else await reaper.participant(o.roomId, o.participantId);
      } catch (e: unknown) {
        this.o.logger.warn({ err: e, entry: o }, 'reaping an entry failed');
      }
    }
    for (const roomId of rooms) reaper.roomTouched(roomId);
  }
}

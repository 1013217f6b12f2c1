import type { Redis } from 'ioredis';
import type { AuthUser } from '../auth/auth-user.js';
import type { PresenceStore } from '../presence/presence-store.js';
import { ownedMember } from './owned.js';
import { viaRedis } from './redis-errors.js';
import { instanceOfSession, type RedisKeys } from './redis-keys.js';

// KEYS: users, sessions, counts, owned. ARGV: userId, userJson, sessionId, maxUsers (-1 = none), session member, grace member.
// Returns -1 full, 1 user was absent, 0 user was present. Capacity check and add are one step.
const ADD_SESSION = `
local present = redis.call('HEXISTS', KEYS[1], ARGV[1])
local max = tonumber(ARGV[4])
if present == 0 and max >= 0 and redis.call('HLEN', KEYS[1]) >= max then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if redis.call('HSETNX', KEYS[2], ARGV[3], ARGV[1]) == 1 then redis.call('HINCRBY', KEYS[3], ARGV[1], 1) end
redis.call('SADD', KEYS[4], ARGV[5])
redis.call('SREM', KEYS[4], ARGV[6])
if present == 0 then return 1 end
return 0`;

// KEYS: sessions, counts, owned. ARGV: userId, sessionId, session member, grace member.
// Returns 1 when this removed the user's last session in the room.
const REMOVE_SESSION = `
redis.call('SREM', KEYS[3], ARGV[3])
if redis.call('HDEL', KEYS[1], ARGV[2]) == 0 then return 0 end
local n = redis.call('HINCRBY', KEYS[2], ARGV[1], -1)
if n > 0 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[4])
return 1`;

/**
 * Presence in Redis, shared by every instance (key layout in docs/scaling.md). This process's
 * own sessions are also kept locally: they answer the per-SEND questions without a round trip
 * and are written back after Redis lost its data (`republish`).
 */
export class RedisPresenceStore implements PresenceStore {
  private readonly sessionRooms = new Map<string, Map<number, AuthUser>>();
  /** Users whose grace period runs here, by `room|user`. */
  private readonly graces = new Map<string, { roomId: number; user: AuthUser }>();

  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, private readonly instanceId: string) {}

  async addSession(roomId: number, user: AuthUser, sessionId: string, maxUsers = -1): Promise<{ full: boolean; userWasAbsent: boolean }> {
    const r = await viaRedis(this.runAdd(roomId, user, sessionId, Number.isFinite(maxUsers) ? maxUsers : -1));
    if (r === -1) return { full: true, userWasAbsent: false };
    if (instanceOfSession(sessionId) === this.instanceId) {
      let rooms = this.sessionRooms.get(sessionId);
      if (rooms === undefined) {
        rooms = new Map();
        this.sessionRooms.set(sessionId, rooms);
      }
      rooms.set(roomId, user);
      this.graces.delete(`${roomId}|${user.id}`);
    }
    return { full: false, userWasAbsent: r === 1 };
  }

  async removeSession(roomId: number, userId: string, sessionId: string): Promise<{ userHasNoSessions: boolean }> {
    const rooms = this.sessionRooms.get(sessionId);
    const user = rooms?.get(roomId);
    rooms?.delete(roomId);
    if (rooms?.size === 0) this.sessionRooms.delete(sessionId);
    const owner = instanceOfSession(sessionId);
    const r = await viaRedis(
      this.redis.eval(
        REMOVE_SESSION,
        3,
        this.keys.roomSessions(roomId),
        this.keys.roomSessionCounts(roomId),
        this.keys.owned(owner),
        userId,
        sessionId,
        ownedMember({ kind: 'session', roomId, sessionId, userId }),
        ownedMember({ kind: 'grace', roomId, userId }),
      ),
    );
    if (r === 1 && owner === this.instanceId && user !== undefined) this.graces.set(`${roomId}|${userId}`, { roomId, user });
    return { userHasNoSessions: r === 1 };
  }

  async removeUser(roomId: number, userId: string): Promise<boolean> {
    // An explicit leave ends a grace period before it began: forget its marker too.
    this.graces.delete(`${roomId}|${userId}`);
    const [[, removed]] = (await viaRedis(
      this.redis
        .multi()
        .hdel(this.keys.roomUsers(roomId), userId)
        .hdel(this.keys.roomSessionCounts(roomId), userId)
        .srem(this.keys.owned(this.instanceId), ownedMember({ kind: 'grace', roomId, userId }))
        .exec(),
    )) as [[unknown, number]];
    return removed === 1;
  }

  async hasUser(roomId: number, userId: string): Promise<boolean> {
    return (await viaRedis(this.redis.hexists(this.keys.roomUsers(roomId), userId))) === 1;
  }

  hasSession(roomId: number, sessionId: string): boolean {
    return this.sessionRooms.get(sessionId)?.has(roomId) ?? false;
  }

  async sessionCount(roomId: number, userId: string): Promise<number> {
    return Number((await viaRedis(this.redis.hget(this.keys.roomSessionCounts(roomId), userId))) ?? 0);
  }

  async userCount(roomId: number): Promise<number> {
    return viaRedis(this.redis.hlen(this.keys.roomUsers(roomId)));
  }

  async users(roomId: number): Promise<AuthUser[]> {
    const out: AuthUser[] = [];
    for (const v of await viaRedis(this.redis.hvals(this.keys.roomUsers(roomId)))) {
      try {
        const u = JSON.parse(v) as AuthUser;
        if (typeof u.id === 'string') out.push(u);
      } catch {
        // A value this version cannot read is skipped, not fatal.
      }
    }
    return out;
  }

  roomsOfSession(sessionId: string): number[] {
    return [...(this.sessionRooms.get(sessionId)?.keys() ?? [])];
  }

  async clearRoom(roomId: number): Promise<void> {
    for (const rooms of this.sessionRooms.values()) rooms.delete(roomId);
    for (const [k, g] of this.graces) if (g.roomId === roomId) this.graces.delete(k);
    await viaRedis(this.redis.del(this.keys.roomUsers(roomId), this.keys.roomSessions(roomId), this.keys.roomSessionCounts(roomId)));
  }

  async graceOver(roomId: number, userId: string): Promise<void> {
    this.graces.delete(`${roomId}|${userId}`);
    await viaRedis(this.redis.srem(this.keys.owned(this.instanceId), ownedMember({ kind: 'grace', roomId, userId })));
  }

  /** What this process holds, as its `owned` set should list it. */
  ownedHere(): Set<string> {
    const out = new Set<string>();
    for (const [sessionId, rooms] of this.sessionRooms) {
      for (const [roomId, user] of rooms) out.add(ownedMember({ kind: 'session', roomId, sessionId, userId: user.id }));
    }
    for (const g of this.graces.values()) out.add(ownedMember({ kind: 'grace', roomId: g.roomId, userId: g.user.id }));
    return out;
  }

  /** Writes this process's sessions and grace periods back (Redis restarted empty). No events: nobody left. */
  async republish(): Promise<void> {
    const work: Promise<unknown>[] = [];
    for (const [sessionId, rooms] of this.sessionRooms) {
      for (const [roomId, user] of rooms) work.push(this.runAdd(roomId, user, sessionId, -1));
    }
    for (const g of this.graces.values()) {
      work.push(
        this.redis
          .multi()
          .hsetnx(this.keys.roomUsers(g.roomId), g.user.id, JSON.stringify(g.user))
          .sadd(this.keys.owned(this.instanceId), ownedMember({ kind: 'grace', roomId: g.roomId, userId: g.user.id }))
          .exec(),
      );
    }
    await viaRedis(Promise.all(work));
  }

  private async runAdd(roomId: number, user: AuthUser, sessionId: string, maxUsers: number): Promise<number> {
    const r = await this.redis.eval(
      ADD_SESSION,
      4,
      this.keys.roomUsers(roomId),
      this.keys.roomSessions(roomId),
      this.keys.roomSessionCounts(roomId),
      this.keys.owned(instanceOfSession(sessionId)),
      user.id,
      JSON.stringify({ id: user.id, nickname: user.nickname }),
      sessionId,
      String(maxUsers),
      ownedMember({ kind: 'session', roomId, sessionId, userId: user.id }),
      ownedMember({ kind: 'grace', roomId, userId: user.id }),
    );
    return Number(r);
  }
}

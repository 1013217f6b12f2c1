import type { Redis } from 'ioredis';
import type { CallStore, NewParticipant, Participant } from '../calls/call-store.js';
import { ownedMember } from './owned.js';
import { viaRedis } from './redis-errors.js';
import { instanceOfSession, type RedisKeys } from './redis-keys.js';

// KEYS: call, order, owned. ARGV: sessionId, max, participant JSON (no order), participantId, owned member.
// Returns the session's participant (existing or new) as JSON, or nil when the call is full.
const JOIN = `
local all = redis.call('HVALS', KEYS[1])
for _, v in ipairs(all) do
  if cjson.decode(v).sessionId == ARGV[1] then return v end
end
if #all >= tonumber(ARGV[2]) then return false end
local p = cjson.decode(ARGV[3])
p.order = redis.call('INCR', KEYS[2])
local v = cjson.encode(p)
redis.call('HSET', KEYS[1], ARGV[4], v)
redis.call('SADD', KEYS[3], ARGV[5])
return v`;

// KEYS: call, order. ARGV: field to match ('sessionId' or 'id'), value, owned key prefix.
// Removes matching participants and their owned entries; the order restarts when the call empties.
const REMOVE = `
local n = 0
local flat = redis.call('HGETALL', KEYS[1])
for i = 1, #flat, 2 do
  local p = cjson.decode(flat[i + 1])
  if p[ARGV[1]] == ARGV[2] then
    redis.call('HDEL', KEYS[1], flat[i])
    local owner = string.match(p.sessionId, '^(.*)%-[^%-]*$') or ''
    redis.call('SREM', ARGV[3] .. owner, cjson.encode({'c', p.roomId, p.id}))
    n = n + 1
  end
end
if redis.call('HLEN', KEYS[1]) == 0 then redis.call('DEL', KEYS[2]) end
return n`;

// KEYS: call, order, owned. ARGV: participantId, JSON, order, owned member. Writes back a participant.
const RESTORE = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[4])
if tonumber(redis.call('GET', KEYS[2]) or '0') < tonumber(ARGV[3]) then redis.call('SET', KEYS[2], ARGV[3]) end
return 1`;

// KEYS: call. ARGV: participantId, JSON. Replaces a participant that is still there.
const UPDATE = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

interface Stored extends Participant {
  roomId: number;
}

/**
 * Calls in Redis: one hash per room, the cap checked and the participant added in one script,
 * so `CALL_FULL` counts participants on every instance. Participants of this process are also
 * kept locally, to be written back after Redis lost its data.
 */
export class RedisCallStore implements CallStore {
  private readonly mine = new Map<string, Stored>();

  constructor(private readonly redis: Redis, private readonly keys: RedisKeys, private readonly instanceId: string) {}

  async join(roomId: number, participant: NewParticipant, maxParticipants: number): Promise<Participant | 'full'> {
    const json = JSON.stringify({ ...participant, user: { id: participant.user.id, nickname: participant.user.nickname }, roomId });
    const r = await viaRedis(
      this.redis.eval(
        JOIN,
        3,
        this.keys.call(roomId),
        this.keys.callOrder(roomId),
        this.keys.owned(instanceOfSession(participant.sessionId)),
        participant.sessionId,
        String(maxParticipants),
        json,
        participant.id,
        ownedMember({ kind: 'participant', roomId, participantId: participant.id }),
      ),
    );
    if (typeof r !== 'string') return 'full';
    const p = parse(r);
    if (p === null) return 'full';
    if (instanceOfSession(p.sessionId) === this.instanceId) this.mine.set(p.id, p);
    return p;
  }

  async leave(roomId: number, sessionId: string): Promise<boolean> {
    for (const [id, p] of this.mine) if (p.roomId === roomId && p.sessionId === sessionId) this.mine.delete(id);
    return (await this.remove2(roomId, 'sessionId', sessionId)) > 0;
  }

  async remove(roomId: number, participantId: string): Promise<boolean> {
    this.mine.delete(participantId);
    return (await this.remove2(roomId, 'id', participantId)) > 0;
  }

  async update(roomId: number, participant: Participant): Promise<boolean> {
    const stored: Stored = { ...participant, roomId };
    const ok = (await viaRedis(this.redis.eval(UPDATE, 1, this.keys.call(roomId), participant.id, JSON.stringify(stored)))) === 1;
    if (ok && this.mine.has(participant.id)) this.mine.set(participant.id, stored);
    return ok;
  }

  async list(roomId: number): Promise<Participant[]> {
    const all = (await viaRedis(this.redis.hvals(this.keys.call(roomId)))).map(parse).filter((p): p is Stored => p !== null);
    return all.sort((a, b) => a.order - b.order);
  }

  async clearRoom(roomId: number): Promise<void> {
    for (const [id, p] of this.mine) if (p.roomId === roomId) this.mine.delete(id);
    await viaRedis(this.redis.del(this.keys.call(roomId), this.keys.callOrder(roomId)));
  }

  /** What this process holds, as its `owned` set should list it. */
  ownedHere(): Set<string> {
    return new Set([...this.mine.values()].map((p) => ownedMember({ kind: 'participant', roomId: p.roomId, participantId: p.id })));
  }

  /** Writes this process's participants back (Redis restarted empty). */
  async republish(): Promise<void> {
    await viaRedis(
      Promise.all(
        [...this.mine.values()].map((p) =>
          this.redis.eval(
            RESTORE,
            3,
            this.keys.call(p.roomId),
            this.keys.callOrder(p.roomId),
            this.keys.owned(this.instanceId),
            p.id,
            JSON.stringify(p),
            String(p.order),
            ownedMember({ kind: 'participant', roomId: p.roomId, participantId: p.id }),
          ),
        ),
      ),
    );
  }

  private async remove2(roomId: number, field: 'sessionId' | 'id', value: string): Promise<number> {
    return Number(await viaRedis(this.redis.eval(REMOVE, 2, this.keys.call(roomId), this.keys.callOrder(roomId), field, value, this.keys.owned(''))));
  }
}

function parse(v: string): Stored | null {
  try {
    const p = JSON.parse(v) as Stored;
    return typeof p.id === 'string' && typeof p.sessionId === 'string' && typeof p.order === 'number' ? p : null;
  } catch {
    return null;
  }
}

/**
 * Every Redis key and channel Parley uses, in one place (docs/scaling.md lists them with their
 * expiry). All start with the configured prefix, so several deployments or tests can share one
 * Redis server; pub/sub channels ignore the database number, so the prefix is what separates them.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Channel: frames published to a `/topic/**` destination. */
  bus(destination: string): string {
    return `${this.prefix}bus:${destination}`;
  }

  /** Channel: `/user/queue/**` frames for every session of a user. */
  user(userId: string): string {
    return `${this.prefix}user:${userId}`;
  }

  /** Channel: frames for one session, sent to the instance that holds it. */
  node(instanceId: string): string {
    return `${this.prefix}node:${instanceId}`;
  }

  /** String with a TTL: the instance is alive while it exists. */
  alive(instanceId: string): string {
    return `${this.prefix}alive:${instanceId}`;
  }

  /** Set: instances that have registered and not yet been reaped. */
  instances(): string {
    return `${this.prefix}instances`;
  }

  /** Set: what an instance holds in shared state (`s|room|session|user`, `g|room|user`, `c|room|participant`), for reaping. */
  owned(instanceId: string): string {
    return `${this.prefix}owned:${instanceId}`;
  }

  /** String with a TTL: the survivor that reaps a dead instance. */
  reapLock(instanceId: string): string {
    return `${this.prefix}reap:${instanceId}`;
  }

  /** Hash userId → user JSON: users present in a room (including a grace period). */
  roomUsers(roomId: number): string {
    return `${this.prefix}room:${roomId}:users`;
  }

  /** Hash sessionId → userId: sessions joined to a room, on every instance. */
  roomSessions(roomId: number): string {
    return `${this.prefix}room:${roomId}:sessions`;
  }

  /** Hash userId → number of that user's sessions in the room. */
  roomSessionCounts(roomId: number): string {
    return `${this.prefix}room:${roomId}:counts`;
  }

  /** Hash participantId → participant JSON: a room's call. */
  call(roomId: number): string {
    return `${this.prefix}call:${roomId}`;
  }

  /** Counter: the last join order handed out in a room's call. */
  callOrder(roomId: number): string {
    return `${this.prefix}call:${roomId}:order`;
  }

  /** String with a TTL: the user is typing in the room (set by the instance that saw it). */
  typing(roomId: number, userId: string): string {
    return `${this.prefix}typing:${roomId}:${userId}`;
  }

  /** Hash {tokens, at} with a TTL: a user's rate-limit bucket. */
  rate(userId: string): string {
    return `${this.prefix}rate:${userId}`;
  }
}

/** The instance that holds a session: session ids are `${instanceId}-${counter}`. */
export function instanceOfSession(sessionId: string): string {
  const dash = sessionId.lastIndexOf('-');
  return dash <= 0 ? '' : sessionId.slice(0, dash);
}

import type { AuthUser } from '../auth/auth-user.js';
import type { CallService } from '../calls/call-service.js';
import { ParleyError } from '../errors.js';
import { jsonFrameHeaders } from '../frame-headers.js';
import type { Logger } from '../logger.js';
import { roomTopic } from '../messages/message-view.js';
import { canModerate, rankOf, type RoomAuthority } from '../rooms/room-roles.js';
import type { RoomService } from '../rooms/room-service.js';
import type { Broker } from '../stomp/broker.js';
import type { Clock } from '../stomp/clock.js';
import type { StompSession } from '../stomp/session.js';
import type { ModerationBus, ModerationEvent } from './moderation-bus.js';
import type { MuteCache } from './mute-cache.js';
import type { RestrictionKind, RestrictionRecord, RestrictionRepository } from './restriction-repository.js';
import type { KickedBody, Restriction } from '../../sdk/protocol/shapes.js';

export interface ModerationServiceOptions {
  rooms: RoomService;
  restrictions: RestrictionRepository;
  mutes: MuteCache;
  bus: ModerationBus;
  broker: Broker;
  calls: CallService;
  clock: Clock;
  logger: Logger;
}

/**
 * Kicks, bans and mutes (docs/protocol.md §3, docs/authorization.md). Each takes effect on this
 * instance before the request is answered and on the others through the moderation bus.
 */
export class ModerationService {
  constructor(private readonly o: ModerationServiceOptions) {}

  /** Subscribes to the other instances' moderation events. */
  async start(): Promise<void> {
    await this.o.bus.start(
      (event) => this.apply(event).catch((e: unknown) => this.o.logger.warn({ err: e, event }, 'moderation event failed')),
      (raw) => this.o.logger.warn({ raw: raw.slice(0, 200) }, 'malformed moderation event dropped'),
    );
  }

  stop(): void {
    this.o.bus.stop();
  }

  async kick(actor: AuthUser, roomId: number, userId: string): Promise<void> {
    await this.requireOutranks(actor, roomId, userId);
    await this.dispatch({ type: 'remove', roomId, userId, reason: 'kick', until: null });
  }

  async ban(actor: AuthUser, roomId: number, userId: string, durationS: number | undefined): Promise<Restriction> {
    await this.requireOutranks(actor, roomId, userId);
    const record = await this.restrict(actor, roomId, userId, 'ban', durationS);
    await this.dispatch({ type: 'remove', roomId, userId, reason: 'ban', until: record.until?.toISOString() ?? null });
    return toRestriction(record);
  }

  async mute(actor: AuthUser, roomId: number, userId: string, durationS: number): Promise<Restriction> {
    await this.requireOutranks(actor, roomId, userId);
    const record = await this.restrict(actor, roomId, userId, 'mute', durationS);
    await this.dispatch({ type: 'mutes', roomId, userId, muted: true });
    return toRestriction(record);
  }

  /** Lifting a ban or mute is a 204 whether or not there was one. */
  async lift(actor: AuthUser, roomId: number, kind: RestrictionKind, userId: string): Promise<void> {
    await this.requireModerator(actor, roomId);
    await this.o.restrictions.remove(roomId, kind, userId, this.now());
    if (kind === 'mute') await this.dispatch({ type: 'mutes', roomId, userId, muted: false });
  }

  async list(actor: AuthUser, roomId: number, kind: RestrictionKind): Promise<Restriction[]> {
    await this.requireModerator(actor, roomId);
    return (await this.o.restrictions.list(roomId, this.now(), kind)).map(toRestriction);
  }

  /** Reads the room's mutes into the cache (on join), so the member's sends are checked synchronously. */
  warmMutes(roomId: number): Promise<void> {
    return this.o.mutes.warm(roomId);
  }

  /** MUTED for a muted member; synchronous when the room's mutes are cached. Admins are never muted. */
  checkNotMuted(user: AuthUser, roomId: number): void | Promise<void> {
    if (user.admin === true) return;
    const muted = this.o.mutes.isMuted(roomId, user.id);
    if (typeof muted === 'boolean') {
      if (muted) throw new ParleyError('MUTED');
      return;
    }
    return muted.then((m) => {
      if (m) throw new ParleyError('MUTED');
    });
  }

  // --- internals ------------------------------------------------------------

  private now(): Date {
    return new Date(this.o.clock.now());
  }

  private async restrict(actor: AuthUser, roomId: number, userId: string, kind: RestrictionKind, durationS: number | undefined): Promise<RestrictionRecord> {
    const now = this.o.clock.now();
    const record: RestrictionRecord = {
      roomId,
      userId,
      kind,
      until: durationS === undefined ? null : new Date(now + durationS * 1000),
      byId: actor.id,
      createdAt: new Date(now),
    };
    await this.o.restrictions.put(record);
    return record;
  }

  /** Here first (so the answer means "done on this instance"), then on every other instance. */
  private async dispatch(event: ModerationEvent): Promise<void> {
    await this.apply(event);
    this.o.bus.publish(event);
  }

  private async apply(event: ModerationEvent): Promise<void> {
    if (event.type === 'mutes') {
      this.o.mutes.invalidate(event.roomId);
      // A muted member may not be in the call either (joining it is refused MUTED).
      if (event.muted) for (const session of this.localSessions(event.userId)) await this.o.calls.leave(session, event.roomId);
      return;
    }
    const topic = roomTopic(event.roomId);
    const body = JSON.stringify({ roomId: event.roomId, reason: event.reason, until: event.until } satisfies KickedBody);
    for (const session of this.localSessions(event.userId)) {
      const user = session.user;
      if (user === undefined || user.admin === true || !this.o.rooms.isJoined(session, event.roomId)) continue;
      // deliverNow: even a subscription still held for its resume replay gets the notice before it ends.
      for (const sub of session.subscriptionsTo(topic)) sub.deliverNow(this.o.broker.prepare(topic, jsonFrameHeaders('kicked'), body));
      await this.o.rooms.eject(session, user, event.roomId);
    }
    await this.o.rooms.ejectAbsent(event.roomId, event.userId);
  }

  private *localSessions(userId: string): Generator<StompSession> {
    for (const session of this.o.broker.allSessions()) if (session.user?.id === userId) yield session;
  }

  private async requireModerator(actor: AuthUser, roomId: number): Promise<RoomAuthority> {
    const authority = await this.o.rooms.authority(roomId);
    if (!canModerate(authority, actor)) throw new ParleyError('NOT_MODERATOR');
    return authority;
  }

  /**
   * Moderation acts only downwards: never on yourself, the owner, an admin or an equal. Whether the
   * target is a site admin is known only from their token, so only while one of their sessions is
   * connected here; enforcement skips admins anyway (their joins, sends and sessions are untouched).
   */
  private async requireOutranks(actor: AuthUser, roomId: number, userId: string): Promise<void> {
    const authority = await this.requireModerator(actor, roomId);
    if (userId === actor.id) throw new ParleyError('CANNOT_MODERATE', 'You cannot moderate yourself');
    let admin = false;
    for (const s of this.localSessions(userId)) if (s.user?.admin === true) admin = true;
    if (rankOf(authority, { id: userId, admin }) >= rankOf(authority, actor)) throw new ParleyError('CANNOT_MODERATE');
  }
}

function toRestriction(r: RestrictionRecord): Restriction {
  return { userId: r.userId, until: r.until?.toISOString() ?? null, byId: r.byId, createdAt: r.createdAt.toISOString() };
}

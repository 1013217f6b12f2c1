import type { AuthUser } from '../auth/auth-user.js';
import type { CallService } from '../calls/call-service.js';
import { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { MessageService } from '../messages/message-service.js';
import { roomTopic } from '../messages/message-view.js';
import type { TypingService } from '../messages/typing-service.js';
import type { PresenceStore } from '../presence/presence-store.js';
import type { Broker } from '../stomp/broker.js';
import type { Clock } from '../stomp/clock.js';
import type { StompSession } from '../stomp/session.js';
import type { RestrictionRepository } from '../moderation/restriction-repository.js';
import { hashPassword, verifyPassword } from './password.js';
import { canAdminister, type RoomAuthority } from './room-roles.js';
import type { RoomKind, RoomRecord, RoomRepository } from './room-repository.js';
import { LOBBY_TOPIC, toRoomJson } from './room-view.js';
import type { LobbyRoomDeletedBody, PresenceEvent, Room, RoomDeletedBody } from '../../sdk/protocol/shapes.js';
import type { LobbyFrameType } from '../../sdk/protocol/frames.js';
import { jsonFrameHeaders } from '../frame-headers.js';

export interface RoomServiceOptions {
  repository: RoomRepository;
  presence: PresenceStore;
  messages: MessageService;
  typing: TypingService;
  calls: CallService;
  broker: Broker;
  clock: Clock;
  logger: Logger;
  leaveGraceMs: number;
  /** Bans and mutes: a banned user's joins are refused BANNED. */
  restrictions: RestrictionRepository;
  /**
   * Charged before every password check (throws to refuse, e.g. TOO_MANY_ATTEMPTS). A right password
   * makes the user a member, who is not asked again, so this bounds wrong guesses; charging before
   * the check means a right password during a lockout is refused too.
   */
  passwordTry?: (user: AuthUser, roomId: number, address: string) => void | Promise<void>;
}

/**
 * Rooms and who is in them. Password and capacity are checked here, on the server; live
 * counts come from the presence store, and `user_cnt` follows them.
 */
export class RoomService {
  private readonly graceTimers = new Map<string, unknown>();
  private stopped = false;
  private readonly countWrites = new Map<number, { running: boolean; again: boolean }>();

  constructor(private readonly o: RoomServiceOptions) {}

  // --- REST -----------------------------------------------------------------

  /** One page by id; `nextAfterId` is null on the last page (one extra row tells). */
  async list(page: { afterId: number; limit: number }): Promise<{ rooms: Room[]; nextAfterId: number | null }> {
    const records = await this.o.repository.list({ afterId: page.afterId, limit: page.limit + 1 });
    const more = records.length > page.limit;
    const shown = more ? records.slice(0, page.limit) : records;
    // One query for the moderators of the whole page, not one per room.
    const moderators = await this.o.repository.moderatorsOf(shown.map((r) => r.id));
    const rooms = await Promise.all(shown.map(async (r) => toRoomJson(r, await this.o.presence.userCount(r.id), moderators.get(r.id) ?? [])));
    return { rooms, nextAfterId: more ? shown[shown.length - 1]!.id : null };
  }

  async get(roomId: number): Promise<Room> {
    return this.view(await this.require(roomId));
  }

  async create(owner: AuthUser, input: { name: string; kind: RoomKind; maxUsers: number; password: string | undefined }): Promise<Room> {
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    const room = await this.o.repository.create({ name: input.name, kind: input.kind, maxUsers: input.maxUsers, passwordHash, ownerId: owner.id });
    await this.o.repository.addMember(room.id, owner.id);
    const json = await this.view(room);
    this.lobby('room-created', json);
    return json;
  }

  async update(user: AuthUser, roomId: number, patch: { name?: string; maxUsers?: number; password?: string | null }): Promise<Room> {
    const room = await this.requireOwned(user, roomId);
    const changes: Partial<Pick<RoomRecord, 'name' | 'maxUsers' | 'passwordHash'>> = {};
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.maxUsers !== undefined) changes.maxUsers = patch.maxUsers;
    if (patch.password !== undefined) changes.passwordHash = patch.password === null ? null : await hashPassword(patch.password);
    const updated = (await this.o.repository.update(room.id, changes)) ?? room;
    // A new password shuts out everyone who is not in the room now (docs/protocol.md §3): the
    // users joined at this moment (on any instance: presence is shared) stay members.
    if (typeof patch.password === 'string') {
      await this.o.repository.resetMembers(room.id, (await this.o.presence.users(room.id)).map((u) => u.id));
    }
    const json = await this.view(updated);
    this.lobby('room-updated', json);
    return json;
  }

  async delete(user: AuthUser, roomId: number): Promise<void> {
    await this.requireOwned(user, roomId);
    await this.o.repository.delete(roomId);
    const topic = roomTopic(roomId);
    this.o.broker.publish(topic, jsonFrameHeaders('room-deleted'), JSON.stringify({ roomId } satisfies RoomDeletedBody));
    this.o.broker.dropDestination(topic);
    for (const u of await this.o.presence.users(roomId)) this.cancelGrace(roomId, u.id);
    await this.o.presence.clearRoom(roomId);
    this.o.typing.clearRoom(roomId);
    await this.o.calls.clearRoom(roomId);
    this.o.messages.forgetRoom(roomId);
    this.lobby('room-deleted', { id: roomId });
  }

  /** History of a locked room is for members; an open room's for anyone signed in; neither for the banned. */
  async assertCanRead(user: AuthUser, roomId: number): Promise<void> {
    const room = await this.require(roomId);
    // A banned user reads nothing of the room, open or locked, until the ban ends.
    await this.assertNotBanned(user, roomId);
    if (room.passwordHash === null || (await this.o.presence.hasUser(roomId, user.id)) || (await this.isPrivileged(room, user))) return;
    if (!(await this.o.repository.isMember(roomId, user.id))) throw new ParleyError('NOT_MEMBER');
  }

  // --- STOMP ----------------------------------------------------------------

  async join(session: StompSession, user: AuthUser, roomId: number, password: string | undefined): Promise<void> {
    const room = await this.require(roomId);
    if (this.o.presence.hasSession(roomId, session.id)) return;
    await this.assertNotBanned(user, roomId);
    const alreadyIn = await this.o.presence.hasUser(roomId, user.id);
    if (!alreadyIn && room.passwordHash !== null && !(await this.isPrivileged(room, user)) && !(await this.o.repository.isMember(roomId, user.id))) {
      if (password === undefined) throw new ParleyError('BAD_PASSWORD', 'This room needs a password');
      await this.o.passwordTry?.(user, roomId, session.transport.remoteAddress);
      if (!(await verifyPassword(password, room.passwordHash))) throw new ParleyError('BAD_PASSWORD');
      await this.o.repository.addMember(roomId, user.id);
    }
    if (!session.isOpen) return;
    // The store checks capacity and adds in one step, so two instances cannot both take the last place.
    const { full, userWasAbsent } = await this.o.presence.addSession(roomId, user, session.id, room.maxUsers);
    if (full) throw new ParleyError('ROOM_FULL');
    // The socket may have closed while the store answered; its close handler saw no room yet.
    if (!session.isOpen) {
      await this.sessionLeft(roomId, user, session.id);
      return;
    }
    this.cancelGrace(roomId, user.id);
    if (!userWasAbsent) return;
    await this.presenceEvent(roomId, 'joined', user);
    await this.o.messages.appendSystem(roomId, user, 'enter');
  }

  /** An explicit leave: at once, no grace. */
  async leave(session: StompSession, user: AuthUser, roomId: number): Promise<void> {
    if (!this.o.presence.hasSession(roomId, session.id)) throw new ParleyError('NOT_MEMBER');
    this.o.broker.dropSessionDestination(session, roomTopic(roomId));
    await this.o.calls.leave(session, roomId);
    const { userHasNoSessions } = await this.o.presence.removeSession(roomId, user.id, session.id);
    if (userHasNoSessions) await this.removeUser(roomId, user);
  }

  /**
   * A kick or ban (backend/moderation): this session leaves at once, like an explicit leave, but
   * without refusing when it is not joined (another instance may have got there first).
   */
  async eject(session: StompSession, user: AuthUser, roomId: number): Promise<void> {
    if (!this.o.presence.hasSession(roomId, session.id)) return;
    this.o.broker.dropSessionDestination(session, roomTopic(roomId));
    await this.o.calls.leave(session, roomId);
    const { userHasNoSessions } = await this.o.presence.removeSession(roomId, user.id, session.id);
    if (userHasNoSessions) await this.removeUser(roomId, user);
  }

  /**
   * After ejecting a user's sessions here: a user still present without sessions (in the leave
   * grace after a dropped socket) leaves now instead of after the grace.
   */
  async ejectAbsent(roomId: number, userId: string): Promise<void> {
    this.cancelGrace(roomId, userId);
    if ((await this.o.presence.sessionCount(roomId, userId)) > 0) return;
    const user = (await this.o.presence.users(roomId)).find((u) => u.id === userId);
    if (user !== undefined) await this.removeUser(roomId, user);
  }

  /** Refuses BANNED while a ban is in force; site admins are never kept out. */
  async assertNotBanned(user: AuthUser, roomId: number): Promise<void> {
    if (user.admin === true) return;
    if ((await this.o.restrictions.find(roomId, 'ban', user.id, new Date(this.o.clock.now()))) !== null) throw new ParleyError('BANNED');
  }

  /** The room with what decides who may moderate it; ROOM_NOT_FOUND when there is none. */
  async authority(roomId: number): Promise<{ room: RoomRecord } & RoomAuthority> {
    const room = await this.require(roomId);
    return { room, ownerId: room.ownerId, moderatorIds: (await this.o.repository.moderatorsOf([roomId])).get(roomId) ?? [] };
  }

  /** Makes `userId` a moderator of the room or not (owner or admin only); announces the room on the lobby. */
  async setModerator(user: AuthUser, roomId: number, userId: string, moderator: boolean): Promise<Room> {
    const room = await this.requireOwned(user, roomId);
    if (moderator) await this.o.repository.addModerator(roomId, userId);
    else await this.o.repository.removeModerator(roomId, userId);
    const json = await this.view(room);
    this.lobby('room-updated', json);
    return json;
  }

  /** A closed connection leaves its rooms after the grace period, unless the user comes back. */
  sessionClosed(session: StompSession): void {
    const user = session.user;
    if (user === undefined) return;
    for (const roomId of this.o.presence.roomsOfSession(session.id)) {
      this.sessionLeft(roomId, user, session.id).catch((e: unknown) => this.o.logger.warn({ err: e, roomId }, 'presence update after close failed'));
    }
  }

  /**
   * Sessions (or a grace period) left behind by an instance that died: no grace, it has been
   * gone for longer than one. `sessionId` null: the user was in a grace period there.
   */
  async reap(roomId: number, userId: string, sessionId: string | null): Promise<void> {
    if (sessionId !== null) {
      if (!(await this.o.presence.removeSession(roomId, userId, sessionId)).userHasNoSessions) return;
    } else if ((await this.o.presence.sessionCount(roomId, userId)) > 0) return;
    const user = (await this.o.presence.users(roomId)).find((u) => u.id === userId);
    if (user !== undefined) await this.removeUser(roomId, user);
  }

  isJoined(session: StompSession, roomId: number): boolean {
    return this.o.presence.hasSession(roomId, session.id);
  }

  async presenceSnapshot(roomId: number): Promise<string> {
    const [users, userCount] = await Promise.all([this.o.presence.users(roomId), this.o.presence.userCount(roomId)]);
    return JSON.stringify({ kind: 'snapshot', users, userCount } satisfies PresenceEvent);
  }

  /** Publishes a fresh presence snapshot (after Redis lost and regained presence). */
  async announcePresence(roomId: number): Promise<void> {
    this.o.broker.publish(roomTopic(roomId), jsonFrameHeaders('presence'), await this.presenceSnapshot(roomId));
  }

  /** Timers would keep a stopping process alive and fire into a closed database. */
  stop(): void {
    this.stopped = true;
    for (const t of this.graceTimers.values()) this.o.clock.clearTimeout(t);
    this.graceTimers.clear();
  }

  // --- internals ------------------------------------------------------------

  private async sessionLeft(roomId: number, user: AuthUser, sessionId: string): Promise<void> {
    const { userHasNoSessions } = await this.o.presence.removeSession(roomId, user.id, sessionId);
    // Sessions closed by shutdown answer after stop(): a grace armed now would outlive the instance.
    if (!userHasNoSessions || this.stopped) return;
    const key = graceKey(roomId, user.id);
    this.cancelGrace(roomId, user.id);
    this.graceTimers.set(
      key,
      this.o.clock.setTimeout(() => {
        this.graceTimers.delete(key);
        const end = async (): Promise<void> => {
          await this.o.presence.graceOver(roomId, user.id);
          if ((await this.o.presence.sessionCount(roomId, user.id)) > 0) return;
          await this.removeUser(roomId, user);
        };
        end().catch((e: unknown) => this.o.logger.error({ err: e, roomId }, 'leave after grace failed'));
      }, this.o.leaveGraceMs),
    );
  }

  private async removeUser(roomId: number, user: AuthUser): Promise<void> {
    if (!(await this.o.presence.removeUser(roomId, user.id))) return;
    this.o.typing.clearUser(roomId, user);
    await this.presenceEvent(roomId, 'left', user);
    if ((await this.o.repository.get(roomId)) === null) return;
    await this.o.messages.appendSystem(roomId, user, 'leave');
  }

  private async presenceEvent(roomId: number, kind: 'joined' | 'left', user: AuthUser): Promise<void> {
    const userCount = await this.o.presence.userCount(roomId);
    this.o.broker.publish(
      roomTopic(roomId),
      jsonFrameHeaders('presence'),
      JSON.stringify({ kind, user: { id: user.id, nickname: user.nickname }, userCount } satisfies PresenceEvent),
    );
    this.persistCount(roomId);
  }

  /** One write at a time per room, always ending on the latest count. */
  private persistCount(roomId: number): void {
    let state = this.countWrites.get(roomId);
    if (state === undefined) {
      state = { running: false, again: false };
      this.countWrites.set(roomId, state);
    }
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    const s = state;
    const loop = async (): Promise<void> => {
      do {
        s.again = false;
        const count = await this.o.presence.userCount(roomId);
        await this.o.repository.setUserCount(roomId, count);
        const room = await this.o.repository.get(roomId);
        if (room !== null) this.lobby('room-updated', toRoomJson(room, count, (await this.o.repository.moderatorsOf([roomId])).get(roomId) ?? []));
      } while (s.again);
    };
    loop()
      .catch((e: unknown) => this.o.logger.warn({ err: e, roomId }, 'user count write failed'))
      .finally(() => {
        s.running = false;
        this.countWrites.delete(roomId);
      });
  }

  private lobby(type: LobbyFrameType, body: Room | LobbyRoomDeletedBody): void {
    this.o.broker.publish(LOBBY_TOPIC, jsonFrameHeaders(type), JSON.stringify(body));
  }

  private async view(room: RoomRecord): Promise<Room> {
    const [count, moderators] = await Promise.all([this.o.presence.userCount(room.id), this.o.repository.moderatorsOf([room.id])]);
    return toRoomJson(room, count, moderators.get(room.id) ?? []);
  }

  /** The owner, the room's moderators and site admins need no password (docs/authorization.md). */
  private async isPrivileged(room: RoomRecord, user: AuthUser): Promise<boolean> {
    if (user.admin === true || (room.ownerId !== null && room.ownerId === user.id)) return true;
    return ((await this.o.repository.moderatorsOf([room.id])).get(room.id) ?? []).includes(user.id);
  }

  private async require(roomId: number): Promise<RoomRecord> {
    const room = await this.o.repository.get(roomId);
    if (room === null) throw new ParleyError('ROOM_NOT_FOUND');
    return room;
  }

  private async requireOwned(user: AuthUser, roomId: number): Promise<RoomRecord> {
    const room = await this.require(roomId);
    // Moderators do not count here: only the owner and site admins change the room itself.
    if (!canAdminister({ ownerId: room.ownerId, moderatorIds: [] }, user)) throw new ParleyError('NOT_OWNER');
    return room;
  }

  private cancelGrace(roomId: number, userId: string): void {
    const key = graceKey(roomId, userId);
    const t = this.graceTimers.get(key);
    if (t === undefined) return;
    this.o.clock.clearTimeout(t);
    this.graceTimers.delete(key);
  }
}

function graceKey(roomId: number, userId: string): string {
  return `${roomId}:${userId}`;
}

import { ForeignKeyConstraintError, Op, QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize';
import { ParleyError } from '../errors.js';
import type { RoomModel } from '../db/models/room.js';
import type { RoomMemberModel } from '../db/models/room-member.js';
import { charLength, formatDate, parseDate, parseInteger, parseNullableDate, parseNullableString, truncateToSeconds } from '../db/row-values.js';
import type { Dialect } from '../db/row-values.js';

export type { RoomKind } from '../../sdk/protocol/shapes.js';
import type { RoomKind } from '../../sdk/protocol/shapes.js';

export interface RoomRecord {
  id: number;
  name: string;
  kind: RoomKind;
  maxUsers: number;
  passwordHash: string | null;
  /** Null for rooms inherited from the legacy chat: they have no owner. */
  ownerId: string | null;
  /** Parsed from the legacy text column `user_cnt`; anything not a non-negative number reads as 0. */
  userCount: number;
  /** Whole seconds (DATETIME). */
  createdAt: Date;
  updatedAt: Date | null;
}

export type RoomPatch = Partial<Pick<RoomRecord, 'name' | 'maxUsers' | 'passwordHash' | 'kind'>>;

export interface RoomRepository {
  create(input: { name: string; kind: RoomKind; maxUsers: number; passwordHash: string | null; ownerId: string }): Promise<RoomRecord>;
  get(id: number): Promise<RoomRecord | null>;
  /** Ordered by id ascending; with `page`, at most `limit` rooms with an id above `afterId`. */
  list(page?: { afterId: number; limit: number }): Promise<RoomRecord[]>;
  /** Changes only the given fields and stamps `updatedAt`; null when there is no such room. */
  update(id: number, patch: RoomPatch): Promise<RoomRecord | null>;
  /** Removes the room with its messages and members (foreign keys cascade); false when there was none. */
  delete(id: number): Promise<boolean>;
  /** Stores the live count as text in `user_cnt`, for legacy readers. */
  setUserCount(id: number, count: number): Promise<void>;
  /** For server start: live counts come from sessions, and nobody is connected yet. */
  resetAllUserCounts(): Promise<void>;
  /** Idempotent: joining twice keeps the first `joined_at`. Rejects with ROOM_NOT_FOUND for a missing room. */
  addMember(roomId: number, userId: string): Promise<void>;
  isMember(roomId: number, userId: string): Promise<boolean>;
  /**
   * After a password change: the members become exactly `keep` (the users joined at that moment), so
   * everyone else must give the new password to come back.
   */
  resetMembers(roomId: number, keep: readonly string[]): Promise<void>;
  /** Moderator ids per room for a page of rooms, in one query; rooms without moderators map to []. */
  moderatorsOf(roomIds: readonly number[]): Promise<Map<number, string[]>>;
  /** Idempotent. Rejects with ROOM_NOT_FOUND for a missing room. */
  addModerator(roomId: number, userId: string): Promise<void>;
  /** Idempotent. */
  removeModerator(roomId: number, userId: string): Promise<void>;
}

export interface RoomRepositoryDeps {
  sequelize: Sequelize;
  dialect: Dialect;
  rooms: RoomModel;
  members: RoomMemberModel;
  /** Clock for `reg_date`, `updated_at` and `joined_at`. */
  now: () => Date;
}

const ROOM_KINDS: readonly string[] = ['chat', 'video'] satisfies RoomKind[];
const MAX_INT = 2_147_483_647;
/** `h_` plus a host `sub` of up to 64 characters (0003-moderation widened the columns). */
const USER_ID_MAX = 66;

/** Reads `user_cnt`: legacy rows may hold anything, and a drifted count such as '-1' means nobody. */
export function parseUserCount(raw: unknown): number {
  const n = Number(typeof raw === 'string' ? raw.trim() : raw);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function toRecord(row: Record<string, unknown>): RoomRecord {
  const kind = String(row['kind']);
  return {
    id: parseInteger(row['id'], 'room.id'),
    name: String(row['name']),
    kind: ROOM_KINDS.includes(kind) ? (kind as RoomKind) : 'chat',
    maxUsers: parseInteger(row['maxUsers'], 'room.max_users'),
    passwordHash: parseNullableString(row['passwordHash']),
    ownerId: parseNullableString(row['ownerId']),
    userCount: parseUserCount(row['userCnt']),
    createdAt: parseDate(row['createdAt'], 'room.reg_date'),
    updatedAt: parseNullableDate(row['updatedAt'], 'room.updated_at'),
  };
}

function checkId(id: number, what = 'room id'): void {
  if (!Number.isSafeInteger(id)) throw new TypeError(`${what} must be an integer, got ${String(id)}`);
}

function checkText(value: string, what: string, maxChars: number): void {
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string`);
  const n = charLength(value);
  if (n === 0 || n > maxChars) throw new RangeError(`${what} must be 1 to ${maxChars} characters, got ${n}`);
}

function checkPatch(patch: RoomPatch): void {
  if (patch.name !== undefined) checkText(patch.name, 'Room name', 100);
  if (patch.kind !== undefined && !ROOM_KINDS.includes(patch.kind)) throw new RangeError(`Room kind must be chat or video, got ${String(patch.kind)}`);
  if (patch.maxUsers !== undefined && !(Number.isSafeInteger(patch.maxUsers) && patch.maxUsers >= 1 && patch.maxUsers <= MAX_INT)) {
    throw new RangeError(`maxUsers must be a positive integer, got ${String(patch.maxUsers)}`);
  }
  if (patch.passwordHash !== undefined && patch.passwordHash !== null) checkText(patch.passwordHash, 'Password hash', 255);
}

/** The room repository over the `room` and `room_member` tables. */
export function createRoomRepository(deps: RoomRepositoryDeps): RoomRepository {
  const { sequelize, dialect, rooms, members, now } = deps;
  const qi = sequelize.getQueryInterface();
  const memberTable = qi.quoteIdentifier('room_member');
  const moderatorTable = qi.quoteIdentifier('room_moderators');
  const insertModeratorSql =
    dialect === 'mysql'
      ? `INSERT INTO ${moderatorTable} (room_id, user_id, created_at) VALUES ($1, $2, $3) ON DUPLICATE KEY UPDATE room_id = room_id`
      : `INSERT INTO ${moderatorTable} (room_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (room_id, user_id) DO NOTHING`;
  // Keeps the first joined_at; unlike INSERT IGNORE it still reports a missing room.
  const insertMemberSql =
    dialect === 'mysql'
      ? `INSERT INTO ${memberTable} (room_id, user_id, joined_at) VALUES ($1, $2, $3) ON DUPLICATE KEY UPDATE room_id = room_id`
      : `INSERT INTO ${memberTable} (room_id, user_id, joined_at) VALUES ($1, $2, $3) ON CONFLICT (room_id, user_id) DO NOTHING`;

  async function get(id: number): Promise<RoomRecord | null> {
    checkId(id);
    const row = await rooms.findByPk(id, { raw: true });
    return row === null ? null : toRecord(row as unknown as Record<string, unknown>);
  }

  return {
    async create(input) {
      checkText(input.name, 'Room name', 100);
      checkText(input.ownerId, 'Owner id', USER_ID_MAX);
      checkPatch({ kind: input.kind, maxUsers: input.maxUsers, passwordHash: input.passwordHash });
      // reg_date keeps whole seconds; truncate first so the returned record equals a later read.
      const createdAt = truncateToSeconds(now());
      const room = await rooms.create({
        name: input.name,
        kind: input.kind,
        maxUsers: input.maxUsers,
        passwordHash: input.passwordHash,
        ownerId: input.ownerId,
        userCnt: '0',
        createdAt,
        updatedAt: null,
      });
      return {
        id: parseInteger(room.get('id'), 'room.id'),
        name: input.name,
        kind: input.kind,
        maxUsers: input.maxUsers,
        passwordHash: input.passwordHash,
        ownerId: input.ownerId,
        userCount: 0,
        createdAt,
        updatedAt: null,
      };
    },

    get,

    async list(page) {
      const rows = await rooms.findAll({ raw: true, where: { id: { [Op.gt]: page?.afterId ?? 0 } }, order: [['id', 'ASC']], ...(page === undefined ? {} : { limit: page.limit }) });
      return rows.map((row) => toRecord(row as unknown as Record<string, unknown>));
    },

    async update(id, patch) {
      checkId(id);
      checkPatch(patch);
      const values: Record<string, unknown> = { updatedAt: truncateToSeconds(now()) };
      if (patch.name !== undefined) values['name'] = patch.name;
      if (patch.kind !== undefined) values['kind'] = patch.kind;
      if (patch.maxUsers !== undefined) values['maxUsers'] = patch.maxUsers;
      if (patch.passwordHash !== undefined) values['passwordHash'] = patch.passwordHash;
      // The affected-row count cannot tell "missing" from "unchanged" on MySQL (it counts
      // changed rows), so read the room back instead.
      await rooms.update(values, { where: { id } });
      return get(id);
    },

    async delete(id) {
      checkId(id);
      return (await rooms.destroy({ where: { id } })) > 0;
    },

    async setUserCount(id, count) {
      checkId(id);
      if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`User count must be a non-negative integer, got ${String(count)}`);
      await rooms.update({ userCnt: String(count) }, { where: { id } });
    },

    async resetAllUserCounts() {
      await rooms.update({ userCnt: '0' }, { where: { userCnt: { [Op.ne]: '0' } } });
    },

    async addMember(roomId, userId) {
      checkId(roomId);
      checkText(userId, 'User id', USER_ID_MAX);
      try {
        await sequelize.query(insertMemberSql, { bind: [roomId, userId, formatDate(truncateToSeconds(now()), dialect)], type: QueryTypes.INSERT });
      } catch (e: unknown) {
        if (e instanceof ForeignKeyConstraintError) throw new ParleyError('ROOM_NOT_FOUND', undefined, { cause: e });
        throw e;
      }
    },

    async isMember(roomId, userId) {
      checkId(roomId);
      const row = await members.findOne({ attributes: ['roomId'], where: { roomId, userId }, raw: true });
      return row !== null;
    },

    async resetMembers(roomId, keep) {
      checkId(roomId);
      for (const userId of keep) checkText(userId, 'User id', USER_ID_MAX);
      await sequelize.transaction(async (transaction) => {
        await members.destroy({ where: keep.length === 0 ? { roomId } : { roomId, userId: { [Op.notIn]: [...keep] } }, transaction });
        const joinedAt = formatDate(truncateToSeconds(now()), dialect);
        for (const userId of keep) await sequelize.query(insertMemberSql, { bind: [roomId, userId, joinedAt], type: QueryTypes.INSERT, transaction });
      });
    },

    async moderatorsOf(roomIds) {
      const out = new Map<number, string[]>();
      for (const id of roomIds) {
        checkId(id);
        out.set(id, []);
      }
      if (roomIds.length === 0) return out;
      const rows = await sequelize.query<{ room_id: unknown; user_id: unknown }>(
        `SELECT room_id, user_id FROM ${moderatorTable} WHERE room_id IN (${roomIds.map((_, i) => `$${i + 1}`).join(', ')}) ORDER BY room_id, created_at, user_id`,
        { bind: [...roomIds], type: QueryTypes.SELECT },
      );
      for (const row of rows) out.get(parseInteger(row.room_id, 'room_moderators.room_id'))?.push(String(row.user_id));
      return out;
    },

    async addModerator(roomId, userId) {
      checkId(roomId);
      checkText(userId, 'User id', USER_ID_MAX);
      try {
        await sequelize.query(insertModeratorSql, { bind: [roomId, userId, formatDate(now(), dialect)], type: QueryTypes.INSERT });
      } catch (e: unknown) {
        if (e instanceof ForeignKeyConstraintError) throw new ParleyError('ROOM_NOT_FOUND', undefined, { cause: e });
        throw e;
      }
    },

    async removeModerator(roomId, userId) {
      checkId(roomId);
      await sequelize.query(`DELETE FROM ${moderatorTable} WHERE room_id = $1 AND user_id = $2`, { bind: [roomId, userId], type: QueryTypes.DELETE });
    },
  };
}

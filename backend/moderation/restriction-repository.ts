import { ForeignKeyConstraintError, QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize';
import { ParleyError } from '../errors.js';
import { formatDate, parseDate, parseNullableDate } from '../db/row-values.js';
import type { Dialect } from '../db/row-values.js';

/** A ban keeps a user out of a room; a mute lets them read but not speak. */
export type RestrictionKind = 'ban' | 'mute';

export interface RestrictionRecord {
  roomId: number;
  userId: string;
  kind: RestrictionKind;
  /** Null: no end (bans only). */
  until: Date | null;
  byId: string;
  createdAt: Date;
}

/** Bans and mutes in `room_restrictions`; "in force" always means `until` is null or after `now`. */
export interface RestrictionRepository {
  /** Stores (or replaces) the user's restriction of that kind. Rejects with ROOM_NOT_FOUND for a missing room. */
  put(record: RestrictionRecord): Promise<void>;
  /** Lifts it; false when there was none in force. */
  remove(roomId: number, kind: RestrictionKind, userId: string, now: Date): Promise<boolean>;
  /** The user's restriction of that kind in force at `now`, or null. */
  find(roomId: number, kind: RestrictionKind, userId: string, now: Date): Promise<RestrictionRecord | null>;
  /** Every restriction of the room (all kinds, or one) in force at `now`, ascending by `createdAt`. */
  list(roomId: number, now: Date, kind?: RestrictionKind): Promise<RestrictionRecord[]>;
}

export function createRestrictionRepository(sequelize: Sequelize, dialect: Dialect): RestrictionRepository {
  const table = sequelize.getQueryInterface().quoteIdentifier('room_restrictions');
  const upsert =
    dialect === 'mysql'
      ? `INSERT INTO ${table} (room_id, kind, user_id, until, by_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON DUPLICATE KEY UPDATE until = VALUES(until), by_id = VALUES(by_id), created_at = VALUES(created_at)`
      : `INSERT INTO ${table} (room_id, kind, user_id, until, by_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (room_id, kind, user_id) DO UPDATE SET until = excluded.until, by_id = excluded.by_id, created_at = excluded.created_at`;
  const inForce = `(until IS NULL OR until > $NOW)`;
  const date = (d: Date): string => formatDate(d, dialect);

  function toRecord(row: Record<string, unknown>): RestrictionRecord {
    return {
      roomId: Number(row['room_id']),
      userId: String(row['user_id']),
      kind: row['kind'] === 'ban' ? 'ban' : 'mute',
      until: parseNullableDate(row['until'], 'room_restrictions.until'),
      byId: String(row['by_id']),
      createdAt: parseDate(row['created_at'], 'room_restrictions.created_at'),
    };
  }

  return {
    async put(r) {
      try {
        await sequelize.query(upsert, {
          bind: [r.roomId, r.kind, r.userId, r.until === null ? null : date(r.until), r.byId, date(r.createdAt)],
          type: QueryTypes.INSERT,
        });
      } catch (e: unknown) {
        if (e instanceof ForeignKeyConstraintError) throw new ParleyError('ROOM_NOT_FOUND', undefined, { cause: e });
        throw e;
      }
    },

    async remove(roomId, kind, userId, now) {
      const found = await this.find(roomId, kind, userId, now);
      // Expired rows go too: they are dead weight either way.
      await sequelize.query(`DELETE FROM ${table} WHERE room_id = $1 AND kind = $2 AND user_id = $3`, { bind: [roomId, kind, userId], type: QueryTypes.DELETE });
      return found !== null;
    },

    async find(roomId, kind, userId, now) {
      const rows = await sequelize.query<Record<string, unknown>>(
        `SELECT * FROM ${table} WHERE room_id = $1 AND kind = $2 AND user_id = $3 AND ${inForce.replace('$NOW', '$4')}`,
        { bind: [roomId, kind, userId, date(now)], type: QueryTypes.SELECT },
      );
      return rows.length === 0 ? null : toRecord(rows[0]!);
    },

    async list(roomId, now, kind) {
      const rows = await sequelize.query<Record<string, unknown>>(
        `SELECT * FROM ${table} WHERE room_id = $1 AND ${inForce.replace('$NOW', '$2')}${kind === undefined ? '' : ' AND kind = $3'} ORDER BY created_at, user_id`,
        { bind: kind === undefined ? [roomId, date(now)] : [roomId, date(now), kind], type: QueryTypes.SELECT },
      );
      return rows.map(toRecord);
    },
  };
}

import { ForeignKeyConstraintError, Op, QueryTypes, UniqueConstraintError } from 'sequelize';
import type { Sequelize, Transaction } from 'sequelize';
import { ParleyError } from '../errors.js';
import { MESSAGE_CLIENT_ID_INDEX } from '../db/models/message.js';
import type { MessageModel } from '../db/models/message.js';
import { charLength, formatDate, parseDate, parseInteger, parseNullableDate, parseNullableString } from '../db/row-values.js';
import type { Dialect } from '../db/row-values.js';
import type { MessageType } from '../../sdk/protocol/shapes.js';

export type { MessageType };

/** A stored change to an earlier message, kept in the `message` table as its own stream entry. */
export type MutationKind = 'edit' | 'delete';

/** The columns every entry of a room's stream has. */
interface EntryFields {
  id: number;
  roomId: number;
  seq: number;
  /** The message's sender; for a mutation, who made the change. */
  senderId: string;
  senderNickname: string;
  /** Empty for system messages, tombstones and mutations (a mutation never keeps a copy of text). */
  text: string;
  clientMsgId: string | null;
  /** Millisecond precision. */
  createdAt: Date;
  /** Time of the last edit; always null on a mutation. */
  editedAt: Date | null;
  /** A tombstone; always false on a mutation. */
  deleted: boolean;
}

/** A chat or system message, in its current state. */
export interface MessageRecord extends EntryFields {
  type: MessageType;
  targetSeq: null;
}

/** An edit or delete: its own seq in the stream, naming its target by `targetSeq`. */
export interface MutationRecord extends EntryFields {
  type: MutationKind;
  targetSeq: number;
}

/** One entry of a room's stream: what a seq stands for. */
export type StreamEntry = MessageRecord | MutationRecord;

export function isMutation(entry: StreamEntry): entry is MutationRecord {
  return entry.type === 'edit' || entry.type === 'delete';
}

export type NewMessage = Omit<MessageRecord, 'id' | 'createdAt' | 'editedAt' | 'deleted' | 'targetSeq'> & { createdAt?: Date };

/** A mutation to store at `seq`, changing the message at `targetSeq` in the same transaction. */
export interface NewMutation {
  roomId: number;
  seq: number;
  targetSeq: number;
  actor: { id: string; nickname: string };
  createdAt: Date;
  /** `edit`: the new text (already validated); `delete`: empties the text and marks the tombstone. */
  change: { kind: 'edit'; text: string } | { kind: 'delete' };
}

export interface MessageRepository {
  /**
   * Inserts with the given seq (the caller serialises per room and assigns seq). Rejects with
   * {@link DuplicateMessageError} when (roomId, senderId, clientMsgId) already exists, with
   * ROOM_NOT_FOUND when the room does not, and with {@link SeqTakenError} when the seq is taken
   * (another instance wrote to the room).
   */
  insert(input: NewMessage): Promise<MessageRecord>;
  /**
   * Inserts several messages of one room in one statement (all or none): the group commit of a
   * busy room. Throws {@link DuplicateMessageError} (naming one of the batch's clientMsgIds) when
   * any (room, sender, clientMsgId) already exists; the caller then falls back to `insert`.
   */
  insertMany(inputs: readonly NewMessage[]): Promise<MessageRecord[]>;
  /**
   * Inserts the messages of several rooms in one statement (all or none): the cross-room group
   * commit. Each group holds the messages of one room, each room at most once. Rejects with
   * {@link BatchConflictError} when a unique or foreign key constraint refused the statement
   * (which room is not known: the caller writes each group alone to find out); any other
   * rejection means nothing of the batch was stored.
   */
  insertRooms(groups: readonly (readonly NewMessage[])[]): Promise<MessageRecord[][]>;
  findByClientMsgId(roomId: number, senderId: string, clientMsgId: string): Promise<MessageRecord | null>;
  /** 0 when the room has no messages. */
  lastSeq(roomId: number): Promise<number>;
  /** Stream entries with seq > afterSeq, ascending, at most `limit`. */
  listAfter(roomId: number, afterSeq: number, limit: number): Promise<StreamEntry[]>;
  /** Stream entries with seq < beforeSeq: the `limit` newest of those, returned ascending. */
  listBefore(roomId: number, beforeSeq: number, limit: number): Promise<StreamEntry[]>;
  /** Stream entries with afterSeq < seq <= upToSeq, ascending. */
  range(roomId: number, afterSeq: number, upToSeq: number): Promise<StreamEntry[]>;
  /** The entry at `seq`, message or mutation; null when there is none. */
  findBySeq(roomId: number, seq: number): Promise<StreamEntry | null>;
  /** The messages (not mutations) among `seqs`, in their current state, ascending. */
  findMessages(roomId: number, seqs: readonly number[]): Promise<MessageRecord[]>;
  /** The newest `edit` of the message at `targetSeq`, or null. */
  lastEdit(roomId: number, targetSeq: number): Promise<MutationRecord | null>;
  /**
   * Changes the target text message and stores the mutation, in one transaction: a reader never
   * sees the entry without the change. Resolves `'deleted'` (and stores nothing) when the target
   * is already a tombstone or is not a text message; rejects with {@link SeqTakenError} when the
   * seq is taken (nothing is changed then either).
   */
  mutate(input: NewMutation): Promise<{ mutation: MutationRecord; target: MessageRecord } | 'deleted'>;
}

/**
 * Another writer (another instance) already stored a message with this seq in the room: the
 * caller re-reads the last seq and tries again. The (room_id, seq) key is the truth.
 */
export class SeqTakenError extends Error {
  constructor(readonly roomId: number, options?: { cause?: unknown }) {
    super(`A seq was already taken in room ${roomId}`, options);
    this.name = 'SeqTakenError';
  }
}

/**
 * A multi-room INSERT hit a constraint (a retried clientMsgId, a seq another instance took, a
 * deleted room): nothing was stored, and writing each room alone says which and why.
 */
export class BatchConflictError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('A constraint refused a multi-room insert', options);
    this.name = 'BatchConflictError';
  }
}

/** The sender already sent a message with this client id to this room: a retry, not a new message. */
export class DuplicateMessageError extends Error {
  readonly roomId: number;
  readonly senderId: string;
  readonly clientMsgId: string;

  constructor(roomId: number, senderId: string, clientMsgId: string, options?: { cause?: unknown }) {
    super(`Message ${clientMsgId} from ${senderId} is already stored in room ${roomId}`, options);
    this.name = 'DuplicateMessageError';
    this.roomId = roomId;
    this.senderId = senderId;
    this.clientMsgId = clientMsgId;
  }
}

export interface MessageRepositoryDeps {
  sequelize: Sequelize;
  dialect: Dialect;
  messages: MessageModel;
  /** Clock for `createdAt` when the caller gives none. */
  now: () => Date;
}

const MESSAGE_TYPES: readonly string[] = ['text', 'enter', 'leave'] satisfies MessageType[];
const MUTATION_KINDS: readonly string[] = ['edit', 'delete'] satisfies MutationKind[];
/** MySQL TEXT holds 65,535 bytes. */
const MAX_TEXT_BYTES = 65_535;

/**
 * True when a unique violation is on (room_id, sender_id, client_msg_id). Sequelize reports the
 * columns for SQLite and the index name for MySQL.
 */
function isClientMsgIdConflict(e: unknown): boolean {
  if (!(e instanceof UniqueConstraintError)) return false;
  const fields: unknown = e.fields;
  if (Array.isArray(fields)) return fields.includes('client_msg_id');
  return typeof fields === 'object' && fields !== null && MESSAGE_CLIENT_ID_INDEX in fields;
}

function toRecord(row: Record<string, unknown>): StreamEntry {
  const type = String(row['type']);
  const fields: EntryFields = {
    id: parseInteger(row['id'], 'message.id'),
    roomId: parseInteger(row['roomId'], 'message.room_id'),
    seq: parseInteger(row['seq'], 'message.seq'),
    senderId: String(row['senderId']),
    senderNickname: String(row['senderNickname']),
    text: String(row['text']),
    clientMsgId: parseNullableString(row['clientMsgId']),
    createdAt: parseDate(row['createdAt'], 'message.created_at'),
    editedAt: parseNullableDate(row['editedAt'], 'message.edited_at'),
    // SQLite and MySQL's TINYINT(1) both hand back 0/1 on raw reads.
    deleted: row['deleted'] === true || Number(row['deleted']) === 1,
  };
  if (MUTATION_KINDS.includes(type)) {
    return { ...fields, type: type as MutationKind, targetSeq: parseInteger(row['targetSeq'], 'message.target_seq') };
  }
  return { ...fields, type: type as MessageType, targetSeq: null };
}

function toMessage(row: Record<string, unknown>): MessageRecord {
  const entry = toRecord(row);
  if (isMutation(entry)) throw new TypeError(`Entry ${entry.seq} of room ${entry.roomId} is a mutation, not a message`);
  return entry;
}

function checkInteger(value: number, what: string, min: number): void {
  if (!Number.isSafeInteger(value)) throw new TypeError(`${what} must be an integer, got ${String(value)}`);
  if (value < min) throw new RangeError(`${what} must be at least ${min}, got ${value}`);
}

/** User ids are `h_` plus a host `sub` of up to 64 (migration 0003 widened the columns to 66). */
const MAX_USER_ID = 66;
const MAX_CLIENT_MSG_ID = 64;
/** Rooms per id read-back query after a multi-room INSERT. */
const ID_READ_ROOMS = 100;

const idKey = (roomId: number, seq: number): string => `${roomId}:${seq}`;

function checkId(value: string, what: string, max: number): void {
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string`);
  const n = charLength(value);
  if (n === 0 || n > max) throw new RangeError(`${what} must be 1 to ${max} characters, got ${n}`);
}

function checkInput(input: NewMessage): void {
  checkInteger(input.roomId, 'roomId', 1);
  checkInteger(input.seq, 'seq', 1);
  if (!MESSAGE_TYPES.includes(input.type)) throw new RangeError(`Message type must be text, enter or leave, got ${String(input.type)}`);
  checkId(input.senderId, 'senderId', MAX_USER_ID);
  if (typeof input.senderNickname !== 'string' || charLength(input.senderNickname) > 64) {
    throw new RangeError('senderNickname must be a string of at most 64 characters');
  }
  if (typeof input.text !== 'string') throw new TypeError('text must be a string');
  if (Buffer.byteLength(input.text, 'utf8') > MAX_TEXT_BYTES) throw new RangeError(`text must be at most ${MAX_TEXT_BYTES} bytes of UTF-8`);
  if (input.clientMsgId !== null) checkId(input.clientMsgId, 'clientMsgId', MAX_CLIENT_MSG_ID);
  if (input.createdAt !== undefined && !(input.createdAt instanceof Date && !Number.isNaN(input.createdAt.getTime()))) {
    throw new TypeError('createdAt must be a valid Date');
  }
}

/** The message repository over the `message` table. */
export function createMessageRepository(deps: MessageRepositoryDeps): MessageRepository {
  const { sequelize, dialect, messages, now } = deps;
  const inMemory = dialect === 'sqlite' && (sequelize as unknown as { options: { storage?: string } }).options.storage === ':memory:';
  const qi = sequelize.getQueryInterface();
  const columns = ['room_id', 'seq', 'type', 'sender_id', 'sender_nickname', 'text', 'client_msg_id', 'created_at'];
  // The hot path: one prepared statement, no model instance, no read-back.
  const insertSql =
    `INSERT INTO ${qi.quoteIdentifier('message')} (${columns.map((c) => qi.quoteIdentifier(c)).join(', ')}) ` +
    'VALUES ($1, $2, $3, $4, $5, $6, $7, $8)';
  const insertHead = `INSERT INTO ${qi.quoteIdentifier('message')} (${columns.map((c) => qi.quoteIdentifier(c)).join(', ')}) VALUES `;
  const mutationColumns = ['room_id', 'seq', 'type', 'sender_id', 'sender_nickname', 'text', 'client_msg_id', 'created_at', 'target_seq'];
  const mutationSql =
    `INSERT INTO ${qi.quoteIdentifier('message')} (${mutationColumns.map((c) => qi.quoteIdentifier(c)).join(', ')}) ` +
    "VALUES ($1, $2, $3, $4, $5, '', NULL, $6, $7)";

  async function findMany(where: Record<string | symbol, unknown>, order: 'ASC' | 'DESC', limit?: number): Promise<StreamEntry[]> {
    const rows = await messages.findAll({
      raw: true,
      where,
      order: [['seq', order]],
      ...(limit === undefined ? {} : { limit }),
    });
    return rows.map((row) => toRecord(row as unknown as Record<string, unknown>));
  }

  const record = (input: NewMessage, id: unknown, createdAt: Date): MessageRecord => ({
    id: parseInteger(id, 'message.id'),
    roomId: input.roomId,
    seq: input.seq,
    type: input.type,
    senderId: input.senderId,
    senderNickname: input.senderNickname,
    text: input.text,
    clientMsgId: input.clientMsgId,
    createdAt: new Date(createdAt.getTime()),
    editedAt: null,
    deleted: false,
    targetSeq: null,
  });

  /**
   * One multi-row INSERT: a single statement is atomic on SQLite and on InnoDB. Resolves with the
   * new rows' ids on SQLite (RETURNING) and undefined on MySQL (8.0 has no RETURNING: the caller
   * reads them back). SQLite gets the values escaped into the text by Sequelize, not `$n` binds:
   * the sqlite3 driver finds each named parameter by a linear search, so 1,000 rows (8,000 `$n`)
   * took 350 ms to bind against 6–10 ms as text (scripts/bench/group-commit.ts).
   */
  async function insertRows(inputs: readonly NewMessage[], createdAts: readonly Date[]): Promise<Map<string, unknown> | undefined> {
    if (dialect === 'sqlite') {
      const rows = inputs.map((input, i) => {
        const values = [input.roomId, input.seq, input.type, input.senderId, input.senderNickname, input.text, input.clientMsgId, formatDate(createdAts[i]!, dialect)];
        return `(${values.map((v) => (v === null ? 'NULL' : sequelize.escape(v))).join(', ')})`;
      });
      // Sequelize runs a statement that starts with `INSERT INTO` without reading rows back; the
      // comment in front makes it read the RETURNING rows (SQLite ≥ 3.35).
      const returned: unknown = await sequelize.query(`/* group commit */ ${insertHead}${rows.join(', ')} RETURNING id, room_id, seq`, { type: QueryTypes.SELECT, raw: true });
      if (!Array.isArray(returned)) return undefined;
      return new Map((returned as { id: unknown; room_id: unknown; seq: unknown }[]).map((r) => [idKey(parseInteger(r.room_id, 'message.room_id'), parseInteger(r.seq, 'message.seq')), r.id] as const));
    }
    const bind: unknown[] = [];
    const rows = inputs.map((input, i) => {
      const base = i * 8;
      bind.push(input.roomId, input.seq, input.type, input.senderId, input.senderNickname, input.text, input.clientMsgId, formatDate(createdAts[i]!, dialect));
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7}, $${base + 8})`;
    });
    await sequelize.query(`${insertHead}${rows.join(', ')}`, { type: QueryTypes.INSERT, bind });
    return undefined;
  }

  /**
   * The ids of just-inserted rows on MySQL, read back by (room, seq range) rather than assumed
   * consecutive (InnoDB's interleaved auto-increment does not promise it). Rooms are read in chunks because SQLite
   * parses a chain of ORs as a tree no deeper than 1,000.
   */
  async function readIds(groups: readonly (readonly NewMessage[])[]): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    for (let i = 0; i < groups.length; i += ID_READ_ROOMS) {
      const ranges = groups.slice(i, i + ID_READ_ROOMS).map((group) => {
        const seqs = group.map((input) => input.seq);
        return { roomId: group[0]!.roomId, seq: { [Op.gte]: Math.min(...seqs), [Op.lte]: Math.max(...seqs) } };
      });
      const rows = await messages.findAll({ raw: true, attributes: ['id', 'roomId', 'seq'], where: ranges.length === 1 ? ranges[0]! : { [Op.or]: ranges } });
      for (const row of rows) {
        const r = row as unknown as { id: unknown; roomId: unknown; seq: unknown };
        out.set(idKey(parseInteger(r.roomId, 'message.room_id'), parseInteger(r.seq, 'message.seq')), r.id);
      }
    }
    return out;
  }

  return {
    async insertMany(inputs) {
      if (inputs.length === 0) return [];
      const roomId = inputs[0]!.roomId;
      for (const input of inputs) {
        checkInput(input);
        if (input.roomId !== roomId) throw new RangeError('insertMany takes messages of one room');
      }
      const createdAts = inputs.map((input) => input.createdAt ?? now());
      let returned: Map<string, unknown> | undefined;
      try {
        returned = await insertRows(inputs, createdAts);
      } catch (e: unknown) {
        const withId = inputs.find((input) => input.clientMsgId !== null);
        if (withId !== undefined && isClientMsgIdConflict(e)) {
          throw new DuplicateMessageError(roomId, withId.senderId, withId.clientMsgId!, { cause: e });
        }
        if (e instanceof ForeignKeyConstraintError) throw new ParleyError('ROOM_NOT_FOUND', undefined, { cause: e });
        if (e instanceof UniqueConstraintError) throw new SeqTakenError(roomId, { cause: e });
        throw e;
      }
      const ids = returned ?? (await readIds([inputs]));
      return inputs.map((input, i) => record(input, ids.get(idKey(input.roomId, input.seq)), createdAts[i]!));
    },

    async insertRooms(groups) {
      const rooms = new Set<number>();
      for (const group of groups) {
        if (group.length === 0) throw new RangeError('insertRooms takes no empty group');
        const roomId = group[0]!.roomId;
        if (rooms.has(roomId)) throw new RangeError(`insertRooms takes room ${roomId} once`);
        rooms.add(roomId);
        for (const input of group) {
          checkInput(input);
          if (input.roomId !== roomId) throw new RangeError('A group of insertRooms holds messages of one room');
        }
      }
      const all = groups.flat();
      if (all.length === 0) return [];
      const createdAts = all.map((input) => input.createdAt ?? now());
      let returned: Map<string, unknown> | undefined;
      try {
        returned = await insertRows(all, createdAts);
      } catch (e: unknown) {
        if (e instanceof UniqueConstraintError || e instanceof ForeignKeyConstraintError) throw new BatchConflictError({ cause: e });
        throw e;
      }
      const ids = returned ?? (await readIds(groups));
      let k = 0;
      return groups.map((group) => group.map((input) => record(input, ids.get(idKey(input.roomId, input.seq)), createdAts[k++]!)));
    },

    async insert(input) {
      checkInput(input);
      const createdAt = input.createdAt ?? now();
      let insertId: unknown;
      try {
        [insertId] = await sequelize.query(insertSql, {
          type: QueryTypes.INSERT,
          bind: [
            input.roomId,
            input.seq,
            input.type,
            input.senderId,
            input.senderNickname,
            input.text,
            input.clientMsgId,
            formatDate(createdAt, dialect),
          ],
        });
      } catch (e: unknown) {
        if (input.clientMsgId !== null && isClientMsgIdConflict(e)) {
          throw new DuplicateMessageError(input.roomId, input.senderId, input.clientMsgId, { cause: e });
        }
        if (e instanceof ForeignKeyConstraintError) throw new ParleyError('ROOM_NOT_FOUND', undefined, { cause: e });
        if (e instanceof UniqueConstraintError) throw new SeqTakenError(input.roomId, { cause: e });
        throw e;
      }
      return record(input, insertId, createdAt);
    },

    async findByClientMsgId(roomId, senderId, clientMsgId) {
      checkInteger(roomId, 'roomId', 1);
      const row = await messages.findOne({ raw: true, where: { roomId, senderId, clientMsgId } });
      return row === null ? null : toMessage(row as unknown as Record<string, unknown>);
    },

    async lastSeq(roomId) {
      checkInteger(roomId, 'roomId', 1);
      const max: unknown = await messages.max('seq', { where: { roomId } });
      return max === null || max === undefined ? 0 : parseInteger(max, 'message.seq');
    },

    async listAfter(roomId, afterSeq, limit) {
      checkInteger(roomId, 'roomId', 1);
      checkInteger(afterSeq, 'afterSeq', 0);
      checkInteger(limit, 'limit', 0);
      if (limit === 0) return [];
      return findMany({ roomId, seq: { [Op.gt]: afterSeq } }, 'ASC', limit);
    },

    async listBefore(roomId, beforeSeq, limit) {
      checkInteger(roomId, 'roomId', 1);
      checkInteger(beforeSeq, 'beforeSeq', 0);
      checkInteger(limit, 'limit', 0);
      if (limit === 0 || beforeSeq <= 1) return [];
      return (await findMany({ roomId, seq: { [Op.lt]: beforeSeq } }, 'DESC', limit)).reverse();
    },

    async range(roomId, afterSeq, upToSeq) {
      checkInteger(roomId, 'roomId', 1);
      checkInteger(afterSeq, 'afterSeq', 0);
      checkInteger(upToSeq, 'upToSeq', 0);
      if (upToSeq <= afterSeq) return [];
      return findMany({ roomId, seq: { [Op.gt]: afterSeq, [Op.lte]: upToSeq } }, 'ASC');
    },

    async findBySeq(roomId, seq) {
      checkInteger(roomId, 'roomId', 1);
      checkInteger(seq, 'seq', 1);
      const row = await messages.findOne({ raw: true, where: { roomId, seq } });
      return row === null ? null : toRecord(row as unknown as Record<string, unknown>);
    },

    async findMessages(roomId, seqs) {
      checkInteger(roomId, 'roomId', 1);
      for (const seq of seqs) checkInteger(seq, 'seq', 1);
      if (seqs.length === 0) return [];
      const rows = await findMany({ roomId, seq: { [Op.in]: [...new Set(seqs)] }, type: { [Op.in]: MESSAGE_TYPES } }, 'ASC');
      return rows.filter((e): e is MessageRecord => !isMutation(e));
    },

    async lastEdit(roomId, targetSeq) {
      checkInteger(roomId, 'roomId', 1);
      checkInteger(targetSeq, 'targetSeq', 1);
      const [row] = await findMany({ roomId, targetSeq, type: 'edit' }, 'DESC', 1);
      return row !== undefined && isMutation(row) ? row : null;
    },

    async mutate(input) {
      checkInteger(input.roomId, 'roomId', 1);
      checkInteger(input.seq, 'seq', 1);
      checkInteger(input.targetSeq, 'targetSeq', 1);
      if (input.targetSeq >= input.seq) throw new RangeError('A mutation comes after its target');
      checkId(input.actor.id, 'actor.id', MAX_USER_ID);
      if (input.change.kind === 'edit' && Buffer.byteLength(input.change.text, 'utf8') > MAX_TEXT_BYTES) {
        throw new RangeError(`text must be at most ${MAX_TEXT_BYTES} bytes of UTF-8`);
      }
      const { roomId, targetSeq } = input;
      const write = async (transaction: Transaction | undefined): Promise<{ mutation: MutationRecord; target: MessageRecord } | 'deleted'> => {
        // The WHERE is the check: two instances deleting at once change the row once.
        const values = input.change.kind === 'edit' ? { text: input.change.text, editedAt: input.createdAt } : { text: '', deleted: true };
        const [changed] = await messages.update(values, { where: { roomId, seq: targetSeq, type: 'text', deleted: false }, ...(transaction === undefined ? {} : { transaction }) });
        if (changed === 0) return 'deleted';
        try {
          await sequelize.query(mutationSql, {
            type: QueryTypes.INSERT,
            ...(transaction === undefined ? {} : { transaction }),
            bind: [roomId, input.seq, input.change.kind, input.actor.id, input.actor.nickname, formatDate(input.createdAt, dialect), targetSeq],
          });
        } catch (e: unknown) {
          if (e instanceof ForeignKeyConstraintError) throw new ParleyError('ROOM_NOT_FOUND', undefined, { cause: e });
          if (e instanceof UniqueConstraintError) throw new SeqTakenError(roomId, { cause: e });
          throw e;
        }
        const rows = await messages.findAll({ raw: true, where: { roomId, seq: [input.seq, targetSeq] }, order: [['seq', 'ASC']], ...(transaction === undefined ? {} : { transaction }) });
        const [target, mutation] = rows.map((row) => toRecord(row as unknown as Record<string, unknown>));
        if (target === undefined || mutation === undefined || isMutation(target) || !isMutation(mutation)) {
          throw new Error(`Mutation ${input.seq} of room ${roomId} was not read back`);
        }
        return { mutation, target };
      };
      // An in-memory SQLite database has one handle for everything, so a transaction there would
      // take in whatever other rooms write meanwhile (and a rollback would undo it). It serves one
      // instance, whose lane already orders the room's writers, so the statements run alone.
      return inMemory ? write(undefined) : sequelize.transaction(write);
    },
  };
}

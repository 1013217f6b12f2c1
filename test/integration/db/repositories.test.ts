import { existsSync } from 'node:fs';
import path from 'node:path';
import { QueryTypes, UniqueConstraintError } from 'sequelize';
import type { Transaction } from 'sequelize';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SQLITE_BUSY_TIMEOUT_MS, openDatabase } from '../../../backend/db/database.js';
import type { Database } from '../../../backend/db/database.js';
import { ParleyError } from '../../../backend/errors.js';
import { DuplicateMessageError, SeqTakenError } from '../../../backend/messages/message-repository.js';
import type { MessageRecord, MessageType } from '../../../backend/messages/message-repository.js';
import type { RoomRecord } from '../../../backend/rooms/room-repository.js';
import { createMysqlDatabase, tempSqliteUrl } from '../../helpers/databases.js';

interface Target {
  name: string;
  /** Whether data outlives close(); an in-memory SQLite database does not. */
  persistent: boolean;
  prepare(): Promise<{ url: string; dispose(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'SQLite file',
    persistent: true,
    prepare: async () => {
      const file = tempSqliteUrl();
      return { url: file.url, dispose: file.cleanup };
    },
  },
  { name: 'SQLite memory', persistent: false, prepare: async () => ({ url: 'sqlite::memory:', dispose: async () => undefined }) },
  {
    name: 'MySQL',
    persistent: true,
    prepare: async () => {
      const created = await createMysqlDatabase('parley_repo');
      return { url: created.url, dispose: created.drop };
    },
  },
];

const KOREAN = '안녕하세요, 공부방에 오신 것을 환영합니다';
const EMOJI = '😀 👩‍💻 🇰🇷 ❤️';

describe.each(targets)('database repositories on $name', (target) => {
  let url = '';
  let dispose: () => Promise<void> = async () => undefined;
  let db: Database;
  let clock = new Date('2024-03-01T09:30:15.250Z');
  const now = (): Date => clock;
  const open = (): Promise<Database> => openDatabase(url, { now });

  let prepared: Promise<void> | undefined;

  afterAll(async () => {
    await dispose();
  });
  beforeEach(async () => {
    // Prepared in the first beforeEach rather than in beforeAll: when the server is down every
    // test then fails on its own, where a failed beforeAll would report them as skipped.
    prepared ??= target.prepare().then((p) => {
      ({ url, dispose } = p);
    });
    await prepared;
    clock = new Date('2024-03-01T09:30:15.250Z');
    db = await open();
  });
  afterEach(async () => {
    await db?.close();
  });

  async function makeRoom(name = 'room', ownerId = 'owner-1'): Promise<RoomRecord> {
    return db.rooms.create({ name, kind: 'chat', maxUsers: 50, passwordHash: null, ownerId });
  }

  async function insertMessages(roomId: number, count: number, from = 1): Promise<MessageRecord[]> {
    const out: MessageRecord[] = [];
    for (let seq = from; seq < from + count; seq++) {
      out.push(
        await db.messages.insert({
          roomId,
          seq,
          type: 'text',
          senderId: 'u1',
          senderNickname: 'Kim',
          text: `message ${seq}`,
          clientMsgId: `c-${seq}`,
        }),
      );
    }
    return out;
  }

  async function countRows(table: 'message' | 'room_member', roomId: number): Promise<number> {
    const [row] = await db.sequelize.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table} WHERE room_id = ?`, {
      replacements: [roomId],
      type: QueryTypes.SELECT,
    });
    return Number(row?.n);
  }

  it('reports its dialect and answers a ping', async () => {
    expect(db.dialect).toBe(target.name === 'MySQL' ? 'mysql' : 'sqlite');
    await expect(db.ping()).resolves.toBeUndefined();
  });

  it('rejects a ping with UNAVAILABLE once closed', async () => {
    await db.close();
    await expect(db.ping()).rejects.toMatchObject({ name: 'ParleyError', code: 'UNAVAILABLE' });
  });

  it('creates a room and reads the same record back by id', async () => {
    const created = await db.rooms.create({ name: 'Lobby', kind: 'video', maxUsers: 8, passwordHash: '$argon2id$hash', ownerId: 'alice' });
    expect(created).toEqual({
      id: expect.any(Number),
      name: 'Lobby',
      kind: 'video',
      maxUsers: 8,
      passwordHash: '$argon2id$hash',
      ownerId: 'alice',
      userCount: 0,
      createdAt: new Date('2024-03-01T09:30:15.000Z'),
      updatedAt: null,
    });
    expect(await db.rooms.get(created.id)).toEqual(created);
  });

  it('returns null for a room that does not exist', async () => {
    expect(await db.rooms.get(987_654)).toBeNull();
  });

  it('lists rooms in ascending id order', async () => {
    const a = await makeRoom('a');
    const b = await makeRoom('b');
    const c = await makeRoom('c');
    const ids = (await db.rooms.list()).map((r) => r.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(ids.filter((id) => [a.id, b.id, c.id].includes(id))).toEqual([a.id, b.id, c.id]);
    expect(a.id).toBeLessThan(b.id);
  });

  it('updates only the patched fields and stamps updatedAt', async () => {
    const room = await makeRoom('before');
    clock = new Date('2024-03-02T00:00:01.900Z');
    const updated = await db.rooms.update(room.id, { name: 'after', maxUsers: 3 });
    expect(updated).toEqual({ ...room, name: 'after', maxUsers: 3, updatedAt: new Date('2024-03-02T00:00:01.000Z') });
    expect(await db.rooms.get(room.id)).toEqual(updated);

    const withPassword = await db.rooms.update(room.id, { passwordHash: 'h', kind: 'video' });
    expect(withPassword).toMatchObject({ name: 'after', maxUsers: 3, passwordHash: 'h', kind: 'video' });
    expect((await db.rooms.update(room.id, { passwordHash: null }))?.passwordHash).toBeNull();
  });

  it('returns null when updating a room that does not exist', async () => {
    expect(await db.rooms.update(987_654, { name: 'x' })).toBeNull();
  });

  it('rejects invalid room fields before touching the database', async () => {
    await expect(db.rooms.create({ name: '', kind: 'chat', maxUsers: 5, passwordHash: null, ownerId: 'o' })).rejects.toBeInstanceOf(RangeError);
    await expect(db.rooms.create({ name: 'x'.repeat(101), kind: 'chat', maxUsers: 5, passwordHash: null, ownerId: 'o' })).rejects.toBeInstanceOf(RangeError);
    await expect(db.rooms.create({ name: 'ok', kind: 'chat', maxUsers: 0, passwordHash: null, ownerId: 'o' })).rejects.toBeInstanceOf(RangeError);
    // 100 Korean syllables fit VARCHAR(100): the limit counts characters, not bytes.
    const long = await db.rooms.create({ name: '가'.repeat(100), kind: 'chat', maxUsers: 5, passwordHash: null, ownerId: 'o' });
    expect((await db.rooms.get(long.id))?.name).toBe('가'.repeat(100));
  });

  it('deletes a room together with its messages and members', async () => {
    const room = await makeRoom('doomed');
    const other = await makeRoom('survivor');
    await insertMessages(room.id, 3);
    await insertMessages(other.id, 2);
    await db.rooms.addMember(room.id, 'u1');
    await db.rooms.addMember(other.id, 'u1');

    expect(await db.rooms.delete(room.id)).toBe(true);

    expect(await db.rooms.get(room.id)).toBeNull();
    expect(await countRows('message', room.id)).toBe(0);
    expect(await countRows('room_member', room.id)).toBe(0);
    expect(await db.messages.lastSeq(room.id)).toBe(0);
    expect(await db.rooms.isMember(room.id, 'u1')).toBe(false);
    // The other room is untouched.
    expect(await db.messages.lastSeq(other.id)).toBe(2);
    expect(await db.rooms.isMember(other.id, 'u1')).toBe(true);
    expect(await db.rooms.delete(room.id)).toBe(false);
  });

  it('never hands out a deleted room id again', async () => {
    const first = await makeRoom('first');
    await db.rooms.delete(first.id);
    const second = await makeRoom('second');
    expect(second.id).toBeGreaterThan(first.id);
  });

  it('stores the live user count as text and reads drifted legacy values as 0', async () => {
    const room = await makeRoom();
    await db.rooms.setUserCount(room.id, 7);
    expect((await db.rooms.get(room.id))?.userCount).toBe(7);
    const [stored] = await db.sequelize.query<{ user_cnt: string }>('SELECT user_cnt FROM room WHERE id = ?', {
      replacements: [room.id],
      type: QueryTypes.SELECT,
    });
    expect(stored?.user_cnt).toBe('7');

    for (const [raw, expected] of [['-1', 0], ['abc', 0], ['', 0], [' 12 ', 12], ['NaN', 0], ['3.9', 3]] as const) {
      await db.sequelize.query('UPDATE room SET user_cnt = ? WHERE id = ?', { replacements: [raw, room.id] });
      expect((await db.rooms.get(room.id))?.userCount, `user_cnt '${raw}'`).toBe(expected);
    }
    await expect(db.rooms.setUserCount(room.id, -1)).rejects.toBeInstanceOf(RangeError);
    await expect(db.rooms.setUserCount(room.id, 1.5)).rejects.toBeInstanceOf(RangeError);
  });

  it('resets every user count to 0', async () => {
    const a = await makeRoom('a');
    const b = await makeRoom('b');
    await db.rooms.setUserCount(a.id, 4);
    await db.rooms.setUserCount(b.id, 9);
    await db.rooms.resetAllUserCounts();
    const rooms = await db.rooms.list();
    expect(rooms.map((r) => r.userCount).every((n) => n === 0)).toBe(true);
    expect(rooms.map((r) => r.id)).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it('records members idempotently, per room and per user id exactly', async () => {
    const room = await makeRoom();
    const other = await makeRoom('other');
    expect(await db.rooms.isMember(room.id, 'alice')).toBe(false);
    await db.rooms.addMember(room.id, 'alice');
    await db.rooms.addMember(room.id, 'alice');
    expect(await db.rooms.isMember(room.id, 'alice')).toBe(true);
    expect(await db.rooms.isMember(room.id, 'Alice')).toBe(false);
    expect(await db.rooms.isMember(other.id, 'alice')).toBe(false);
    expect(await countRows('room_member', room.id)).toBe(1);
  });

  it('refuses a member for a room that does not exist', async () => {
    const error: unknown = await db.rooms.addMember(987_654, 'alice').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParleyError);
    expect(error).toMatchObject({ code: 'ROOM_NOT_FOUND' });
  });

  it('inserts a message and returns it with its id, numeric seq and timestamp', async () => {
    const room = await makeRoom();
    const createdAt = new Date('2024-05-06T07:08:09.123Z');
    const message = await db.messages.insert({
      roomId: room.id,
      seq: 1,
      type: 'enter',
      senderId: 'u1',
      senderNickname: 'Kim',
      text: 'Kim joined',
      clientMsgId: null,
      createdAt,
    });
    expect(message).toEqual({
      id: expect.any(Number),
      roomId: room.id,
      seq: 1,
      type: 'enter',
      senderId: 'u1',
      senderNickname: 'Kim',
      text: 'Kim joined',
      clientMsgId: null,
      createdAt,
      editedAt: null,
      deleted: false,
      targetSeq: null,
    });
    expect(await db.messages.listAfter(room.id, 0, 10)).toEqual([message]);
    expect(await db.messages.lastSeq(room.id)).toBe(1);

    // Without createdAt the injected clock decides, to the millisecond.
    const second = await db.messages.insert({ roomId: room.id, seq: 2, type: 'text', senderId: 'u1', senderNickname: 'Kim', text: 'hi', clientMsgId: 'c2' });
    expect(second.createdAt).toEqual(new Date('2024-03-01T09:30:15.250Z'));
    expect(second.id).toBeGreaterThan(message.id);
    expect((await db.messages.range(room.id, 1, 2))[0]).toEqual(second);
  });

  it('returns seq as a JS number beyond 32 bits', async () => {
    const room = await makeRoom();
    const seq = 2 ** 40 + 7;
    await db.messages.insert({ roomId: room.id, seq, type: 'text', senderId: 'u1', senderNickname: 'Kim', text: 'big', clientMsgId: null });
    const [read] = await db.messages.listAfter(room.id, 0, 1);
    expect(read?.seq).toBe(seq);
    expect(typeof read?.id).toBe('number');
    expect(await db.messages.lastSeq(room.id)).toBe(seq);
  });

  it('refuses a second message with the same seq in a room, but not in another room', async () => {
    const room = await makeRoom();
    const other = await makeRoom('other');
    await insertMessages(room.id, 1);
    const clash = db.messages.insert({ roomId: room.id, seq: 1, type: 'text', senderId: 'u2', senderNickname: 'Lee', text: 'x', clientMsgId: 'other-id' });
    const error: unknown = await clash.catch((e: unknown) => e);
    // A typed error, so the message service can retry with a fresh seq (another instance wrote).
    expect(error).toBeInstanceOf(SeqTakenError);
    expect((error as SeqTakenError).cause).toBeInstanceOf(UniqueConstraintError);
    expect(error).not.toBeInstanceOf(DuplicateMessageError);
    await expect(insertMessages(other.id, 1)).resolves.toHaveLength(1);
  });

  it('throws DuplicateMessageError for the same sender and clientMsgId in a room', async () => {
    const room = await makeRoom();
    const [original] = await insertMessages(room.id, 1);
    const error: unknown = await db.messages
      .insert({ roomId: room.id, seq: 2, type: 'text', senderId: 'u1', senderNickname: 'Kim', text: 'retry', clientMsgId: 'c-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateMessageError);
    expect(error).toMatchObject({ roomId: room.id, senderId: 'u1', clientMsgId: 'c-1' });
    expect(await db.messages.lastSeq(room.id)).toBe(1);
    expect(await db.messages.findByClientMsgId(room.id, 'u1', 'c-1')).toEqual(original);
  });

  it('accepts the same clientMsgId from another sender, in another room, or in another letter case', async () => {
    const room = await makeRoom();
    const other = await makeRoom('other');
    const base = { type: 'text' as MessageType, senderNickname: 'n', text: 't' };
    await db.messages.insert({ ...base, roomId: room.id, seq: 1, senderId: 'u1', clientMsgId: 'abc' });
    await db.messages.insert({ ...base, roomId: room.id, seq: 2, senderId: 'u2', clientMsgId: 'abc' });
    await db.messages.insert({ ...base, roomId: other.id, seq: 1, senderId: 'u1', clientMsgId: 'abc' });
    await db.messages.insert({ ...base, roomId: room.id, seq: 3, senderId: 'u1', clientMsgId: 'ABC' });
    expect((await db.messages.listAfter(room.id, 0, 10)).map((m) => [m.senderId, m.clientMsgId])).toEqual([
      ['u1', 'abc'],
      ['u2', 'abc'],
      ['u1', 'ABC'],
    ]);
    expect((await db.messages.findByClientMsgId(room.id, 'u1', 'ABC'))?.seq).toBe(3);
    expect(await db.messages.findByClientMsgId(room.id, 'u1', 'nope')).toBeNull();
  });

  it('allows any number of messages without a clientMsgId from one sender', async () => {
    const room = await makeRoom();
    const base = { roomId: room.id, type: 'text' as MessageType, senderId: 'u1', senderNickname: 'n', text: 't', clientMsgId: null };
    await db.messages.insert({ ...base, seq: 1 });
    await db.messages.insert({ ...base, seq: 2 });
    expect(await db.messages.listAfter(room.id, 0, 10)).toHaveLength(2);
  });

  it('refuses a message for a room that does not exist', async () => {
    const error: unknown = await db.messages
      .insert({ roomId: 987_654, seq: 1, type: 'text', senderId: 'u1', senderNickname: 'n', text: 't', clientMsgId: null })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ParleyError', code: 'ROOM_NOT_FOUND' });
  });

  it('lists messages after a seq in ascending order, at most limit', async () => {
    const room = await makeRoom();
    await insertMessages(room.id, 10);
    expect((await db.messages.listAfter(room.id, 0, 3)).map((m) => m.seq)).toEqual([1, 2, 3]);
    expect((await db.messages.listAfter(room.id, 7, 100)).map((m) => m.seq)).toEqual([8, 9, 10]);
    expect(await db.messages.listAfter(room.id, 10, 5)).toEqual([]);
    expect(await db.messages.listAfter(room.id, 0, 0)).toEqual([]);
  });

  it('lists the newest messages before a seq, returned ascending', async () => {
    const room = await makeRoom();
    await insertMessages(room.id, 10);
    expect((await db.messages.listBefore(room.id, 11, 3)).map((m) => m.seq)).toEqual([8, 9, 10]);
    expect((await db.messages.listBefore(room.id, 5, 10)).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect((await db.messages.listBefore(room.id, 5, 2)).map((m) => m.seq)).toEqual([3, 4]);
    expect(await db.messages.listBefore(room.id, 1, 10)).toEqual([]);
  });

  it('returns the range after one seq up to and including another', async () => {
    const room = await makeRoom();
    const other = await makeRoom('other');
    await insertMessages(room.id, 10);
    await insertMessages(other.id, 10);
    const range = await db.messages.range(room.id, 3, 6);
    expect(range.map((m) => m.seq)).toEqual([4, 5, 6]);
    expect(range.every((m) => m.roomId === room.id)).toBe(true);
    expect(await db.messages.range(room.id, 6, 6)).toEqual([]);
    expect((await db.messages.range(room.id, 9, 50)).map((m) => m.seq)).toEqual([10]);
  });

  it('reports 0 as the last seq of a room without messages', async () => {
    const room = await makeRoom();
    expect(await db.messages.lastSeq(room.id)).toBe(0);
  });

  it('round-trips Korean text and emoji in rooms, nicknames and messages', async () => {
    const room = await makeRoom(`공부방 ${EMOJI}`, '사용자-1');
    const message = await db.messages.insert({
      roomId: room.id,
      seq: 1,
      type: 'text',
      senderId: '사용자-1',
      senderNickname: `김철수 🐯`,
      text: `${KOREAN} ${EMOJI}`,
      clientMsgId: '메시지-🆔',
    });
    expect(await db.rooms.get(room.id)).toMatchObject({ name: `공부방 ${EMOJI}`, ownerId: '사용자-1' });
    expect(await db.messages.listAfter(room.id, 0, 1)).toEqual([message]);
    expect((await db.messages.findByClientMsgId(room.id, '사용자-1', '메시지-🆔'))?.text).toBe(`${KOREAN} ${EMOJI}`);
  });

  it(target.persistent ? 'keeps rooms, members and messages across close and reopen' : 'starts from an empty database on every open', async () => {
    const room = await makeRoom(`다시 열기 ${EMOJI}`);
    await db.rooms.addMember(room.id, 'u1');
    await db.rooms.setUserCount(room.id, 2);
    const messages = await insertMessages(room.id, 3);
    await db.close();

    db = await open();
    if (target.persistent) {
      expect(await db.rooms.get(room.id)).toEqual({ ...room, userCount: 2 });
      expect(await db.rooms.isMember(room.id, 'u1')).toBe(true);
      expect(await db.messages.listAfter(room.id, 0, 10)).toEqual(messages);
      expect(await db.messages.lastSeq(room.id)).toBe(3);
    } else {
      expect(await db.rooms.list()).toEqual([]);
    }
  });
});

describe('SQLite connection settings', () => {
  it('opens a relative path against the working directory, creating its folder, in WAL mode with a busy timeout', async () => {
    const temp = tempSqliteUrl();
    const cwd = process.cwd();
    process.chdir(path.dirname(path.dirname(temp.path)));
    try {
      const db = await openDatabase('sqlite:./nested/folder/parley.sqlite');
      try {
        expect(existsSync(path.join(path.dirname(path.dirname(temp.path)), 'nested', 'folder', 'parley.sqlite'))).toBe(true);
        const pragma = async (name: string, transaction?: Transaction): Promise<unknown> => {
          const rows = await db.sequelize.query<Record<string, unknown>>(`PRAGMA ${name}`, {
            type: QueryTypes.SELECT,
            ...(transaction === undefined ? {} : { transaction }),
          });
          return Object.values(rows[0] ?? {})[0];
        };
        expect(await pragma('journal_mode')).toBe('wal');
        expect(await pragma('busy_timeout')).toBe(SQLITE_BUSY_TIMEOUT_MS);
        expect(await pragma('foreign_keys')).toBe(1);
        // Sequelize opens a separate handle per transaction; it gets the same settings.
        await db.sequelize.transaction(async (transaction) => {
          expect(await pragma('busy_timeout', transaction)).toBe(SQLITE_BUSY_TIMEOUT_MS);
          expect(await pragma('foreign_keys', transaction)).toBe(1);
        });
      } finally {
        await db.close();
      }
    } finally {
      process.chdir(cwd);
      await temp.cleanup();
    }
  });
});

describe('MySQL connection settings', () => {
  it('talks utf8mb4 in UTC', async () => {
    const created = await createMysqlDatabase('parley_session');
    try {
      const db = await openDatabase(created.url);
      try {
        const [row] = await db.sequelize.query<{ charset: string; tz: string }>(
          'SELECT @@session.character_set_connection AS charset, @@session.time_zone AS tz',
          { type: QueryTypes.SELECT },
        );
        expect(row).toEqual({ charset: 'utf8mb4', tz: '+00:00' });
      } finally {
        await db.close();
      }
    } finally {
      await created.drop();
    }
  });

  it('rejects with UNAVAILABLE when the server cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const error: unknown = await openDatabase('mysql://root:pw@127.0.0.1:1/parley').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParleyError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(String((error as Error).message)).not.toContain(':pw@');
  });
});

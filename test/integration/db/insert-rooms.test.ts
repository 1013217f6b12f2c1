/**
 * The repository's multi-room INSERT (cross-room group commit, issue 12) on each engine: every
 * room's rows land with their ids, and a constraint anywhere refuses the whole statement.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../backend/db/database.js';
import { BatchConflictError, type NewMessage } from '../../../backend/messages/message-repository.js';
import { databaseBackends, type TestDatabase } from '../../helpers/databases.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';

const row = (roomId: number, seq: number, clientMsgId: string | null): NewMessage => ({
  roomId,
  seq,
  type: 'text',
  senderId: 'u1',
  senderNickname: "O'Brien \\ 민수",
  text: `room ${roomId} seq ${seq}: it's "quoted" \\ 한국어 👋`,
  clientMsgId,
});

describe.each(databaseBackends())('insertRooms on $name', (backend) => {
  let created: TestDatabase;
  let db: Database;
  beforeAllOrFailEach(async () => {
    created = await backend.create('insert_rooms');
    db = await openDatabase(created.url);
  });
  afterAll(async () => {
    await db?.close();
    await created?.dispose();
  });

  async function rooms(n: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await db.rooms.create({ name: `r${i}`, kind: 'chat', maxUsers: 10, passwordHash: null, ownerId: 'u1' })).id);
    return out;
  }

  it('stores the rows of every room in one statement and answers each with the id it got', async () => {
    const ids = await rooms(150); // more than one read-back chunk of 100 rooms on MySQL
    const groups = ids.map((roomId, i) => Array.from({ length: 1 + (i % 3) }, (_, k) => row(roomId, k + 1, `c${roomId}-${k}`)));
    const stored = await db.messages.insertRooms(groups);
    expect(stored.map((g) => g.map((m) => [m.roomId, m.seq, m.text]))).toEqual(groups.map((g) => g.map((m) => [m.roomId, m.seq, m.text])));
    for (const group of stored) {
      for (const m of group) {
        const read = await db.messages.findBySeq(m.roomId, m.seq);
        expect(read).toMatchObject({ id: m.id, text: m.text, senderNickname: m.senderNickname, clientMsgId: m.clientMsgId });
      }
    }
    expect(new Set(stored.flat().map((m) => m.id)).size).toBe(stored.flat().length);
  });

  it('refuses the whole statement with BatchConflictError when one room conflicts, storing nothing of the others', async () => {
    const [a, b, c] = await rooms(3);
    await db.messages.insert(row(b!, 1, 'taken'));
    // Room b's row repeats a clientMsgId; rooms a and c are fine on their own.
    await expect(db.messages.insertRooms([[row(a!, 1, 'x')], [row(b!, 2, 'taken')], [row(c!, 1, 'y')]])).rejects.toBeInstanceOf(BatchConflictError);
    expect([await db.messages.lastSeq(a!), await db.messages.lastSeq(b!), await db.messages.lastSeq(c!)]).toEqual([0, 1, 0]);
    // A seq another writer took refuses it the same way.
    await expect(db.messages.insertRooms([[row(a!, 1, null)], [row(b!, 1, null)]])).rejects.toBeInstanceOf(BatchConflictError);
    expect(await db.messages.lastSeq(a!)).toBe(0);
  });

  it('takes each room once and no empty group', async () => {
    const [a] = await rooms(1);
    await expect(db.messages.insertRooms([[row(a!, 1, null)], [row(a!, 2, null)]])).rejects.toBeInstanceOf(RangeError);
    await expect(db.messages.insertRooms([[]])).rejects.toBeInstanceOf(RangeError);
  });
});

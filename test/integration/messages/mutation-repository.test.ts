/**
 * The message repository's mutation statements on each engine (SQLite file, SQLite in memory,
 * MySQL): the target changes and the mutation row is stored together or not at all, a tombstone
 * is never changed again, and readers tell messages from mutations.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../backend/db/database.js';
import { SeqTakenError, type NewMutation } from '../../../backend/messages/message-repository.js';
import { createMysqlDatabase, tempSqliteUrl } from '../../helpers/databases.js';

const targets: { name: string; prepare(): Promise<{ url: string; dispose(): Promise<void> }> }[] = [
  {
    name: 'SQLite file',
    prepare: async () => {
      const file = tempSqliteUrl();
      return { url: file.url, dispose: file.cleanup };
    },
  },
  { name: 'SQLite memory', prepare: async () => ({ url: 'sqlite::memory:', dispose: async () => undefined }) },
  {
    name: 'MySQL',
    prepare: async () => {
      const created = await createMysqlDatabase('parley_mutations');
      return { url: created.url, dispose: created.drop };
    },
  },
];

type Target = (typeof targets)[number];

/** Opens a fresh handle on `target` for each test; returns the current one. */
function useDatabase(target: Target): { db: () => Database; roomWithMessages: () => Promise<number> } {
  let prepared: Promise<{ url: string; dispose(): Promise<void> }> | undefined;
  let db: Database;

  beforeEach(async () => {
    // Prepared in the first beforeEach: a MySQL that is down fails every test instead of skipping them.
    prepared ??= target.prepare();
    db = await openDatabase((await prepared).url, { now: () => at });
  });
  afterEach(async () => {
    await db?.close();
  });
  afterAll(async () => {
    await (await prepared)?.dispose();
  });

  async function roomWithMessages(): Promise<number> {
    const room = await db.rooms.create({ name: 'r', kind: 'chat', maxUsers: 10, passwordHash: null, ownerId: 'u1' });
    await db.messages.insert({ roomId: room.id, seq: 1, type: 'enter', senderId: 'u1', senderNickname: 'Kim', text: '', clientMsgId: null });
    await db.messages.insert({ roomId: room.id, seq: 2, type: 'text', senderId: 'u1', senderNickname: 'Kim', text: '안녕 😀', clientMsgId: 'c1' });
    return room.id;
  }
  return { db: () => db, roomWithMessages };
}

const at = new Date('2026-03-01T09:30:15.250Z');

const edit = (roomId: number, seq: number, text: string, when = at): NewMutation => ({
  roomId,
  seq,
  targetSeq: 2,
  actor: { id: 'u1', nickname: 'Kim' },
  createdAt: when,
  change: { kind: 'edit', text },
});

describe.each(targets)('message mutations in the repository on $name', (target) => {
  const { db: current, roomWithMessages } = useDatabase(target);
  let db: Database;
  beforeEach(() => {
    db = current();
  });

  it('changes the target and stores the mutation as an entry of its own, read back as such', async () => {
    const roomId = await roomWithMessages();
    const later = new Date(at.getTime() + 1234);
    const result = await db.messages.mutate(edit(roomId, 3, '안녕하세요 😀', later));
    expect(result).not.toBe('deleted');
    const { mutation, target } = result as Exclude<typeof result, 'deleted'>;
    expect(target).toMatchObject({ seq: 2, type: 'text', text: '안녕하세요 😀', editedAt: later, deleted: false, clientMsgId: 'c1', targetSeq: null });
    expect(mutation).toMatchObject({ seq: 3, type: 'edit', targetSeq: 2, senderId: 'u1', text: '', createdAt: later, editedAt: null, deleted: false });
    expect(await db.messages.lastSeq(roomId)).toBe(3);
    expect(await db.messages.range(roomId, 0, 3)).toEqual([expect.objectContaining({ seq: 1 }), target, mutation]);
    expect(await db.messages.findBySeq(roomId, 3)).toEqual(mutation);
    expect(await db.messages.findMessages(roomId, [2, 3, 99])).toEqual([target]);
    expect(await db.messages.lastEdit(roomId, 2)).toEqual(mutation);
    expect(await db.messages.lastEdit(roomId, 1)).toBeNull();
  });

  it('deletes by emptying the text, and never changes a tombstone again', async () => {
    const roomId = await roomWithMessages();
    const deleted = await db.messages.mutate({ ...edit(roomId, 3, ''), change: { kind: 'delete' } });
    expect(deleted).not.toBe('deleted');
    expect((deleted as Exclude<typeof deleted, 'deleted'>).target).toMatchObject({ seq: 2, text: '', deleted: true, editedAt: null });
    expect(await db.messages.mutate({ ...edit(roomId, 4, ''), change: { kind: 'delete' } })).toBe('deleted');
    expect(await db.messages.mutate(edit(roomId, 4, 'back'))).toBe('deleted');
    expect(await db.messages.lastSeq(roomId)).toBe(3);
    expect((await db.messages.findMessages(roomId, [2]))[0]).toMatchObject({ text: '', deleted: true });
  });

  it('refuses to change a system message', async () => {
    const roomId = await roomWithMessages();
    expect(await db.messages.mutate({ ...edit(roomId, 3, 'x'), targetSeq: 1 })).toBe('deleted');
    expect(await db.messages.lastSeq(roomId)).toBe(2);
  });
});

// In memory there is one instance and no other writer to take a seq (see mutate's comment), so no rollback to test.
describe.each(targets.filter((t) => t.name !== 'SQLite memory'))('a mutation whose seq is taken on $name', (target) => {
  const { db: current, roomWithMessages } = useDatabase(target);
  let db: Database;
  beforeEach(() => {
    db = current();
  });

  it('leaves the target untouched when the seq is taken (SeqTakenError)', async () => {
    const roomId = await roomWithMessages();
    await db.messages.insert({ roomId, seq: 3, type: 'text', senderId: 'u2', senderNickname: 'Lee', text: 'raced', clientMsgId: null });
    await expect(db.messages.mutate(edit(roomId, 3, 'lost'))).rejects.toBeInstanceOf(SeqTakenError);
    await expect(db.messages.mutate({ ...edit(roomId, 3, ''), change: { kind: 'delete' } })).rejects.toBeInstanceOf(SeqTakenError);
    expect((await db.messages.findMessages(roomId, [2]))[0]).toMatchObject({ text: '안녕 😀', editedAt: null, deleted: false });
    const retried = await db.messages.mutate(edit(roomId, 4, 'won'));
    expect(retried).not.toBe('deleted');
    expect(await db.messages.lastSeq(roomId)).toBe(4);
  });
});

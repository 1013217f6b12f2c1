/**
 * Editing and deleting messages over REST (docs/protocol.md §3), observed by raw STOMP peers on
 * the room topic and by history, on SQLite and on MySQL: who may, when, what is broadcast, and
 * what is left in the database.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Message, MessageMutation } from '../../../sdk/protocol/shapes.js';
import { databaseBackends } from '../../helpers/databases.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { guest, startTestServer, type TestServer } from '../../helpers/server.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { Peers, connectAs, createRoom, flush, joinRoom, pending, say, subscribeRoom, type Client, type User } from '../stomp/support.js';
import { deleteMessage, editMessage, entriesUpTo, expectRefused, historyPage, isEntry, toEntry } from './support.js';

const peers = new Peers();
afterEach(() => peers.closeAll());

const EDIT_WINDOW_S = 900;

describe.each(databaseBackends())('editing and deleting messages on $name', (db) => {
  let server: TestServer;
  const clock = new FakeClock();
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db, clock, env: { EDIT_WINDOW_S: String(EDIT_WINDOW_S), MAX_MESSAGE_CHARS: '50' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A room owned by `owner` with `sender` and `watcher` joined and subscribed. */
  async function room(): Promise<{ roomId: number; owner: User; sender: Client; watcher: Client }> {
    const owner = await guest(server, 'owner');
    const { id: roomId } = await createRoom(server, owner.token);
    const sender = await connectAs(peers, server, 'sender');
    const watcher = await connectAs(peers, server, 'watcher');
    for (const c of [sender, watcher]) {
      await joinRoom(c, roomId);
      await subscribeRoom(c, roomId);
    }
    return { roomId, owner, sender, watcher };
  }

  async function sent(c: Client, roomId: number, text: string): Promise<number> {
    return Number((await say(c, roomId, text)).headers.get('x-seq'));
  }

  it('broadcasts an edit by the sender as message-edited with its own seq, and history holds the new text', async () => {
    const { roomId, sender, watcher } = await room();
    const seq = await sent(sender, roomId, 'helo');
    const original = (await entriesUpTo(watcher, roomId, seq)).at(-1)!.body as Message;
    clock.advance(5_000);

    const res = await editMessage(server, sender.token, roomId, seq, 'hello  ');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const editedAt = new Date(clock.now()).toISOString();
    const expected: MessageMutation = {
      seq: seq + 1,
      roomId,
      type: 'edited',
      message: { ...original, text: 'hello', editedAt, deleted: false },
      by: sender.user,
      createdAt: editedAt,
    };
    expect(res.body).toEqual(expected);

    for (const c of [watcher, sender]) {
      const entry = (await entriesUpTo(c, roomId, seq + 1)).at(-1);
      expect(entry).toEqual({ type: 'message-edited', seq: seq + 1, body: expected });
    }
    const page = await historyPage(server, watcher.token, roomId, `?after=${seq - 1}`);
    expect(page.messages).toEqual([expected.message]);
    expect(page.mutations).toEqual([expected]);
    expect(page.lastSeq).toBe(seq + 1);
  });

  it('refuses an edit by anyone but the sender, the owner included: NOT_SENDER, and broadcasts nothing', async () => {
    const { roomId, owner, sender, watcher } = await room();
    const seq = await sent(sender, roomId, 'mine');
    await entriesUpTo(watcher, roomId, seq);
    expectRefused(await editMessage(server, watcher.token, roomId, seq, 'yours'), 403, 'NOT_SENDER');
    expectRefused(await editMessage(server, owner.token, roomId, seq, 'yours'), 403, 'NOT_SENDER');
    await flush(watcher.peer);
    expect(pending(watcher.peer, isEntry(roomId))).toEqual([]);
    expect((await historyPage(server, sender.token, roomId)).messages.at(-1)).toMatchObject({ seq, text: 'mine', editedAt: null });
  });

  it('allows edits for EDIT_WINDOW_S after sending by the server clock, then refuses EDIT_WINDOW_CLOSED', async () => {
    const { roomId, sender } = await room();
    const seq = await sent(sender, roomId, 'v1');
    clock.advance(EDIT_WINDOW_S * 1000);
    expect((await editMessage(server, sender.token, roomId, seq, 'v2')).status).toBe(200);
    clock.advance(1);
    expectRefused(await editMessage(server, sender.token, roomId, seq, 'v3'), 403, 'EDIT_WINDOW_CLOSED');
    expect((await historyPage(server, sender.token, roomId)).messages.at(-1)).toMatchObject({ seq, text: 'v2' });
    // Deleting has no window.
    expect((await deleteMessage(server, sender.token, roomId, seq)).status).toBe(204);
  });

  it('validates the new text like a sent message: VALIDATION_FAILED, MESSAGE_TOO_LONG, INVALID_BODY', async () => {
    const { roomId, sender } = await room();
    const seq = await sent(sender, roomId, 'text');
    expectRefused(await editMessage(server, sender.token, roomId, seq, '   '), 400, 'VALIDATION_FAILED');
    expectRefused(await editMessage(server, sender.token, roomId, seq, 42), 400, 'VALIDATION_FAILED');
    expectRefused(await editMessage(server, sender.token, roomId, seq, '가'.repeat(51)), 413, 'MESSAGE_TOO_LONG');
    expect((await editMessage(server, sender.token, roomId, seq, '가'.repeat(50))).status).toBe(200);
    const res = await fetch(`${server.url}/api/rooms/${roomId}/messages/${seq}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${sender.token}`, 'content-type': 'application/json' },
      body: '["x"]',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_BODY');
  });

  it('refuses system messages (NOT_EDITABLE), unknown seqs and mutation seqs (MESSAGE_NOT_FOUND), and unknown rooms', async () => {
    const { roomId, owner, sender, watcher } = await room();
    const page = await historyPage(server, sender.token, roomId);
    const enter = page.messages.find((m) => m.type === 'enter' && m.sender.id === sender.user.id)!;
    expectRefused(await editMessage(server, sender.token, roomId, enter.seq, 'hi'), 409, 'NOT_EDITABLE');
    expectRefused(await deleteMessage(server, owner.token, roomId, enter.seq), 409, 'NOT_EDITABLE');
    expectRefused(await deleteMessage(server, sender.token, roomId, enter.seq), 409, 'NOT_EDITABLE');

    const seq = await sent(sender, roomId, 'x');
    expectRefused(await editMessage(server, sender.token, roomId, seq + 1, 'y'), 404, 'MESSAGE_NOT_FOUND');
    expectRefused(await deleteMessage(server, sender.token, roomId, 999_999), 404, 'MESSAGE_NOT_FOUND');
    expectRefused(await editMessage(server, sender.token, roomId, 0, 'y'), 404, 'MESSAGE_NOT_FOUND');
    const mutation = await editMessage(server, sender.token, roomId, seq, 'y');
    expectRefused(await editMessage(server, sender.token, roomId, mutation.body.seq, 'z'), 404, 'MESSAGE_NOT_FOUND');
    expectRefused(await deleteMessage(server, owner.token, roomId, mutation.body.seq), 404, 'MESSAGE_NOT_FOUND');
    expectRefused(await editMessage(server, sender.token, 987_654, 1, 'y'), 404, 'ROOM_NOT_FOUND');
    expectRefused(await deleteMessage(server, sender.token, 987_654, 1), 404, 'ROOM_NOT_FOUND');
    // Only the edit was an entry.
    await flush(watcher.peer);
    expect(pending(watcher.peer, isEntry(roomId)).map(toEntry).map((e) => [e.type, e.seq])).toEqual([
      ['message', seq],
      ['message-edited', seq + 1],
    ]);
  });

  it('turns a message deleted by its sender into a tombstone: text gone from the database, seq kept, one mutation', async () => {
    const { roomId, sender, watcher } = await room();
    const seq = await sent(sender, roomId, 'secret');
    await editMessage(server, sender.token, roomId, seq, 'secret, edited');
    await entriesUpTo(watcher, roomId, seq + 1);

    expect((await deleteMessage(server, sender.token, roomId, seq)).status).toBe(204);
    const [deleted] = await entriesUpTo(watcher, roomId, seq + 2);
    expect(deleted!.type).toBe('message-deleted');
    const mutation = deleted!.body as MessageMutation;
    expect(mutation).toMatchObject({ seq: seq + 2, roomId, type: 'deleted', by: sender.user });
    expect(mutation.message).toMatchObject({ seq, text: '', deleted: true, sender: sender.user });

    const page = await historyPage(server, watcher.token, roomId, `?after=${seq - 1}`);
    expect(page.messages).toEqual([mutation.message]);
    // The earlier edit now carries the tombstone too: no copy of the text anywhere.
    expect(page.mutations.map((m) => [m.seq, m.type, m.message])).toEqual([
      [seq + 1, 'edited', mutation.message],
      [seq + 2, 'deleted', mutation.message],
    ]);
    const rows = await server.database.messages.range(roomId, seq - 1, seq + 2);
    expect(rows.map((r) => [r.seq, r.type, r.text])).toEqual([
      [seq, 'text', ''],
      [seq + 1, 'edit', ''],
      [seq + 2, 'delete', ''],
    ]);

    // Editing the tombstone is refused; deleting it again is a 204 that adds nothing.
    expectRefused(await editMessage(server, sender.token, roomId, seq, 'back'), 409, 'MESSAGE_DELETED');
    expect((await deleteMessage(server, sender.token, roomId, seq)).status).toBe(204);
    await flush(watcher.peer);
    expect(pending(watcher.peer, isEntry(roomId))).toEqual([]);
    expect((await historyPage(server, watcher.token, roomId)).lastSeq).toBe(seq + 2);
  });

  it("lets the owner delete another's message and refuses a plain member: NOT_MODERATOR", async () => {
    const { roomId, owner, sender, watcher } = await room();
    const first = await sent(sender, roomId, 'one');
    const second = await sent(sender, roomId, 'two');
    expectRefused(await deleteMessage(server, watcher.token, roomId, first), 403, 'NOT_MODERATOR');
    expect((await deleteMessage(server, owner.token, roomId, second)).status).toBe(204);
    const entries = await entriesUpTo(watcher, roomId, second + 1);
    expect(entries.map((e) => [e.type, e.seq])).toEqual([
      ['message', first],
      ['message', second],
      ['message-deleted', second + 1],
    ]);
    expect((entries[2]!.body as MessageMutation).by).toEqual(owner.user);
    const messages = (await historyPage(server, watcher.token, roomId)).messages;
    expect(messages.find((m) => m.seq === first)).toMatchObject({ text: 'one', deleted: false });
    expect(messages.find((m) => m.seq === second)).toMatchObject({ text: '', deleted: true });
  });

  it('answers a retried identical edit with the stored mutation instead of a second one', async () => {
    const { roomId, sender, watcher } = await room();
    const seq = await sent(sender, roomId, 'draft');
    const first = await editMessage(server, sender.token, roomId, seq, 'final');
    const retry = await editMessage(server, sender.token, roomId, seq, 'final');
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const changed = await editMessage(server, sender.token, roomId, seq, 'final!');
    expect(changed.body.seq).toBe(first.body.seq + 1);
    expect((await entriesUpTo(watcher, roomId, changed.body.seq)).map((e) => e.seq)).toEqual([seq, seq + 1, seq + 2]);
  });

  it('keeps non-members of a locked room out (NOT_MEMBER); a password member edits and deletes their own message after disconnecting', async () => {
    const owner = await connectAs(peers, server, 'lock-owner');
    const { id: roomId } = await createRoom(server, owner.token, { password: 'pw' });
    await joinRoom(owner, roomId);
    const seq = await sent(owner, roomId, 'inside');
    const stranger = await guest(server, 'stranger');
    expectRefused(await editMessage(server, stranger.token, roomId, seq, 'x'), 403, 'NOT_MEMBER');
    expectRefused(await deleteMessage(server, stranger.token, roomId, seq), 403, 'NOT_MEMBER');
    expectRefused(await deleteMessage(server, stranger.token, roomId, 999), 403, 'NOT_MEMBER');

    const member = await connectAs(peers, server, 'lock-member');
    await joinRoom(member, roomId, 'pw');
    const own = await sent(member, roomId, 'mine');
    member.peer.close();
    expect((await editMessage(server, member.token, roomId, own, 'mine, edited')).status).toBe(200);
    expect((await deleteMessage(server, member.token, roomId, own)).status).toBe(204);
    expectRefused(await deleteMessage(server, member.token, roomId, seq), 403, 'NOT_MODERATOR');
  });

  it('needs a token: UNAUTHORIZED', async () => {
    const { roomId, sender } = await room();
    const seq = await sent(sender, roomId, 'x');
    expectRefused(await editMessage(server, undefined as unknown as string, roomId, seq, 'y'), 401, 'UNAUTHORIZED');
    expectRefused(await deleteMessage(server, undefined as unknown as string, roomId, seq), 401, 'UNAUTHORIZED');
  });
});

describe.each(databaseBackends())('edits and deletes draw on the chat rate limit on $name', (db) => {
  let server: TestServer;
  const clock = new FakeClock();
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db, clock, env: { RATE_LIMIT_PER_S: '1', RATE_LIMIT_BURST: '3' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses an edit past the bucket with 429 RATE_LIMITED and Retry-After, and allows it once a token is back', async () => {
    const owner = await guest(server, 'owner');
    const { id: roomId } = await createRoom(server, owner.token);
    const sender = await connectAs(peers, server, 'sender');
    await joinRoom(sender, roomId);
    const seq = Number((await say(sender, roomId, 'one')).headers.get('x-seq'));
    expect((await editMessage(server, sender.token, roomId, seq, 'two')).status).toBe(200);
    expect((await editMessage(server, sender.token, roomId, seq, 'three')).status).toBe(200);
    const res = await fetch(`${server.url}/api/rooms/${roomId}/messages/${seq}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${sender.token}` },
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    clock.advance(1000);
    expect((await deleteMessage(server, sender.token, roomId, seq)).status).toBe(204);
  });
});

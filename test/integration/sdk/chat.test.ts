import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../helpers/databases.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { NetworkSwitch, makeClient, record, sequenceDefect, waitFor } from '../../helpers/sdk-client.js';
import { ParleyError } from '../../../sdk/errors.js';
import type { ChatClient } from '../../../sdk/chat-client.js';
import type { PresenceEvent, TypingEvent } from '../../../sdk/types.js';

let server: TestServer;
const clients: ChatClient[] = [];
function track(c: ChatClient): ChatClient {
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.disconnect()));
});

describe.each(databaseBackends())('SDK against the real server on $name', (db) => {
  beforeAllOrFailEach(async () => {
    // The grace lives on a clock nobody advances: a client that reconnects slowly on a busy
    // machine is still the same member, so what these tests see does not depend on the load.
    server = await startTestServer({ db, clock: new FakeClock(), env: { LEAVE_GRACE_MS: '300' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('two clients chat: messages, presence and typing reach the other', async () => {
    const alice = track(makeClient(server.url, '민수'));
    const bob = track(makeClient(server.url, 'Bob'));
    await alice.connect();
    await bob.connect();
    const created = await alice.rooms.create({ name: '스터디', maxUsers: 10, password: 'pw' });
    expect(created).toMatchObject({ name: '스터디', locked: true, maxUsers: 10 });
    expect((await alice.rooms.list()).map((r) => r.id)).toContain(created.id);

    const roomA = await alice.join(created.id, { password: 'pw' });
    const seenA = record(roomA);
    const presence: PresenceEvent[] = [];
    const typing: TypingEvent[] = [];
    roomA.on('presence', (p) => presence.push(p));
    roomA.on('typing', (t) => typing.push(t));

    const roomB = await bob.join(created.id, { password: 'pw' });
    const seenB = record(roomB);
    await waitFor(() => presence.some((p) => p.kind === 'joined' && p.user.id === bob.user?.id), 'bob joined presence');
    expect(roomA.members.map((m) => m.id).sort()).toEqual([alice.user!.id, bob.user!.id].sort());

    // Keystrokes call setTyping(true) often; the SDK sends it once per refresh interval.
    for (let i = 0; i < 5; i++) roomB.setTyping(true);
    await waitFor(() => typing.some((t) => t.user.id === bob.user?.id && t.typing), 'bob typing');
    await new Promise((res) => setTimeout(res, 300));
    expect(typing.filter((t) => t.user.id === bob.user?.id && t.typing)).toHaveLength(1);

    const sent = await roomB.send('안녕하세요');
    // Sending ends the indicator (the server says so to everyone).
    await waitFor(() => typing.some((t) => t.user.id === bob.user?.id && !t.typing), 'bob stopped typing');
    expect(sent).toMatchObject({ text: '안녕하세요', type: 'text', sender: { id: bob.user!.id, nickname: 'Bob' } });
    await waitFor(() => seenA.some((m) => m.seq === sent.seq), 'alice receives the message');
    const reply = await roomA.send('반가워요');
    await waitFor(() => seenB.some((m) => m.seq === reply.seq), 'bob receives the reply');

    // Each side saw each message exactly once, in order, and nothing is left pending.
    for (const seen of [seenA, seenB]) {
      expect(sequenceDefect(seen)).toBeNull();
      expect(seen.filter((m) => m.clientMsgId === sent.clientMsgId)).toHaveLength(1);
      expect(seen.filter((m) => m.clientMsgId === reply.clientMsgId)).toHaveLength(1);
    }
    expect(roomA.pending).toEqual([]);
    expect(roomB.pending).toEqual([]);

    const page = await roomB.history({ limit: 50 });
    expect(page.messages.map((m) => m.text)).toEqual(expect.arrayContaining(['안녕하세요', '반가워요']));
    expect(page.lastSeq).toBe(roomB.lastSeq);

    await roomB.leave();
    expect(roomB.closed).toBe(true);
    await waitFor(() => presence.some((p) => p.kind === 'left' && p.user.id === bob.user?.id), 'bob left presence');
  });

  it('rejects a wrong password, a full room and a non-member with typed errors', async () => {
    const owner = track(makeClient(server.url, 'owner'));
    const guest = track(makeClient(server.url, 'guest'));
    const third = track(makeClient(server.url, 'third'));
    await Promise.all([owner.connect(), guest.connect(), third.connect()]);

    const locked = await owner.rooms.create({ name: 'locked', password: 'right' });
    const wrong = await guest.join(locked.id, { password: 'wrong' }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ParleyError);
    expect((wrong as ParleyError).code).toBe('BAD_PASSWORD');
    expect(guest.room(locked.id)).toBeUndefined();

    const notMember = await guest.rooms.history(locked.id).catch((e: unknown) => e);
    expect(notMember).toBeInstanceOf(ParleyError);
    expect((notMember as ParleyError).code).toBe('NOT_MEMBER');
    expect((notMember as ParleyError).status).toBe(403);

    const small = await owner.rooms.create({ name: 'small', maxUsers: 2 });
    await owner.join(small.id);
    await guest.join(small.id);
    const full = await third.join(small.id).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(ParleyError);
    expect((full as ParleyError).code).toBe('ROOM_FULL');

    const missing = await third.join(999_999).catch((e: unknown) => e);
    expect((missing as ParleyError).code).toBe('ROOM_NOT_FOUND');

    const notOwner = await guest.rooms.update(small.id, { name: 'mine' }).catch((e: unknown) => e);
    expect((notOwner as ParleyError).code).toBe('NOT_OWNER');
  });

  it('delivers messages sent while offline exactly once after reconnecting, with the same clientMsgId', async () => {
    const network = new NetworkSwitch();
    const writer = track(makeClient(server.url, 'offline-writer', { network }));
    const reader = track(makeClient(server.url, 'reader'));
    await writer.connect();
    await reader.connect();
    const room = await writer.rooms.create({ name: 'offline' });
    const w = await writer.join(room.id);
    const r = await reader.join(room.id);
    const seenR = record(r);
    const seenW = record(w);

    network.online = false;
    server.dropAllSockets();
    await waitFor(() => writer.state === 'reconnecting', 'writer notices the drop');
    const sends = ['one', 'two', 'three', 'four', 'five'].map((t) => w.send(t));
    expect(w.pending.map((p) => [p.text, p.state])).toEqual([
      ['one', 'pending'],
      ['two', 'pending'],
      ['three', 'pending'],
      ['four', 'pending'],
      ['five', 'pending'],
    ]);
    const ids = w.pending.map((p) => p.clientMsgId);
    await new Promise((res) => setTimeout(res, 300)); // a few failed reconnect attempts
    expect(writer.state).toBe('reconnecting');

    network.online = true;
    const stored = await Promise.all(sends);
    expect(stored.map((m) => m.clientMsgId)).toEqual(ids);
    expect(stored.map((m) => m.text)).toEqual(['one', 'two', 'three', 'four', 'five']);
    await waitFor(() => r.lastSeq >= stored.at(-1)!.seq && w.lastSeq >= stored.at(-1)!.seq, 'both caught up');

    for (const seen of [seenR, seenW]) {
      expect(sequenceDefect(seen)).toBeNull();
      for (const id of ids) expect(seen.filter((m) => m.clientMsgId === id)).toHaveLength(1);
    }
    const history = await reader.rooms.history(room.id, { limit: 200 });
    for (const id of ids) expect(history.messages.filter((m) => m.clientMsgId === id)).toHaveLength(1);
    expect(w.pending).toEqual([]);
  });

  it('rejects QUEUE_FULL beyond maxQueuedMessages while offline', async () => {
    const network = new NetworkSwitch();
    const c = track(makeClient(server.url, 'queue', { network, maxQueuedMessages: 3 }));
    await c.connect();
    const room = await c.rooms.create({ name: 'queue' });
    const h = await c.join(room.id);
    network.online = false;
    server.dropAllSockets();
    await waitFor(() => c.state === 'reconnecting', 'drop noticed');
    const ok = [h.send('a'), h.send('b'), h.send('c')];
    await expect(h.send('d')).rejects.toMatchObject({ code: 'QUEUE_FULL' });
    network.online = true;
    const stored = await Promise.all(ok);
    expect(stored.map((m) => m.text)).toEqual(['a', 'b', 'c']);
  });

  it('closes a member handle when the owner deletes the room', async () => {
    const owner = track(makeClient(server.url, 'deleter'));
    const member = track(makeClient(server.url, 'member'));
    await owner.connect();
    await member.connect();
    const room = await owner.rooms.create({ name: 'doomed' });
    const h = await member.join(room.id);
    const deleted: number[] = [];
    h.on('deleted', (id) => deleted.push(id));
    await owner.rooms.delete(room.id);
    await waitFor(() => h.closed, 'handle closed');
    expect(deleted).toEqual([room.id]);
    expect(member.room(room.id)).toBeUndefined();
    await expect(h.send('too late')).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await expect(owner.rooms.get(room.id)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND', status: 404 });
  });

  it('follows the lobby and leaves no listener after disconnect', async () => {
    const c = track(makeClient(server.url, 'lobby'));
    await c.connect();
    const events: string[] = [];
    const deletedIds: number[] = [];
    const stop = c.rooms.watch((e) => {
      events.push(e.type);
      if (e.type === 'room-deleted') deletedIds.push(e.roomId);
    });
    await new Promise((res) => setTimeout(res, 100));
    const room = await c.rooms.create({ name: 'lobby-room' });
    await waitFor(() => events.includes('room-created'), 'room-created on the lobby');
    await c.rooms.delete(room.id);
    await waitFor(() => events.includes('room-deleted'), 'room-deleted on the lobby');
    expect(deletedIds).toEqual([room.id]);
    stop();
    const states: string[] = [];
    c.on('stateChanged', (s) => states.push(s));
    await c.disconnect();
    expect(states).toEqual(['disconnected']);
    expect(c.listenerCount('stateChanged')).toBe(0);
  });
});

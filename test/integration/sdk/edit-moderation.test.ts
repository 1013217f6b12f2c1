/**
 * Issue 10 end to end through the SDK: edits and deletes as stream entries (`messageChanged`, in place
 * in `room.messages`, converged after an outage), and moderation from `room.moderation()` as the
 * moderated client observes it (kicked, banned, muted), on one server per engine and across two
 * instances on Redis.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMysqlDatabase, databaseBackends } from '../../helpers/databases.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { deletePrefix, redisTestUrl, uniquePrefix } from '../../helpers/redis.js';
import { api, guest, startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { NetworkSwitch, makeClient, waitFor, wholeHistory } from '../../helpers/sdk-client.js';
import type { ChatClient } from '../../../sdk/chat-client.js';
import type { RoomHandle } from '../../../sdk/room-handle.js';
import type { KickedBody, Message, MessageMutation, Room } from '../../../sdk/types.js';

const clients: ChatClient[] = [];
async function connected(url: string, nickname: string, network?: NetworkSwitch): Promise<ChatClient> {
  const c = makeClient(url, nickname, network === undefined ? {} : { network });
  clients.push(c);
  await c.connect();
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.disconnect()));
});

/** Every `messageChanged` of a handle, in the order delivered. */
function changes(room: RoomHandle): MessageMutation[] {
  const seen: MessageMutation[] = [];
  room.on('messageChanged', (m) => seen.push(m));
  return seen;
}

/** Resolves with the `kicked` event of a handle. */
function kickedOf(room: RoomHandle): Promise<KickedBody> {
  return new Promise((resolve) => room.once('kicked', resolve));
}

const caughtUp = (handles: readonly RoomHandle[], seq: number): (() => boolean) => () => handles.every((h) => h.lastSeq >= seq);
const seqsOf = (messages: readonly Message[]): number[] => messages.map((m) => m.seq);
const codeOf = (e: unknown): unknown => (e as { code?: unknown }).code;

describe.each(databaseBackends())('edits, deletes and moderation through the SDK on $name', (db) => {
  let server: TestServer;
  // The leave grace lives on a clock nobody advances: a client that reconnects is still the same
  // member, so no leave/enter notice lands in the stream while one is away.
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db, clock: new FakeClock(), env: { LEAVE_GRACE_MS: '300' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('an edit reaches the other client as messageChanged and replaces the text in place in both handles', async () => {
    const alice = await connected(server.url, 'alice');
    const bob = await connected(server.url, 'bob');
    const room = await alice.rooms.create({ name: 'edits' });
    const a = await alice.join(room.id);
    const b = await bob.join(room.id);
    const [, second, third] = [await a.send('first'), await a.send('second'), await a.send('third')];
    await waitFor(caughtUp([a, b], third!.seq), 'both have the three messages');
    const before = { a: seqsOf(a.messages), b: seqsOf(b.messages) };
    const at = { a: before.a.indexOf(second!.seq), b: before.b.indexOf(second!.seq) };
    const changedA = changes(a);
    const changedB = changes(b);

    const mutation = await a.edit(second!.seq, 'second, edited');
    expect(mutation).toMatchObject({ type: 'edited', seq: third!.seq + 1, by: { id: alice.user!.id }, message: { seq: second!.seq, text: 'second, edited', deleted: false } });
    await waitFor(caughtUp([a, b], mutation.seq), 'both have the edit');

    for (const [handle, changed, seqs, index] of [
      [a, changedA, before.a, at.a],
      [b, changedB, before.b, at.b],
    ] as const) {
      expect(changed.map((m) => [m.seq, m.type, m.message.seq, m.message.text])).toEqual([[mutation.seq, 'edited', second!.seq, 'second, edited']]);
      // In place: the same seqs in the same order, the edited one where it was.
      expect(seqsOf(handle.messages)).toEqual(seqs);
      const shown = handle.messages[index]!;
      expect(shown).toMatchObject({ seq: second!.seq, id: second!.id, text: 'second, edited', deleted: false });
      expect(shown.editedAt).toEqual(expect.any(String));
      expect(handle.messages.find((m) => m.seq === third!.seq)).toMatchObject({ text: 'third', editedAt: null });
    }
  });

  it('a sender deletes their message and a moderator named by the owner deletes another member\'s: tombstones in every handle', async () => {
    const owner = await connected(server.url, 'owner');
    const mod = await connected(server.url, 'mod');
    const carol = await connected(server.url, 'carol');
    const room = await owner.rooms.create({ name: 'deletes' });
    const o = await owner.join(room.id);
    const m = await mod.join(room.id);
    const c = await carol.join(room.id);
    const own = await o.send('owner says');
    const hers = await c.send('carol says');
    await waitFor(caughtUp([o, m, c], hers.seq), 'everyone has both messages');
    const changed = [o, m, c].map(changes);

    await o.delete(own.seq);
    // Not yet a moderator: someone else's message is not theirs to delete.
    expect(codeOf(await m.delete(hers.seq).catch((e: unknown) => e))).toBe('NOT_MODERATOR');
    const updated = await (await o.moderation()).addModerator(mod.user!.id);
    expect(updated.moderatorIds).toEqual([mod.user!.id]);
    await m.delete(hers.seq);

    const last = (await owner.rooms.history(room.id, { limit: 1 })).lastSeq;
    await waitFor(caughtUp([o, m, c], last), 'everyone has both deletes');
    for (const [i, handle] of [o, m, c].entries()) {
      expect(changed[i]!.map((x) => [x.type, x.message.seq, x.by.id])).toEqual([
        ['deleted', own.seq, owner.user!.id],
        ['deleted', hers.seq, mod.user!.id],
      ]);
      for (const seq of [own.seq, hers.seq]) expect(handle.messages.find((x) => x.seq === seq)).toMatchObject({ deleted: true, text: '' });
      expect(handle.messages.some((x) => x.text === 'owner says' || x.text === 'carol says')).toBe(false);
    }
  });

  it('a client that was offline while an old message was edited and another deleted converges to the current history', async () => {
    const network = new NetworkSwitch();
    const alice = await connected(server.url, 'alice');
    const carol = await connected(server.url, 'carol', network);
    const room = await alice.rooms.create({ name: 'offline edits' });
    const a = await alice.join(room.id);
    const c = await carol.join(room.id);
    const sent: Message[] = [];
    for (const t of ['m1', 'm2', 'm3', 'm4']) sent.push(await a.send(t));
    await waitFor(caughtUp([c], sent.at(-1)!.seq), 'carol has every message');
    const changedC = changes(c);

    network.drop();
    await waitFor(() => carol.state === 'reconnecting', 'carol notices the lost connection');
    // Both targets are older than the last seq carol had: only the mutations' own seqs tell her.
    const edit = await a.edit(sent[0]!.seq, 'm1, edited while carol was away');
    await a.delete(sent[1]!.seq);
    const after = await a.send('m5');
    expect(c.lastSeq).toBe(sent.at(-1)!.seq);
    network.online = true;

    await waitFor(() => carol.state === 'connected' && c.isLive && c.lastSeq === after.seq, 'carol reconnects and catches up');
    expect(changedC.map((x) => [x.seq, x.type, x.message.seq])).toEqual([
      [edit.seq, 'edited', sent[0]!.seq],
      [edit.seq + 1, 'deleted', sent[1]!.seq],
    ]);

    const fresh = await connected(server.url, 'fresh');
    const f = await fresh.join(room.id);
    await waitFor(caughtUp([c, f], f.lastSeq), 'carol has the fresh client\'s arrival');
    const history = await wholeHistory(fresh, room.id);
    // No gap, no duplicate: carol's window is the server's history, edits and tombstones included.
    expect(c.messages).toEqual(f.messages);
    expect(c.messages).toEqual(history);
    expect(new Set(seqsOf(c.messages)).size).toBe(c.messages.length);
    expect(c.messages.find((x) => x.seq === sent[0]!.seq)).toMatchObject({ text: 'm1, edited while carol was away', editedAt: expect.any(String) });
    expect(c.messages.find((x) => x.seq === sent[1]!.seq)).toMatchObject({ text: '', deleted: true });
    expect(c.messages.filter((x) => x.text === 'm5')).toHaveLength(1);
  });

  it('a kick closes the kicked handle and a new join succeeds; a timed ban refuses joins BANNED until lifted', async () => {
    const owner = await connected(server.url, 'owner');
    const target = await connected(server.url, 'target');
    const room = await owner.rooms.create({ name: 'kicks' });
    const o = await owner.join(room.id);
    const moderation = await o.moderation();

    const first = await target.join(room.id);
    const kicked = kickedOf(first);
    await moderation.kick(target.user!.id);
    expect(await kicked).toEqual({ roomId: room.id, reason: 'kick', until: null });
    await waitFor(() => first.closed, 'the kicked handle closes');

    const second = await target.join(room.id);
    expect(second.isLive).toBe(true);
    await second.send('back after the kick');

    const banned = kickedOf(second);
    const ban = await moderation.ban(target.user!.id, { durationS: 600 });
    expect(ban).toMatchObject({ userId: target.user!.id, until: expect.any(String) });
    const event = await banned;
    expect(event).toMatchObject({ roomId: room.id, reason: 'ban' });
    expect(event.until).toBe(ban.until);
    await waitFor(() => second.closed, 'the banned handle closes');
    expect(codeOf(await target.join(room.id).catch((e: unknown) => e))).toBe('BANNED');
    expect((await moderation.bans()).map((r) => r.userId)).toEqual([target.user!.id]);

    await moderation.unban(target.user!.id);
    expect(await moderation.bans()).toEqual([]);
    const third = await target.join(room.id);
    await third.send('back after the ban');
  });

  it('a muted member\'s send fails MUTED at once, without retries, and works again after unmute', async () => {
    const owner = await connected(server.url, 'owner');
    const target = await connected(server.url, 'quiet');
    const room = await owner.rooms.create({ name: 'mutes' });
    const o = await owner.join(room.id);
    const t = await target.join(room.id);
    const moderation = await o.moderation();
    await t.send('before the mute');

    await moderation.mute(target.user!.id, 600);
    expect((await moderation.mutes()).map((r) => r.userId)).toEqual([target.user!.id]);
    const refused = await t.send('while muted').catch((e: unknown) => e);
    expect(codeOf(refused)).toBe('MUTED');
    const failed = t.pending.filter((p) => p.text === 'while muted');
    expect(failed.map((p) => [p.state, p.attempts])).toEqual([['failed', 1]]);

    await moderation.unmute(target.user!.id);
    const stored = await t.send('after the unmute');
    await waitFor(caughtUp([o], stored.seq), 'the owner receives it');
    expect(o.messages.map((m) => m.text)).not.toContain('while muted');
    expect(o.messages.map((m) => m.text)).toContain('after the unmute');
  });
});

describe('edits and kicks across two instances on Redis (MySQL)', () => {
  const prefix = uniquePrefix('sdk_moderation');
  let database: { url: string; drop(): Promise<void> } | undefined;
  let servers: TestServer[] = [];
  beforeAllOrFailEach(async () => {
    database = await createMysqlDatabase('sdk_moderation_cluster');
    for (let i = 0; i < 2; i++) {
      servers.push(await startTestServer({ databaseUrl: database.url, env: { REDIS_URL: redisTestUrl(), REDIS_KEY_PREFIX: prefix, LEAVE_GRACE_MS: '300', REDIS_INSTANCE_TTL_MS: '3000' } }));
    }
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    servers = [];
    await database?.drop();
    await deletePrefix(redisTestUrl(), prefix);
  });

  it('an edit made through instance A reaches the client on B as messageChanged', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const alice = await connected(a.url, 'alice');
    const bob = await connected(b.url, 'bob');
    const room = await alice.rooms.create({ name: 'edit across' });
    const onA = await alice.join(room.id);
    const onB = await bob.join(room.id);
    const sent = await onA.send('said on A');
    await waitFor(caughtUp([onB], sent.seq), 'B has the message');
    const changedB = changes(onB);

    const mutation = await onA.edit(sent.seq, 'edited on A');
    await waitFor(() => changedB.length > 0, 'B gets messageChanged');
    expect(changedB.map((m) => [m.seq, m.type, m.message.seq, m.message.text])).toEqual([[mutation.seq, 'edited', sent.seq, 'edited on A']]);
    expect(onB.messages.find((m) => m.seq === sent.seq)).toMatchObject({ text: 'edited on A', editedAt: expect.any(String) });
  });

  it('a kick issued over REST on instance A reaches the client on B as kicked', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const owner = await guest(a, 'owner');
    const room = (await api<Room>(a, 'POST', '/api/rooms', owner.token, { name: 'kick across' })).body;
    const target = await connected(b.url, 'target');
    const onB = await target.join(room.id);
    const kicked = kickedOf(onB);

    expect((await api(a, 'POST', `/api/rooms/${room.id}/kick`, owner.token, { userId: target.user!.id })).status).toBe(204);
    expect(await kicked).toEqual({ roomId: room.id, reason: 'kick', until: null });
    await waitFor(() => onB.closed, 'the handle on B closes');
    const again = await target.join(room.id);
    expect(again.isLive).toBe(true);
  });
});

/**
 * Mutations in the room's stream as resume and history deliver them (docs/protocol.md §5
 * "Resume", §3 history), on SQLite and on MySQL: a subscriber resuming from any seq gets every
 * later entry in seq order, each mutation carrying its message as it is now, and a client that
 * pages history after a truncated resume ends in the same state.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { HistoryPage, Message, MessageMutation } from '../../../sdk/protocol/shapes.js';
import { databaseBackends } from '../../helpers/databases.js';
import { guest, startTestServer, type TestServer } from '../../helpers/server.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { Peers, connectAs, createRoom, isRoomFrame, joinRoom, json, say, subscribeRoom, type Client, type User } from '../stomp/support.js';
import { applyEntries, applyPages, deleteMessage, editMessage, entriesUpTo, historyPage, isEntry, range, toEntry, type SeenEntry } from './support.js';

const peers = new Peers();
afterEach(() => peers.closeAll());

async function sent(c: Client, roomId: number, text: string): Promise<number> {
  return Number((await say(c, roomId, text)).headers.get('x-seq'));
}

/** Subscribes with x-since-seq and collects the replay: the entries before the resume frame, and the frame's body. */
async function resume(c: Client, roomId: number, sinceSeq: number, id: string): Promise<{ replayed: SeenEntry[]; resume: { sinceSeq: number; lastSeq: number; truncated: boolean } }> {
  await subscribeRoom(c, roomId, id, { 'x-since-seq': String(sinceSeq) });
  const resumeFrame = await c.peer.next((f) => isRoomFrame(roomId, 'resume')(f) && f.headers.get('subscription') === id);
  // The replay precedes the resume frame on the wire; `next` consumed only the resume frame.
  const replayed: SeenEntry[] = [];
  for (;;) {
    const i = c.peer.frames.findIndex(isEntry(roomId, id));
    if (i < 0) break;
    replayed.push(toEntry(c.peer.frames.splice(i, 1)[0]!));
  }
  return { replayed, resume: json(resumeFrame) };
}

describe.each(databaseBackends())('mutations in resume and history on $name', (db) => {
  let server: TestServer;
  let small: TestServer;
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db });
    small = await startTestServer({ db, env: { RESUME_MAX_MESSAGES: '3' } });
  });
  afterAll(async () => {
    await server?.stop();
    await small?.stop();
  });

  /**
   * A room with: `a` and `b` sent by `sender`, then `a` edited (seq `edit`). `watcher` is joined
   * and subscribed from seq 0 (its own enter replayed, the rest live).
   */
  async function editedRoom(on: TestServer): Promise<{ roomId: number; owner: User; sender: Client; watcher: Client; a: number; b: number; edit: number }> {
    const owner = await guest(on, 'owner');
    const { id: roomId } = await createRoom(on, owner.token);
    const sender = await connectAs(peers, on, 'sender');
    const watcher = await connectAs(peers, on, 'watcher');
    await joinRoom(watcher, roomId);
    await subscribeRoom(watcher, roomId, 'live', { 'x-since-seq': '0' });
    await joinRoom(sender, roomId);
    const a = await sent(sender, roomId, 'a');
    const b = await sent(sender, roomId, 'b');
    const edit = (await editMessage(on, sender.token, roomId, a, 'a, edited')).body.seq;
    expect(edit).toBe(b + 1);
    return { roomId, owner, sender, watcher, a, b, edit };
  }

  it('resuming from before an edited message replays the message as it is now, then the edit, in seq order', async () => {
    const { roomId, watcher, a, b, edit } = await editedRoom(server);
    const live = await entriesUpTo(watcher, roomId, edit, 'live');
    const reader = await connectAs(peers, server, 'reader');
    await joinRoom(reader, roomId);
    const { replayed, resume: body } = await resume(reader, roomId, a - 1, 'r1');
    expect(body).toEqual({ sinceSeq: a - 1, lastSeq: edit + 1, truncated: false });
    // edit + 1 is the reader's own enter message.
    expect(replayed.map((e) => [e.type, e.seq])).toEqual([
      ['message', a],
      ['message', b],
      ['message-edited', edit],
      ['message', edit + 1],
    ]);
    expect(replayed[0]!.body).toMatchObject({ seq: a, text: 'a, edited', editedAt: expect.any(String) });
    expect((replayed[2]!.body as MessageMutation).message).toEqual(replayed[0]!.body);
    // The same state the live subscriber reached by applying entries as they came.
    expect(applyEntries(replayed.slice(0, 3))).toEqual(applyEntries(live.filter((e) => e.seq >= a)));
  });

  it('resuming from after a message still brings a later change to it', async () => {
    const { roomId, a, b, edit } = await editedRoom(server);
    const reader = await connectAs(peers, server, 'reader');
    await joinRoom(reader, roomId);
    const { replayed } = await resume(reader, roomId, b, 'r2');
    expect(replayed.map((e) => [e.type, e.seq])).toEqual([
      ['message-edited', edit],
      ['message', edit + 1],
    ]);
    expect((replayed[0]!.body as MessageMutation).message).toMatchObject({ seq: a, text: 'a, edited' });
  });

  it('after a dropped socket, a resume brings the delete made meanwhile, and the replayed edit shows the tombstone', async () => {
    const { roomId, owner, watcher, a, b, edit } = await editedRoom(server);
    await entriesUpTo(watcher, roomId, edit, 'live');
    watcher.peer.close();
    expect((await deleteMessage(server, owner.token, roomId, a)).status).toBe(204);

    const back = await connectAs(peers, server, watcher);
    await joinRoom(back, roomId);
    const { replayed, resume: body } = await resume(back, roomId, b, 'again');
    expect(body.lastSeq).toBe(edit + 1);
    expect(replayed.map((e) => [e.type, e.seq])).toEqual([
      ['message-edited', edit],
      ['message-deleted', edit + 1],
    ]);
    const tombstone = (replayed[1]!.body as MessageMutation).message;
    expect(tombstone).toMatchObject({ seq: a, text: '', deleted: true });
    expect((replayed[0]!.body as MessageMutation).message).toEqual(tombstone);
  });

  it('splits history into messages and mutations whose seqs cover each page without holes; limit counts both', async () => {
    const { roomId, owner, sender, a, b } = await editedRoom(server);
    const c = await sent(sender, roomId, 'c');
    await editMessage(server, sender.token, roomId, b, 'b2');
    await deleteMessage(server, owner.token, roomId, c);
    await editMessage(server, sender.token, roomId, b, 'b3');
    const lastSeq = (await historyPage(server, owner.token, roomId, '?limit=1')).lastSeq;

    const forward: HistoryPage[] = [];
    for (let after = 0; after < lastSeq; ) {
      const page = await historyPage(server, owner.token, roomId, `?after=${after}&limit=3`);
      const seqs = [...page.messages.map((m) => m.seq), ...page.mutations.map((m) => m.seq)].sort((x, y) => x - y);
      expect(seqs).toEqual(range(after + 1, Math.min(after + 3, lastSeq)));
      expect(page.messages.map((m) => m.seq)).toEqual([...page.messages.map((m) => m.seq)].sort((x, y) => x - y));
      expect(page.mutations.map((m) => m.seq)).toEqual([...page.mutations.map((m) => m.seq)].sort((x, y) => x - y));
      expect(page.lastSeq).toBe(lastSeq);
      forward.push(page);
      after = seqs.at(-1)!;
    }
    const backward: HistoryPage[] = [];
    for (let before = lastSeq + 1; before > 1; ) {
      const page = await historyPage(server, owner.token, roomId, `?before=${before}&limit=3`);
      const seqs = [...page.messages.map((m) => m.seq), ...page.mutations.map((m) => m.seq)].sort((x, y) => x - y);
      expect(seqs).toEqual(range(Math.max(1, before - 3), before - 1));
      backward.push(page);
      before = seqs[0]!;
    }
    const state = applyPages(forward);
    expect(applyPages(backward)).toEqual(state);
    // Every mutation in every page carries its message as it is now.
    for (const m of forward.flatMap((p) => p.mutations)) expect(m.message).toEqual(state.get(m.message.seq));
    expect(state.get(a)).toMatchObject({ text: 'a, edited', deleted: false });
    expect(state.get(b)).toMatchObject({ text: 'b3', deleted: false });
    expect(state.get(c)).toMatchObject({ text: '', deleted: true, editedAt: null });
  });

  it('a truncated resume followed by history paging ends in the same state as following live', async () => {
    const { roomId, owner, sender, watcher, a, b } = await editedRoom(small);
    const c = await sent(sender, roomId, 'c');
    await deleteMessage(small, owner.token, roomId, b);
    await editMessage(small, sender.token, roomId, c, 'c2');
    const reader = await connectAs(peers, small, 'reader');
    await joinRoom(reader, roomId);
    const { replayed, resume: body } = await resume(reader, roomId, 0, 'tr');
    expect(body.truncated).toBe(true);
    expect(replayed).toEqual([]);

    const pages: HistoryPage[] = [];
    for (let after = 0; after < body.lastSeq; ) {
      const page = await historyPage(small, reader.token, roomId, `?after=${after}&limit=2`);
      pages.push(page);
      after = Math.max(...page.messages.map((m) => m.seq), ...page.mutations.map((m) => m.seq));
    }
    const paged = applyPages(pages);
    const live = applyEntries(await entriesUpTo(watcher, roomId, body.lastSeq, 'live'), new Map<number, Message>());
    expect(paged).toEqual(live);
    expect(paged.get(a)).toMatchObject({ text: 'a, edited' });
    expect(paged.get(b)).toMatchObject({ text: '', deleted: true });
    expect(paged.get(c)).toMatchObject({ text: 'c2', editedAt: expect.any(String) });
  });
});

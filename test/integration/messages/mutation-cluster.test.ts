/**
 * Edits and deletes across two instances sharing one database and Redis, on SQLite and on MySQL:
 * a mutation takes its seq by the same rule as a message on whichever instance handles it, so
 * with sends racing on both instances every subscriber, on either instance, sees one gap-free
 * stream in seq order and ends in the same state as history.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { MessageMutation } from '../../../sdk/protocol/shapes.js';
import { createMysqlDatabase, tempSqliteUrl } from '../../helpers/databases.js';
import { deletePrefix, redisTestUrl, uniquePrefix } from '../../helpers/redis.js';
import { guest, startTestServer, type TestServer } from '../../helpers/server.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { Peers, connectAs, createRoom, joinRoom, say, subscribeRoom, type Client } from '../stomp/support.js';
import { applyEntries, applyPages, deleteMessage, editMessage, entriesUpTo, historyPage, range } from './support.js';

const peers = new Peers();
afterEach(() => peers.closeAll());

const BLAST = 40;

describe.each(['sqlite', 'mysql'] as const)('mutations on two instances through Redis (%s)', (dialect) => {
  const prefix = uniquePrefix(`mut-${dialect}`);
  let db: { url: string; cleanup(): Promise<void> } | undefined;
  let a: TestServer;
  let b: TestServer;

  beforeAllOrFailEach(async () => {
    if (dialect === 'sqlite') db = tempSqliteUrl();
    else {
      const m = await createMysqlDatabase('mutations');
      db = { url: m.url, cleanup: () => m.drop() };
    }
    const env = { REDIS_URL: redisTestUrl(), REDIS_KEY_PREFIX: prefix };
    a = await startTestServer({ databaseUrl: db.url, env });
    b = await startTestServer({ databaseUrl: db.url, env });
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await db?.cleanup();
    await deletePrefix(redisTestUrl(), prefix);
  });

  /** Pipelines `count` sends from `c` and resolves once all are receipted. */
  async function blast(c: Client, roomId: number, tag: string, count: number): Promise<void> {
    for (let k = 0; k < count; k++) {
      c.peer.send('SEND', { destination: `/app/rooms/${roomId}/messages`, receipt: `${tag}${k}` }, JSON.stringify({ text: `${tag} ${k}`, clientMsgId: `${tag}-${k}` }));
    }
    for (let k = 0; k < count; k++) await c.peer.receipt(`${tag}${k}`, 30_000);
  }

  it('a message sent on A, edited on B and deleted on A reaches subscribers on both in seq order without gaps, amid sends on both', async () => {
    const owner = await guest(a, 'owner');
    const { id: roomId } = await createRoom(a, owner.token);
    const watchers = [await connectAs(peers, a, 'watch-a'), await connectAs(peers, b, 'watch-b')];
    const senders = [await connectAs(peers, a, 'send-a'), await connectAs(peers, b, 'send-b')];
    for (const c of watchers) {
      await joinRoom(c, roomId);
      await subscribeRoom(c, roomId, 'stream', { 'x-since-seq': '0' });
    }
    for (const c of senders) await joinRoom(c, roomId);
    const [sendA, sendB] = senders as [Client, Client];
    const m = Number((await say(sendA, roomId, 'original')).headers.get('x-seq'));
    const earlier = Number((await say(sendB, roomId, 'earlier')).headers.get('x-seq'));

    // Sends on both instances race with the mutations made through each instance's REST API.
    const [edited] = await Promise.all([
      editMessage(b, sendA.token, roomId, m, 'edited on B'),
      blast(sendA, roomId, 'a', BLAST),
      blast(sendB, roomId, 'b', BLAST),
      editMessage(a, sendB.token, roomId, earlier, 'earlier, edited on A'),
    ]);
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const [deleted] = await Promise.all([deleteMessage(a, owner.token, roomId, m), blast(sendB, roomId, 'c', 10)]);
    expect(deleted.status).toBe(204);

    const page = await historyPage(b, owner.token, roomId, '?limit=1');
    const lastSeq = page.lastSeq;
    expect(lastSeq).toBe(earlier + 2 * BLAST + 10 + 3);
    const seen = await Promise.all(watchers.map((w) => entriesUpTo(w, roomId, lastSeq, 'stream', 20_000)));
    for (const entries of seen) {
      expect(entries.map((e) => e.seq)).toEqual(range(1, lastSeq));
      const ofM = entries.filter((e) => e.seq === m || (e.type !== 'message' && (e.body as MessageMutation).message.seq === m));
      expect(ofM.map((e) => e.type)).toEqual(['message', 'message-edited', 'message-deleted']);
      expect(ofM[1]!.seq).toBe(edited.body.seq);
      expect((ofM[1]!.body as MessageMutation).message).toMatchObject({ seq: m, text: 'edited on B', deleted: false });
      expect((ofM[2]!.body as MessageMutation).message).toMatchObject({ seq: m, text: '', deleted: true });
    }
    expect(seen[0]).toEqual(seen[1]);

    // History, from either instance, pages to the state the subscribers reached.
    const pages = [];
    for (let after = 0; after < lastSeq; after += 50) pages.push(await historyPage(after % 100 === 0 ? a : b, owner.token, roomId, `?after=${after}&limit=50`));
    const fromHistory = applyPages(pages);
    const fromStream = applyEntries(seen[0]!);
    for (const [seq, message] of fromHistory) expect(fromStream.get(seq), `seq ${seq}`).toEqual(message);
    expect(fromHistory.get(earlier)).toMatchObject({ text: 'earlier, edited on A' });
  });
});

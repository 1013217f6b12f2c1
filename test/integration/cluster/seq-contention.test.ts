import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlDatabase, tempSqliteUrl } from '../../helpers/databases.js';
import { RawStomp } from '../../helpers/raw-stomp.js';
import { deletePrefix, redisTestUrl, uniquePrefix } from '../../helpers/redis.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';

const PER_SENDER = 150;

describe.each(['sqlite', 'mysql'] as const)('three instances writing to one room as fast as they can (%s)', (dialect) => {
  const prefix = uniquePrefix(`seq-${dialect}`);
  let db: { url: string; cleanup(): Promise<void> };
  let servers: TestServer[] = [];

  beforeAll(async () => {
    if (dialect === 'sqlite') db = tempSqliteUrl();
    else {
      const m = await createMysqlDatabase('cluster_seq');
      db = { url: m.url, cleanup: () => m.drop() };
    }
    for (let i = 0; i < 3; i++) {
      servers.push(await startTestServer({ databaseUrl: db.url, env: { REDIS_URL: redisTestUrl(), REDIS_KEY_PREFIX: prefix } }));
    }
  });

  afterAll(async () => {
    for (const s of servers) await s.stop();
    servers = [];
    await db?.cleanup();
    await deletePrefix(redisTestUrl(), prefix);
  });

  it('acknowledges every send with a unique, contiguous seq that matches the stored message, and every subscriber sees them in order', async () => {
    const owner = await guest(servers[0]!, 'owner');
    const roomId = (await api<{ id: number }>(servers[0]!, 'POST', '/api/rooms', owner.token, { name: 'contention' })).body.id;
    const senders = await Promise.all(
      servers.map(async (s, i) => {
        const g = await guest(s, `s${i}`);
        const stomp = await RawStomp.ws(`${s.url.replace('http', 'ws')}/ws`);
        await stomp.connect(g.token);
        stomp.send('SUBSCRIBE', { destination: '/user/queue/errors', id: 'errors' });
        stomp.send('SEND', { destination: `/app/rooms/${roomId}/join`, receipt: 'join' }, '');
        await stomp.receipt('join');
        stomp.send('SUBSCRIBE', { destination: `/topic/rooms/${roomId}`, id: 'room', receipt: 'sub' });
        await stomp.receipt('sub');
        return stomp;
      }),
    );
    const firstSeq = (await servers[0]!.database.messages.lastSeq(roomId)) + 1;

    // Every SEND pipelined at once: the three instances' lanes race on the same (room, seq) key.
    const receipts = await Promise.all(
      senders.map(async (stomp, i) => {
        for (let k = 0; k < PER_SENDER; k++) {
          stomp.send('SEND', { destination: `/app/rooms/${roomId}/messages`, receipt: `r${k}` }, JSON.stringify({ text: `s${i}-${k}`, clientMsgId: `c${i}-${k}` }));
        }
        const out: { seq: number; text: string }[] = [];
        for (let k = 0; k < PER_SENDER; k++) {
          const r = await stomp.receipt(`r${k}`, 30_000);
          out.push({ seq: Number(r.headers.get('x-seq')), text: `s${i}-${k}` });
        }
        return out;
      }),
    );
    const acked = receipts.flat();
    for (const stomp of senders) expect(stomp.frames.filter((f) => f.headers.get('subscription') === 'errors')).toEqual([]);
    expect(acked).toHaveLength(3 * PER_SENDER);
    expect(new Set(acked.map((a) => a.seq)).size).toBe(acked.length);

    const stored = await servers[0]!.database.messages.range(roomId, 0, Number.MAX_SAFE_INTEGER);
    const texts = stored.filter((m) => m.type === 'text');
    expect(texts).toHaveLength(acked.length);
    stored.forEach((m, i) => expect(m.seq).toBe(i + 1));
    const bySeq = new Map(stored.map((m) => [m.seq, m.text]));
    for (const a of acked) expect(bySeq.get(a.seq)).toBe(a.text);

    // Each instance's subscriber got every message from the first send on, in seq order, once.
    const lastSeq = stored.at(-1)!.seq;
    for (const stomp of senders) {
      const seqs: number[] = [];
      while (seqs.at(-1) !== lastSeq) {
        const f = await stomp.next((x) => x.headers.get('subscription') === 'room' && x.headers.get('x-type') === 'message', 10_000);
        seqs.push(Number(f.headers.get('x-seq')));
      }
      const fromFirst = seqs.filter((s) => s >= firstSeq);
      expect(fromFirst).toEqual(Array.from({ length: lastSeq - firstSeq + 1 }, (_, i) => firstSeq + i));
      stomp.close();
    }
    const clashes = servers.map((s) => s.app.metrics.seqClashes());
    console.log(`${dialect}: ${acked.length} sends, seq clashes resolved by retry per instance: ${clashes.join(', ')}`);
  }, 60_000);
});

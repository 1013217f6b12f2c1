import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_SPEC } from '../../../backend/config.js';
import { databaseBackends } from '../../helpers/databases.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { makeClient, record, sequenceDefect, waitFor, wholeHistory } from '../../helpers/sdk-client.js';
import { seededRandom, testSeed } from '../../helpers/random.js';
import { DefaultReconnectPolicy } from '../../../sdk/reconnect-policy.js';
import type { ChatClient } from '../../../sdk/chat-client.js';
import type { Message } from '../../../sdk/types.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The server's real limits (the test server turns them off unless told). */
const RATE_LIMIT_PER_S = CONFIG_SPEC.rateLimitPerS.default;
const RATE_LIMIT_BURST = CONFIG_SPEC.rateLimitBurst.default;
const SEND_EVERY_MS = 250; // 4 messages/s per client
const OUTAGE_MS = 15_000;

/** Refusals the running server sent, by code (its metrics; a restart starts them at 0). */
async function refusals(server: TestServer, code: string): Promise<number> {
  const metric = await server.app.metrics.registry.getSingleMetric('parley_errors_total')?.get();
  return metric?.values.find((v) => v.labels['code'] === code)?.value ?? 0;
}

describe.each(databaseBackends())('outage on $name (issue 11, item 13)', (db) => {
  let server: TestServer;
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db, env: { RATE_LIMIT_PER_S: String(RATE_LIMIT_PER_S), RATE_LIMIT_BURST: String(RATE_LIMIT_BURST) } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('loses nothing queued during a 15 s outage: the backlog past the burst is paced and retried, each message stored once, all clients identical', async () => {
    // Seeded: the reconnect jitter and the senders' phase can be replayed.
    const random = seededRandom(testSeed('OUTAGE_SEED', 'outage'));
    const names = ['o0', 'o1', 'o2'];
    const clients: ChatClient[] = names.map((n) =>
      makeClient(server.url, n, { reconnectPolicy: new DefaultReconnectPolicy({ baseDelayMs: 50, maxDelayMs: 400, random }) }),
    );
    try {
      await Promise.all(clients.map((c) => c.connect()));
      const room = await clients[0]!.rooms.create({ name: 'outage' });
      const handles = await Promise.all(clients.map((c) => c.join(room.id)));
      const seen = handles.map((h) => record(h));

      let sending = true;
      const sends: { client: number; text: string; done: Promise<Message> }[] = [];
      const outcomes: (Message | string)[] = [];
      const senders = handles.map(async (h, i) => {
        await sleep(random() * SEND_EVERY_MS);
        for (let n = 0; sending; n++) {
          const text = `${names[i]}-${n}`;
          const done = h.send(text);
          sends.push({ client: i, text, done });
          done.then(
            (m) => outcomes.push(m),
            (e: unknown) => outcomes.push(String((e as { code?: string }).code ?? e)),
          );
          await sleep(SEND_EVERY_MS);
        }
      });

      await sleep(1000);
      let sentWhileDown = 0;
      await server.restart(async () => {
        const before = sends.length;
        await sleep(OUTAGE_MS);
        sentWhileDown = sends.length - before;
      });
      const restartedAt = Date.now();
      sending = false;
      await Promise.all(senders);
      // The backlog is past the burst: without pacing and retries some of it would be lost.
      expect(sentWhileDown / clients.length).toBeGreaterThan(RATE_LIMIT_BURST * 2);

      await waitFor(() => outcomes.length === sends.length, 'every send settled', 40_000);
      const drainMs = Date.now() - restartedAt;
      const rejected = outcomes.filter((o) => typeof o === 'string');
      expect(rejected).toEqual([]);
      const rateLimited = await refusals(server, 'RATE_LIMITED');
      expect(rateLimited).toBeGreaterThan(0);

      // Every send is stored exactly once, under its own clientMsgId.
      const all = await wholeHistory(clients[0]!, room.id);
      expect(sequenceDefect(all)).toBeNull();
      const texts = all.filter((m) => m.type === 'text');
      expect(texts).toHaveLength(sends.length);
      expect(new Set(texts.map((m) => m.clientMsgId)).size).toBe(texts.length);
      expect(new Set(texts.map((m) => m.text))).toEqual(new Set(sends.map((s) => s.text)));
      const resolved = await Promise.all(sends.map((s) => s.done));
      expect(new Set(resolved.map((m) => m.clientMsgId))).toEqual(new Set(texts.map((m) => m.clientMsgId)));

      // All three clients end with the same, complete sequence.
      const lastSeq = all.at(-1)!.seq;
      await waitFor(() => handles.every((h) => h.lastSeq === lastSeq), 'every client caught up', 15_000);
      const view = (s: Message[]) => s.filter((m) => m.seq >= seen[0]![0]!.seq).map((m) => `${m.seq}:${m.id}:${m.clientMsgId ?? m.type}`);
      for (const s of seen) expect(sequenceDefect(s)).toBeNull();
      expect(view(seen[1]!)).toEqual(view(seen[0]!));
      expect(view(seen[2]!)).toEqual(view(seen[0]!));
      expect(view(seen[0]!)).toEqual(view(all));
      for (const h of handles) expect(h.pending).toEqual([]);

      const inOrder = names.filter((n) => {
        const mine = texts.filter((m) => m.text.startsWith(`${n}-`)).map((m) => Number(m.text.slice(n.length + 1)));
        return mine.every((x, k) => k === 0 || x > mine[k - 1]!);
      }).length;
      // A backlog on a new connection goes one at a time: each sender's messages keep their order.
      expect(inOrder).toBe(names.length);
      console.log(
        `outage on ${db.name}: ${sends.length} sends (${sentWhileDown} while down ${OUTAGE_MS} ms), ${rejected.length} rejected, ` +
          `${rateLimited} RATE_LIMITED refusals retried, drained ${drainMs} ms after the restart, ` +
          `${all.length} messages stored, ${inOrder}/${names.length} senders stored in send order`,
      );
    } finally {
      await Promise.all(clients.map((c) => c.disconnect()));
    }
  }, 60_000);
});

import { afterAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../helpers/databases.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { expectConverged, joinAndRecord, makeClient, waitFor, wholeHistory } from '../../helpers/sdk-client.js';
import { seededRandom, testSeed } from '../../helpers/random.js';
import { DefaultReconnectPolicy } from '../../../sdk/reconnect-policy.js';
import type { ChatClient } from '../../../sdk/chat-client.js';
import type { Message } from '../../../sdk/types.js';

let server: TestServer;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe.each(databaseBackends())('chaos on $name', (db) => {
  // Restarts and drops keep clients away for a moment; on a clock nobody advances the leave
  // grace never ends, so whether a client comes back as the same member does not depend on load.
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db, clock: new FakeClock() });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps three clients identical, complete, gap-free and duplicate-free through dropped sockets and two restarts', async () => {
    // Seeded so a failing schedule of drops, restarts and reconnect jitter can be replayed.
    const random = seededRandom(testSeed('CHAOS_SEED', 'chaos'));
    const clients: ChatClient[] = ['c0', 'c1', 'c2'].map((n) =>
      makeClient(server.url, n, { reconnectPolicy: new DefaultReconnectPolicy({ baseDelayMs: 50, maxDelayMs: 400, random }) }),
    );
    try {
      await Promise.all(clients.map((c) => c.connect()));
      const room = await clients[0]!.rooms.create({ name: 'chaos' });
      const { handles, seen } = await joinAndRecord(clients, room.id);

      let running = true;
      const resolved: Message[] = [];
      const failures: string[] = [];
      const senders = handles.map(async (h, i) => {
        let n = 0;
        while (running) {
          // Bursts of three unawaited sends exercise the queue, not just one in flight.
          const burst = [0, 1, 2].map(() => h.send(`c${i}-${n++}`));
          const results = await Promise.allSettled(burst);
          for (const r of results) {
            if (r.status === 'fulfilled') resolved.push(r.value);
            else failures.push(String((r.reason as { code?: string }).code ?? r.reason));
          }
          await sleep(20 + random() * 40);
        }
      });

      const chaosUntil = Date.now() + 9000;
      const restartsAt = [3000, 6000];
      const start = Date.now();
      let restarts = 0;
      let drops = 0;
      while (Date.now() < chaosUntil) {
        await sleep(150 + random() * 400);
        const t = Date.now() - start;
        if (restarts < restartsAt.length && t >= restartsAt[restarts]!) {
          await server.restart();
          restarts++;
        } else {
          server.dropAllSockets();
          drops++;
        }
      }
      running = false;
      await Promise.all(senders);
      expect(restarts).toBe(2);

      const lastSeq = async () => (await clients[0]!.rooms.history(room.id, { limit: 1 })).lastSeq;
      let serverLast = await lastSeq();
      await waitFor(async () => {
        serverLast = await lastSeq();
        return handles.every((h) => h.lastSeq === serverLast);
      }, 'every client caught up', 25_000);

      // Every client's sequence is gap-free and duplicate-free, all agree where they overlap, the
      // server's history agrees, and every send that resolved is in it exactly once.
      const all = await wholeHistory(clients[0]!, room.id);
      expectConverged(seen, serverLast, all, resolved);
      const texts = all.filter((m) => m.type === 'text').map((m) => m.text);
      for (const m of resolved) expect(texts.filter((t) => t === m.text)).toHaveLength(1);
      for (const h of handles) expect(h.pending.filter((p) => p.state !== 'failed')).toEqual([]);

      console.log(
        `chaos: ${resolved.length} sends resolved, ${failures.length} failed (${[...new Set(failures)].join(',') || '-'}), ` +
          `${drops} socket drops, ${restarts} restarts, ${all.length} messages in the room`,
      );
      expect(resolved.length).toBeGreaterThan(50);
    } finally {
      await Promise.all(clients.map((c) => c.disconnect()));
    }
  }, 60_000);
});

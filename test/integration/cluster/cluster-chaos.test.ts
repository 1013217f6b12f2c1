import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpBalancer, type TcpBalancer } from '../../../backend/net/tcp-balancer.js';
import type { ChatClient } from '../../../sdk/chat-client.js';
import type { Message } from '../../../sdk/types.js';
import { createMysqlDatabase } from '../../helpers/databases.js';
import { instanceProcess, type InstanceProcess } from '../../helpers/instance-process.js';
import { freePort, startOwnRedis, type OwnRedis } from '../../helpers/redis.js';
import { expectConverged, joinAndRecord, makeClient, waitFor, wholeHistory } from '../../helpers/sdk-client.js';
import { RawStomp } from '../../helpers/raw-stomp.js';
import { guest } from '../../helpers/server.js';
import { seededRandom, testSeed } from '../../helpers/random.js';

/** Alive-key TTL of the instances: a killed instance's users must be gone within TTL + TTL/3, plus the reap itself on a loaded machine. */
const TTL_MS = 3000;
const PRESENCE_BOUND_MS = TTL_MS + TTL_MS / 3 + 2500;

// Printed by testSeed; PARLEY_CHAOS_SEED replays it.
const seed = testSeed('PARLEY_CHAOS_SEED', 'cluster chaos');
const random = seededRandom(seed);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

let redis: OwnRedis;
let db: { url: string; drop(): Promise<void> };
let instances: InstanceProcess[] = [];
let balancer: TcpBalancer;

beforeAll(async () => {
  redis = await startOwnRedis();
  db = await createMysqlDatabase('cluster_chaos');
  const ports = [await freePort(), await freePort(), await freePort()];
  instances = ports.map((port) =>
    instanceProcess(port, { DATABASE_URL: db.url, REDIS_URL: redis.url, REDIS_INSTANCE_TTL_MS: String(TTL_MS), LEAVE_GRACE_MS: '500', DATA_DIR: '/tmp' }),
  );
  // All three at the same moment against an empty database: the migration lock makes them take turns.
  await Promise.all(instances.map((i) => i.start()));
  balancer = await startTcpBalancer({ targets: () => ports });
}, 120_000);

afterAll(async () => {
  await balancer?.close();
  await Promise.all(instances.map((i) => i.kill()));
  await redis?.stop();
  await db?.drop();
});

describe('cluster chaos', () => {
  it('keeps three clients identical and gap-free through kill -9 of instances and a Redis restart; presence recovers within the bound', async () => {
    const clients: ChatClient[] = ['c0', 'c1', 'c2'].map((n) => makeClient(balancer.url, n));
    // Watches presence from instance 0, which is never killed.
    const watcher = makeClient(instances[0]!.url, 'watcher');
    try {
      await Promise.all([...clients, watcher].map((c) => c.connect()));
      const room = await clients[0]!.rooms.create({ name: 'chaos' });
      const { handles, seen } = await joinAndRecord(clients, room.id);
      const watch = await watcher.join(room.id);
      await waitFor(() => watch.userCount === 4, 'four present');

      let running = true;
      const resolved: Message[] = [];
      const failures: string[] = [];
      const senders = handles.map(async (h, i) => {
        let n = 0;
        while (running) {
          const burst = [0, 1, 2].map(() => h.send(`c${i}-${n++}`));
          for (const r of await Promise.allSettled(burst)) {
            if (r.status === 'fulfilled') resolved.push(r.value);
            else failures.push(String((r.reason as { code?: string }).code ?? r.reason));
          }
          await sleep(20 + random() * 60);
        }
      });

      // Two kills of instance 1 or 2 (seeded order), each with a peer connected straight to the
      // victim, in the room and in its call, that never comes back: the survivors must drop it
      // from presence and from the call within the bound.
      const presenceTimes: number[] = [];
      const victims = random() < 0.5 ? [1, 2] : [2, 1];
      for (const v of victims) {
        await sleep(1000 + random() * 1000);
        const ghost = await ghostPeer(instances[v]!, room.id, `ghost${v}`);
        await waitFor(() => watch.userCount === 5 && watch.callState?.participants.length === 1, 'the ghost present and in the call');
        await instances[v]!.kill();
        const killedAt = Date.now();
        ghost.close();
        const restarted = sleep(1000 + random() * 1000).then(() => instances[v]!.start());
        await waitFor(() => watch.userCount === 4 && watch.callState?.participants.length === 0, 'the ghost gone from presence and call after kill -9', PRESENCE_BOUND_MS + 5000);
        presenceTimes.push(Date.now() - killedAt);
        await restarted;
      }

      // Redis restarted empty: not ready while down, ready and presence right again after.
      await sleep(500 + random() * 1000);
      await redis.kill();
      const redisDownAt = Date.now();
      await waitFor(async () => (await fetch(`${instances[0]!.url}/readyz`)).status === 503, '/readyz 503 while Redis is down', 5000);
      await sleep(1000 + random() * 1000);
      await redis.start();
      await waitFor(async () => (await fetch(`${instances[0]!.url}/readyz`)).status === 200, '/readyz 200 after Redis is back', 10_000);
      const redisBackAt = Date.now();
      await sleep(1500);
      running = false;
      await Promise.all(senders);

      // Presence is rebuilt from the instances' own sessions (REST count from every instance too).
      const probe = (await guest(instances[0]!, 'probe')).token;
      await waitFor(async () => {
        for (const i of instances) {
          const res = await fetch(`${i.url}/api/rooms/${room.id}`, { headers: { authorization: `Bearer ${probe}` } });
          if (((await res.json()) as { userCount: number }).userCount !== 4) return false;
        }
        return true;
      }, 'REST user counts right on every instance after the Redis restart', 30_000);
      const presenceAfterRedis = Date.now() - redisBackAt;
      await waitFor(() => watch.userCount === 4, 'live count right after the Redis restart', 30_000);

      const lastSeq = async () => (await clients[0]!.rooms.history(room.id, { limit: 1 })).lastSeq;
      let serverLast = await lastSeq();
      await waitFor(async () => {
        serverLast = await lastSeq();
        return handles.every((h) => h.lastSeq === serverLast) && watch.lastSeq === serverLast;
      }, 'every client caught up', 25_000);

      const all = await wholeHistory(clients[0]!, room.id);
      expectConverged(seen, serverLast, all, resolved);
      for (const h of handles) expect(h.pending.filter((p) => p.state !== 'failed')).toEqual([]);

      for (const t of presenceTimes) expect(t).toBeLessThanOrEqual(PRESENCE_BOUND_MS);
      console.log(
        `cluster chaos (seed ${seed}): ${resolved.length} sends resolved, ${failures.length} failed (${[...new Set(failures)].join(',') || '-'}), ` +
          `${all.length} messages; ghost dropped from presence after kill -9 in ${presenceTimes.join(' ms, ')} ms (bound ${PRESENCE_BOUND_MS} ms, TTL ${TTL_MS} ms); ` +
          `Redis down ${redisBackAt - redisDownAt} ms, presence right ${presenceAfterRedis} ms after it was back`,
      );
      expect(resolved.length).toBeGreaterThan(50);
    } finally {
      await Promise.all([...clients, watcher].map((c) => c.disconnect()));
    }
  }, 120_000);
});


/** A peer on one instance, joined to the room and its call, that will not reconnect. */
async function ghostPeer(instance: InstanceProcess, roomId: number, nickname: string): Promise<RawStomp> {
  const g = await guest(instance, nickname);
  const stomp = await RawStomp.ws(`${instance.url.replace('http', 'ws')}/ws`);
  await stomp.connect(g.token);
  stomp.send('SEND', { destination: `/app/rooms/${roomId}/join`, receipt: 'join' }, '');
  await stomp.receipt('join');
  stomp.send('SEND', { destination: `/app/rooms/${roomId}/call/join`, receipt: 'call' }, JSON.stringify({ audio: true, video: false }));
  await stomp.receipt('call');
  return stomp;
}

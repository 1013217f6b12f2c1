import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlDatabase } from '../../helpers/databases.js';
import { deletePrefix, redisTestUrl, uniquePrefix } from '../../helpers/redis.js';
import { makeClient, record, waitFor } from '../../helpers/sdk-client.js';
import { api, startTestServer, type TestServer } from '../../helpers/server.js';
import { HOST_ENV, mintHost } from './support.js';

const prefix = uniquePrefix('auth');
let db: { url: string; drop(): Promise<void> };
let servers: TestServer[] = [];

beforeAll(async () => {
  db = await createMysqlDatabase('auth_cluster');
  for (let i = 0; i < 2; i++) {
    servers.push(await startTestServer({ databaseUrl: db.url, env: { ...HOST_ENV, REDIS_URL: redisTestUrl(), REDIS_KEY_PREFIX: prefix } }));
  }
});

afterAll(async () => {
  for (const s of servers) await s.stop();
  servers = [];
  await db?.drop();
  await deletePrefix(redisTestUrl(), prefix);
});

/** Issue 10 across instances: every instance verifies host, guest and demo tokens alike. */
describe('sign-in on two instances sharing Redis and MySQL', () => {
  it('a site user on one instance and a guest on the other chat, each stamped with their own kind of id', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const host = makeClient(a.url, 'unused', { nickname: undefined, tokenProvider: () => mintHost({ sub: 'jo', claims: { name: 'Jo' } }) });
    const visitor = makeClient(b.url, 'Visitor');
    try {
      await Promise.all([host.connect(), visitor.connect()]);
      const room = await host.rooms.create({ name: 'mixed' });
      const [hr, vr] = await Promise.all([host.join(room.id), visitor.join(room.id)]);
      const seenByHost = record(hr);
      const seenByVisitor = record(vr);
      await hr.send('from the site');
      await vr.send('from a guest');
      const chat = (seen: typeof seenByHost): string[] => seen.filter((m) => m.type === 'text').map((m) => `${m.sender.id.slice(0, 2)}${m.sender.nickname}:${m.text}`);
      await waitFor(() => chat(seenByHost).length === 2 && chat(seenByVisitor).length === 2, 'both messages on both instances');
      expect(chat(seenByHost).sort()).toEqual(['h_Jo:from the site', 'u_Visitor:from a guest']);
      expect(chat(seenByVisitor).sort()).toEqual(chat(seenByHost).sort());
    } finally {
      await Promise.all([host.disconnect(), visitor.disconnect()]);
    }
  });

  it('a demo token signed by one instance is good on the other', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const signed = await api<{ token: string }>(a, 'POST', '/demo-host/token', undefined, { user: 'demo-grace' });
    const room = await api<{ ownerId: string }>(b, 'POST', '/api/rooms', signed.body.token, { name: 'demo on b' });
    expect(room.status).toBe(201);
    expect(room.body.ownerId).toBe('h_demo-grace');
  });
});

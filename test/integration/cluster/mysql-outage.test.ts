import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpBalancer, type TcpBalancer } from '../../../backend/net/tcp-balancer.js';
import { createMysqlDatabase, mysqlTestUrl, queryMysql } from '../../helpers/databases.js';
import { RawStomp } from '../../helpers/raw-stomp.js';
import { deletePrefix, redisTestUrl, uniquePrefix } from '../../helpers/redis.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';

const prefix = uniquePrefix('mysql-down');
let db: { url: string; drop(): Promise<void> };
let link: TcpBalancer;
let server: TestServer;

beforeAll(async () => {
  db = await createMysqlDatabase('cluster_outage');
  const target = new URL(mysqlTestUrl());
  // The instance reaches MariaDB through a link the test can cut.
  link = await startTcpBalancer({ targets: () => [Number(target.port || 3306)], targetHost: target.hostname });
  const viaLink = new URL(db.url);
  viaLink.host = `127.0.0.1:${link.port}`;
  server = await startTestServer({ databaseUrl: viaLink.toString(), env: { REDIS_URL: redisTestUrl(), REDIS_KEY_PREFIX: prefix } });
});

afterAll(async () => {
  await server?.stop();
  await link?.close();
  await db?.drop();
  await deletePrefix(redisTestUrl(), prefix);
});

describe('MySQL unreachable for a while', () => {
  it('refuses sends with UNAVAILABLE (nothing stored, nothing acknowledged) and resumes when it is back', async () => {
    const g = await guest(server, 'writer');
    const roomId = (await api<{ id: number }>(server, 'POST', '/api/rooms', g.token, { name: 'outage' })).body.id;
    const stomp = await RawStomp.ws(`${server.url.replace('http', 'ws')}/ws`);
    await stomp.connect(g.token);
    stomp.send('SUBSCRIBE', { destination: '/user/queue/errors', id: 'errors' });
    stomp.send('SEND', { destination: `/app/rooms/${roomId}/join`, receipt: 'join' }, '');
    await stomp.receipt('join');
    const send = (receipt: string, clientMsgId: string): void =>
      stomp.send('SEND', { destination: `/app/rooms/${roomId}/messages`, receipt }, JSON.stringify({ text: clientMsgId, clientMsgId }));
    send('before', 'm-before');
    await stomp.receipt('before');

    link.cut();
    expect((await api(server, 'GET', '/readyz')).status).toBe(503);
    send('during', 'm-during');
    const refusal = await stomp.next((f) => f.headers.get('subscription') === 'errors' && f.headers.get('receipt-id') === 'during', 45_000);
    expect(refusal.headers.get('x-error-code')).toBe('UNAVAILABLE');
    expect(stomp.frames.some((f) => f.command === 'RECEIPT' && f.headers.get('receipt-id') === 'during')).toBe(false);
    const storedDuring = await queryMysql<{ n: number }>(db.url, 'SELECT COUNT(*) AS n FROM message WHERE client_msg_id = ?', ['m-during']);
    expect(Number(storedDuring[0]!.n)).toBe(0);

    link.restore();
    // The client's retry (same clientMsgId) is stored once, after the seq the outage did not use.
    let retried = false;
    const end = Date.now() + 30_000;
    while (!retried && Date.now() < end) {
      const tag = `retry-${Date.now()}`;
      send(tag, 'm-during');
      const f = await stomp.next((x) => (x.command === 'RECEIPT' && x.headers.get('receipt-id') === tag) || x.headers.get('receipt-id') === tag, 30_000);
      retried = f.command === 'RECEIPT';
      if (!retried) await new Promise((r) => setTimeout(r, 200));
    }
    expect(retried).toBe(true);
    const rows = await queryMysql<{ seq: number; client_msg_id: string }>(db.url, 'SELECT seq, client_msg_id FROM message WHERE room_id = ? AND type = ? ORDER BY seq', [roomId, 'text']);
    expect(rows.map((r) => r.client_msg_id)).toEqual(['m-before', 'm-during']);
    expect((await api(server, 'GET', '/readyz')).status).toBe(200);
    stomp.close();
  }, 90_000);
});

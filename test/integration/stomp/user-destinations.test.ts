import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawStomp } from '../../helpers/raw-stomp.js';
import { guest, startTestServer, type TestServer } from '../../helpers/server.js';

describe('/user/queue/** delivery', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function subscribed(token: string): Promise<RawStomp> {
    const peer = await RawStomp.ws(`${server.url.replace('http', 'ws')}/ws`);
    await peer.connect(token);
    peer.send('SUBSCRIBE', { destination: '/user/queue/notices', id: 'n', receipt: 'r' });
    await peer.receipt('r');
    return peer;
  }

  it('reaches every session of the addressed user and nobody else', async () => {
    const alice = await guest(server, 'alice');
    const bob = await guest(server, 'bob');
    const [tab1, tab2, other] = await Promise.all([subscribed(alice.token), subscribed(alice.token), subscribed(bob.token)]);
    server.app.broker.toUser(alice.user.id, '/user/queue/notices', { 'content-type': 'application/json' }, '{"n":1}');
    for (const tab of [tab1, tab2]) {
      const m = await tab.next((f) => f.command === 'MESSAGE');
      expect(m.headers.get('destination')).toBe('/user/queue/notices');
      expect(m.headers.get('subscription')).toBe('n');
      expect(m.body.toString()).toBe('{"n":1}');
    }
    await new Promise((r) => setTimeout(r, 150));
    expect(other.frames.filter((f) => f.command === 'MESSAGE')).toHaveLength(0);
    for (const p of [tab1, tab2, other]) p.close();
  });

  it('refuses a client SEND to /user/** with DESTINATION_FORBIDDEN and keeps the connection', async () => {
    const alice = await guest(server, 'alice2');
    const peer = await RawStomp.ws(`${server.url.replace('http', 'ws')}/ws`);
    await peer.connect(alice.token);
    peer.send('SUBSCRIBE', { destination: '/user/queue/errors', id: 'e' });
    peer.send('SEND', { destination: '/user/queue/notices', receipt: 's' }, 'x');
    const refusal = await peer.next((f) => f.headers.get('subscription') === 'e');
    expect(refusal.headers.get('x-error-code')).toBe('DESTINATION_FORBIDDEN');
    expect(refusal.headers.get('receipt-id')).toBe('s');
    expect(peer.closed).toBe(false);
    peer.close();
  });
});

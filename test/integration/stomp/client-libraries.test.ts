import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';
import { RawStomp } from '../../helpers/raw-stomp.js';
import { collect, publishWithReceipt, stompjsClient } from '../../helpers/stomp-clients.js';

describe('chat round-trips through real client libraries', () => {
  let server: TestServer;
  let roomId: number;
  let ownerToken: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { STOMP_TCP_PORT: '0' } });
    const owner = await guest(server, '방장');
    ownerToken = owner.token;
    const res = await api<{ id: number }>(server, 'POST', '/api/rooms', ownerToken, { name: '라운드트립' });
    roomId = res.body.id;
  });
  afterAll(async () => {
    await server.stop();
  });

  for (const transport of ['ws', 'sockjs'] as const) {
    it(`delivers a Korean message from one @stomp/stompjs client to another over ${transport}`, async () => {
      const a = await guest(server, `보내는이-${transport}`);
      const b = await guest(server, `받는이-${transport}`);
      const alice = await stompjsClient(server.url, a.token, transport);
      const bob = await stompjsClient(server.url, b.token, transport);
      for (const c of [alice, bob]) await publishWithReceipt(c, `/app/rooms/${roomId}/join`, '{}', `join-${transport}`);
      const inbox = collect(bob, `/topic/rooms/${roomId}`);
      await new Promise((r) => setTimeout(r, 100));
      const receipt = await publishWithReceipt(alice, `/app/rooms/${roomId}/messages`, JSON.stringify({ text: '안녕하세요 👋', clientMsgId: `rt-${transport}`, sender: { id: 'forged' } }), `send-${transport}`);
      expect(Number(receipt['x-seq'])).toBeGreaterThan(0);
      const deadline = Date.now() + 5000;
      let chat;
      while (chat === undefined && Date.now() < deadline) {
        chat = inbox.messages.find((m) => m.headers['x-type'] === 'message' && JSON.parse(m.body).type === 'text');
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(chat).toBeDefined();
      const body = JSON.parse(chat!.body);
      expect(body.text).toBe('안녕하세요 👋');
      expect(body.sender).toEqual({ id: a.user.id, nickname: a.user.nickname });
      expect(String(body.seq)).toBe(receipt['x-seq']);
      expect(chat!.headers['x-seq']).toBe(receipt['x-seq']);
      await alice.deactivate();
      await bob.deactivate();
    });
  }

  it('accepts a server-side publisher over the plain TCP listener', async () => {
    const a = await guest(server, 'tcp-publisher');
    const b = await guest(server, 'ws-reader');
    const tcp = await RawStomp.tcp(server.tcpPort!);
    const connected = await tcp.connect(a.token);
    expect(connected.command).toBe('CONNECTED');
    const reader = await stompjsClient(server.url, b.token);
    await publishWithReceipt(reader, `/app/rooms/${roomId}/join`, '', 'join-r');
    const inbox = collect(reader, `/topic/rooms/${roomId}`);
    tcp.send('SEND', { destination: `/app/rooms/${roomId}/join`, receipt: 'j' }, '');
    await tcp.receipt('j');
    tcp.send('SEND', { destination: `/app/rooms/${roomId}/messages`, receipt: 'm', 'content-type': 'application/json' }, JSON.stringify({ text: 'over tcp' }));
    const r = await tcp.receipt('m');
    expect(r.headers.get('x-seq')).toMatch(/^\d+$/);
    const deadline = Date.now() + 5000;
    while (!inbox.messages.some((m) => m.body.includes('over tcp')) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
    expect(inbox.messages.some((m) => JSON.parse(m.body).text === 'over tcp')).toBe(true);
    tcp.close();
    await reader.deactivate();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import WebSocket from 'ws';
import { makeClient, record, waitFor } from '../../helpers/sdk-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('SockJS transport', () => {
  it('chats end to end over SockJS with a WebSocket peer', async () => {
    const viaSockJs = makeClient(server.url, 'sockjs-user', { transport: 'sockjs' });
    const viaWs = makeClient(server.url, 'ws-user', { transport: 'websocket' });
    try {
      await viaSockJs.connect();
      await viaWs.connect();
      const room = await viaSockJs.rooms.create({ name: 'sockjs' });
      const a = await viaSockJs.join(room.id);
      const b = await viaWs.join(room.id);
      const seenA = record(a);
      const seenB = record(b);
      const m1 = await a.send('over sockjs');
      const m2 = await b.send('over websocket');
      await waitFor(() => seenA.some((m) => m.seq === m2.seq) && seenB.some((m) => m.seq === m1.seq), 'both messages on both sides');
      expect(seenA.filter((m) => m.clientMsgId === m1.clientMsgId)).toHaveLength(1);

      // Resume works over SockJS too.
      server.dropAllSockets();
      await waitFor(() => viaSockJs.state === 'reconnecting' || viaSockJs.state === 'connected', 'drop');
      const m3 = await b.send('while sockjs reconnects');
      await waitFor(() => seenA.some((m) => m.seq === m3.seq), 'missed message replayed over SockJS', 20_000);
      expect(viaSockJs.state).toBe('connected');
    } finally {
      await viaSockJs.disconnect();
      await viaWs.disconnect();
    }
  });

  it("falls back to SockJS when WebSocket cannot connect (transport: 'auto')", async () => {
    const attempted: string[] = [];
    const client = makeClient(server.url, 'fallback', {
      transport: 'auto',
      // Every WebSocket attempt is refused, as behind a proxy that breaks upgrades.
      webSocketFactory: (url, protocols) => {
        attempted.push(url);
        return new WebSocket(url.replace(/\/\/[^/]+/, '//127.0.0.1:9'), protocols);
      },
    });
    try {
      await client.connect();
      expect(attempted).toEqual([`${server.url.replace('http', 'ws')}/ws`]);
      const room = await client.rooms.create({ name: 'fallback' });
      const h = await client.join(room.id);
      const m = await h.send('via fallback');
      expect(h.messages.map((x) => x.seq)).toContain(m.seq);
      // It sticks to the transport that worked. States are recorded, not polled: a quick
      // reconnect can pass through `reconnecting` between two polls.
      const states: string[] = [];
      client.on('stateChanged', (s) => states.push(s));
      server.dropAllSockets();
      await waitFor(() => states.includes('reconnecting'), 'drop');
      await waitFor(() => states.at(-1) === 'connected', 'reconnected');
      expect(attempted).toHaveLength(1);
    } finally {
      await client.disconnect();
    }
  });
});

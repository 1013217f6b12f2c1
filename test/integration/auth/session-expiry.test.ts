import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../../sdk/chat-client.js';
import type { ConnectionState } from '../../../sdk/connection-state.js';
import { SESSION_REFRESH } from '../../../sdk/protocol/destinations.js';
import { databaseBackends } from '../../helpers/databases.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { waitFor } from '../../helpers/sdk-client.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';
import { connectAs, createRoom, expectErrorThenClose, flush, history, Peers, sendOk, sendRefused, serverClosed } from '../stomp/support.js';
import { HOST_ENV, mintHost } from './support.js';

const TTL_S = 120;

/** Issue 10: a connection lives as long as its token, unless a fresh one arrives on it first. */
describe.each(databaseBackends())('session expiry on $name', (db) => {
  const peers = new Peers();
  const clock = new FakeClock();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ db, clock, env: { ...HOST_ENV, TOKEN_TTL_S: String(TTL_S) } });
  });
  afterEach(() => peers.closeAll());
  afterAll(async () => {
    await server?.stop();
  });

  const refresh = (token: string): Record<string, string> => ({ destination: SESSION_REFRESH, Authorization: `Bearer ${token}` });

  it('closes a guest connection with ERROR TOKEN_EXPIRED when its token expires', async () => {
    const me = await connectAs(peers, server, 'Expiring');
    clock.advance((TTL_S - 1) * 1000);
    await flush(me.peer);
    clock.advance(2000);
    await expectErrorThenClose(me.peer, 'TOKEN_EXPIRED');
  });

  it('keeps the connection open past the first exp after SEND /app/session/refresh, until the new exp', async () => {
    const me = await connectAs(peers, server, 'Renewing');
    clock.advance(60_000);
    const renewed = await api<{ token: string; user: { id: string } }>(server, 'POST', '/api/session/refresh', me.token);
    expect(renewed.body.user.id).toBe(me.user.id);
    await sendOk(me.peer, 'SEND', refresh(renewed.body.token), '');
    clock.advance(70_000); // past the first token's exp (120 s), before the second's (180 s)
    await flush(me.peer);
    clock.advance(51_000);
    await expectErrorThenClose(me.peer, 'TOKEN_EXPIRED');
  });

  it('forgets the deadline of a connection that closed', async () => {
    const me = await guest(server, 'Leaving');
    const before = clock.pendingTimers;
    const c = await connectAs(peers, server, me);
    expect(clock.pendingTimers).toBe(before + 1);
    c.peer.close();
    await serverClosed(server, c);
    expect(clock.pendingTimers).toBe(before);
  });

  it('refuses a refresh with another user\'s token, a bad token or none, and keeps the old deadline', async () => {
    const me = await connectAs(peers, server, 'Me');
    const other = await guest(server, 'Other');
    for (const headers of [refresh(other.token), refresh(`${me.token}x`), { destination: SESSION_REFRESH }, refresh(await mintHost())]) {
      const { body } = await sendRefused(me.peer, 'SEND', headers, '');
      expect((body as { code: string }).code).toBe('UNAUTHORIZED');
    }
    clock.advance(TTL_S * 1000 + 1000);
    await expectErrorThenClose(me.peer, 'TOKEN_EXPIRED');
  });

  it('expires a host user\'s connection at the host token\'s exp, and a new host token for the same sub extends it', async () => {
    const nowS = (): number => Math.floor(clock.now() / 1000);
    const first = await mintHost({ sub: 'frank', nowMs: clock.now(), exp: nowS() + 30 });
    const frank = await connectAs(peers, server, { token: first, user: { id: 'h_frank', nickname: 'Alice' } });
    clock.advance(20_000);
    await sendOk(frank.peer, 'SEND', refresh(await mintHost({ sub: 'frank', nowMs: clock.now(), exp: nowS() + 30 })), '');
    const notFrank = await mintHost({ sub: 'george', nowMs: clock.now(), exp: nowS() + 300 });
    expect(((await sendRefused(frank.peer, 'SEND', refresh(notFrank), '')).body as { code: string }).code).toBe('UNAUTHORIZED');
    clock.advance(20_000);
    await flush(frank.peer);
    clock.advance(11_000);
    await expectErrorThenClose(frank.peer, 'TOKEN_EXPIRED');
  });

  it('keeps an SDK client with a tokenProvider connected past its first token\'s exp', async () => {
    let minted = 0;
    const tokenProvider = async (): Promise<string> => {
      const token = await mintHost({ sub: 'hana', claims: { name: 'Hana', roles: ['admin'] }, nowMs: clock.now(), exp: Math.floor(clock.now() / 1000) + 300 });
      // Counted once handed over: the SDK sends it on the connection in the same turn.
      minted++;
      return token;
    };
    const client = new ChatClient({ url: server.url, tokenProvider, WebSocket, clock, heartbeatMs: 0, transport: 'websocket' });
    const states: ConnectionState[] = [];
    client.on('stateChanged', (s) => states.push(s));
    try {
      await client.connect();
      expect(client.user).toMatchObject({ id: 'h_hana', nickname: 'Hana', admin: true });
      const room = await createRoom(server, await tokenProvider());
      const handle = await client.join(room.id);
      const firstMinted = minted;
      // The SDK renews 60 s before exp; the renewed token goes to the open connection.
      clock.advance(241_000);
      await waitFor(() => minted > firstMinted, 'the SDK asked for a new token');
      // A message on the same connection is handled after the refresh SEND the SDK sent before it.
      await handle.send('after renewal');
      clock.advance(60_000); // past the first token's exp
      await handle.send('past the first exp');
      expect((await history(server, await tokenProvider(), room.id)).messages.map((m) => m.text)).toEqual(expect.arrayContaining(['after renewal', 'past the first exp']));
      expect(states).toEqual(['connecting', 'connected']);
    } finally {
      await client.disconnect();
    }
  });
});

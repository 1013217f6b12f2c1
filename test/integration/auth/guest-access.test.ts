import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../helpers/databases.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';
import { connectAs, createRoom, expectErrorThenClose, Peers } from '../stomp/support.js';
import { HOST_ENV, mintHost } from './support.js';

type ErrorBody = { error: { code: string } };

/** Issue 10: GUEST_ACCESS=false leaves only the site's users; DEMO gates the demo host app. */
describe.each(databaseBackends())('guest access and the demo host app on $name', (db) => {
  const peers = new Peers();
  let open: TestServer;
  let closed: TestServer;
  beforeAll(async () => {
    // Same AUTH_SECRET (the test helper's): a guest token from `open` is well signed for `closed` too.
    open = await startTestServer({ db, env: HOST_ENV });
    closed = await startTestServer({ db, env: { ...HOST_ENV, GUEST_ACCESS: 'false', DEMO: 'false' } });
  });
  afterEach(() => peers.closeAll());
  afterAll(async () => {
    await open?.stop();
    await closed?.stop();
  });

  it('answers POST /api/session with 403 GUESTS_DISABLED and refuses guest tokens already issued', async () => {
    const res = await api<ErrorBody>(closed, 'POST', '/api/session', undefined, { nickname: 'Guest' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('GUESTS_DISABLED');
    const earlier = await guest(open, 'Earlier guest');
    const rest = await api<ErrorBody>(closed, 'POST', '/api/rooms', earlier.token, { name: 'nope' });
    expect(rest.status).toBe(401);
    expect(rest.body.error.code).toBe('UNAUTHORIZED');
    const peer = await peers.ws(closed);
    peer.send('CONNECT', { 'accept-version': '1.2', host: 'localhost', Authorization: `Bearer ${earlier.token}` });
    await expectErrorThenClose(peer, 'AUTH_FAILED');
  });

  it('still lets the site\'s users in without guests', async () => {
    const token = await mintHost({ sub: 'ivy' });
    expect((await createRoom(closed, token)).ownerId).toBe('h_ivy');
    const ivy = await connectAs(peers, closed, { token, user: { id: 'h_ivy', nickname: 'Alice' } });
    expect(ivy.connected.headers.get('user-name')).toBe('h_ivy');
  });

  it('signs demo users while DEMO is on, and neither serves nor trusts them with DEMO=false', async () => {
    const users = await api<{ users: { id: string; admin: boolean }[] }>(open, 'GET', '/demo-host/users');
    expect(users.body.users.filter((u) => u.admin).map((u) => u.id)).toEqual(['demo-ada']);
    const ada = await api<{ token: string }>(open, 'POST', '/demo-host/token', undefined, { user: 'demo-ada' });
    expect(ada.status).toBe(200);
    expect(await open.app.tokens.verify(ada.body.token)).toMatchObject({ id: 'h_demo-ada', admin: true });
    expect((await api<ErrorBody>(open, 'POST', '/demo-host/token', undefined, { user: 'mallory' })).status).toBe(400);

    expect((await api(closed, 'POST', '/demo-host/token', undefined, { user: 'demo-ada' })).status).toBe(404);
    expect((await api(closed, 'GET', '/index.html')).status).toBe(404);
    const rest = await api<ErrorBody>(closed, 'POST', '/api/rooms', ada.body.token, { name: 'demo' });
    expect(rest.status).toBe(401);
  });
});

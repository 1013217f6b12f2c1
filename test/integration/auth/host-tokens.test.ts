import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../helpers/databases.js';
import { api, guest, startTestServer, TEST_SECRET, type TestServer } from '../../helpers/server.js';
import { connectAs, createRoom, expectErrorThenClose, history, joinRoom, Peers, say } from '../stomp/support.js';
import { HOST_ENV, mintHost } from './support.js';

type ErrorBody = { error: { code: string } };

/** Issue 10: tokens the embedding site signs for its own users (AUTH_JWT_SECRET, HS256). */
describe.each(databaseBackends())('host tokens on $name', (db) => {
  const peers = new Peers();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ db, env: HOST_ENV });
  });
  afterEach(() => peers.closeAll());
  afterAll(async () => {
    await server?.stop();
  });

  it('lets a site user in over REST and STOMP as h_<sub> with the token\'s name', async () => {
    const token = await mintHost({ sub: 'alice', claims: { name: 'Alice Liddell' } });
    const room = await createRoom(server, token, { name: 'host room' });
    expect(room.ownerId).toBe('h_alice');
    const alice = await connectAs(peers, server, { token, user: { id: 'h_alice', nickname: 'Alice Liddell' } });
    expect(alice.connected.headers.get('user-name')).toBe('h_alice');
    await joinRoom(alice, room.id);
    await say(alice, room.id, 'hello from the site');
    const said = (await history(server, token, room.id)).messages.find((m) => m.text === 'hello from the site');
    expect(said?.sender).toMatchObject({ id: 'h_alice', nickname: 'Alice Liddell' });
  });

  it('takes a sub of 64 characters, whose h_ id (66) is stored as owner, member, moderator and sender', async () => {
    const sub = `${'s'.repeat(60)}@x.y`;
    const token = await mintHost({ sub, claims: { name: 'Long Sub' } });
    const id = `h_${sub}`;
    const ownerToken = await mintHost({ sub: 'long-owner', claims: { name: 'Owner' } });
    const room = await createRoom(server, ownerToken, { name: 'long ids', password: 'pw' });
    const moderated = await api<{ moderatorIds: string[] }>(server, 'PUT', `/api/rooms/${room.id}/moderators/${id}`, ownerToken);
    expect(moderated.status).toBe(200);
    expect(moderated.body.moderatorIds).toEqual([id]);
    const user = await connectAs(peers, server, { token, user: { id, nickname: 'Long Sub' } });
    await joinRoom(user, room.id, 'pw');
    await say(user, room.id, 'a long id speaks');
    const said = (await history(server, token, room.id)).messages.find((m) => m.text === 'a long id speaks');
    expect(said?.sender.id).toBe(id);
  });

  it('reads admin from roles and keeps only an https picture', async () => {
    const admin = await server.app.tokens.verify(await mintHost({ sub: 'root', claims: { roles: ['editor', 'admin'], picture: 'https://cdn.example/a.png' } }));
    expect(admin).toEqual({ id: 'h_root', nickname: 'Alice', admin: true, picture: 'https://cdn.example/a.png' });
    const plain = await server.app.tokens.verify(await mintHost({ sub: 'bob', claims: { roles: ['editor'], picture: 'javascript:alert(1)' } }));
    expect(plain).toEqual({ id: 'h_bob', nickname: 'Alice' });
    const insecure = await server.app.tokens.verify(await mintHost({ sub: 'carol', claims: { picture: 'http://cdn.example/c.png' } }));
    expect(insecure.picture).toBeUndefined();
  });

  const nowS = (): number => Math.floor(Date.now() / 1000);
  const refused: [string, string, string, () => Promise<string>][] = [
    ['a wrong issuer', 'UNAUTHORIZED', 'AUTH_FAILED', () => mintHost({ iss: 'https://evil.example' })],
    ['no issuer', 'UNAUTHORIZED', 'AUTH_FAILED', () => mintHost({ iss: null })],
    ['an old guest token\'s shape (nick, no issuer), signed by the site', 'UNAUTHORIZED', 'AUTH_FAILED', () => mintHost({ iss: null, aud: null, claims: { nick: 'Alice' } })],
    ['a wrong audience', 'UNAUTHORIZED', 'AUTH_FAILED', () => mintHost({ aud: 'someone-else' })],
    ['a bad signature', 'UNAUTHORIZED', 'AUTH_FAILED', () => mintHost({ secret: 'another-site-secret-another-site-secret-0000' })],
    ['no exp', 'UNAUTHORIZED', 'AUTH_FAILED', () => mintHost({ exp: null })],
    ['an exp in the past', 'TOKEN_EXPIRED', 'TOKEN_EXPIRED', () => mintHost({ exp: nowS() - 60 })],
    ['the guest key (Parley\'s own secret)', 'UNAUTHORIZED', 'AUTH_FAILED', () => mintHost({ secret: TEST_SECRET })],
    ['the guest issuer, signed by the site', 'UNAUTHORIZED', 'AUTH_FAILED', () => mintHost({ iss: 'parley-guest', claims: { nick: 'Alice' } })],
    ['a sub with a slash', 'UNAUTHORIZED', 'AUTH_FAILED', () => mintHost({ sub: 'a/b' })],
    ['a sub of 65 characters', 'UNAUTHORIZED', 'AUTH_FAILED', () => mintHost({ sub: 'x'.repeat(65) })],
    ['no sub', 'UNAUTHORIZED', 'AUTH_FAILED', () => mintHost({ sub: null })],
    ['an invisible name', 'UNAUTHORIZED', 'AUTH_FAILED', () => mintHost({ claims: { name: '\u200b' } })],
    ['roles that are not a list', 'UNAUTHORIZED', 'AUTH_FAILED', () => mintHost({ claims: { roles: 'admin' } })],
  ];

  it.each(refused)('refuses a host token with %s: REST %s, CONNECT ERROR %s then close', async (_what, restCode, stompCode, mint) => {
    const token = await mint();
    const rest = await api<ErrorBody>(server, 'POST', '/api/rooms', token, { name: 'nope' });
    expect(rest.status).toBe(401);
    expect(rest.body.error.code).toBe(restCode);
    const peer = await peers.ws(server);
    peer.send('CONNECT', { 'accept-version': '1.2', host: 'localhost', Authorization: `Bearer ${token}` });
    await expectErrorThenClose(peer, stompCode);
  });

  it('never takes a token signed with the guest key for a host user, even one shaped like a guest token', async () => {
    // Guest-issuer tokens are only checked with the guest key, and their sub must be a guest id.
    const key = new TextEncoder().encode(TEST_SECRET);
    const forged = await new SignJWT({ nick: 'Alice' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('parley-guest').setSubject('h_alice').setExpirationTime('1h').sign(key);
    const rest = await api<ErrorBody>(server, 'POST', '/api/rooms', forged, { name: 'nope' });
    expect(rest.status).toBe(401);
    const peer = await peers.ws(server);
    peer.send('CONNECT', { 'accept-version': '1.2', host: 'localhost', Authorization: `Bearer ${forged}` });
    await expectErrorThenClose(peer, 'AUTH_FAILED');
  });

  it('keeps host and guest ids apart: a site user called u_… is still h_u_…', async () => {
    const mimic = await mintHost({ sub: 'u_guestlike' });
    const room = await createRoom(server, mimic);
    expect(room.ownerId).toBe('h_u_guestlike');
    const g = await guest(server, 'Guest');
    expect(g.user.id).toMatch(/^u_/);
    const guestRoom = await createRoom(server, g.token);
    expect(guestRoom.ownerId).toBe(g.user.id);
  });

  it('renews guest tokens with /api/session/refresh but sends host users back to their site', async () => {
    const g = await guest(server, 'Guest');
    const renewed = await api<{ user: { id: string } }>(server, 'POST', '/api/session/refresh', g.token);
    expect(renewed.status).toBe(200);
    expect(renewed.body.user.id).toBe(g.user.id);
    const host = await api<ErrorBody>(server, 'POST', '/api/session/refresh', await mintHost());
    expect(host.status).toBe(401);
    expect(host.body.error.code).toBe('UNAUTHORIZED');
  });
});

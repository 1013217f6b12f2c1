import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { whileServingOthers } from '../../helpers/bystander.js';
import { api, startTestServer, TEST_SECRET, type TestServer } from '../../helpers/server.js';
import { expectErrorThenClose, Peers } from '../stomp/support.js';

/** Issue 11 item 12: a correctly signed token without `exp` would be valid forever; it is refused. */
describe('tokens without an expiry', () => {
  const peers = new Peers();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterEach(() => peers.closeAll());
  afterAll(async () => {
    await server.stop();
  });

  const key = new TextEncoder().encode(TEST_SECRET);
  const forever = (): Promise<string> => new SignJWT({ nick: 'eve' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('u_eve').setIssuedAt().sign(key);
  const noSubject = (): Promise<string> => new SignJWT({ nick: 'eve' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime('1h').sign(key);

  it.each([
    ['without exp', forever],
    ['without sub', noSubject],
  ])('a token %s gets 401 UNAUTHORIZED over REST', async (_what, mint) => {
    const token = await mint();
    await whileServingOthers(server, async () => {
      const refresh = await api<{ error: { code: string } }>(server, 'POST', '/api/session/refresh', token);
      expect(refresh.status).toBe(401);
      expect(refresh.body.error.code).toBe('UNAUTHORIZED');
      const create = await api<{ error: { code: string } }>(server, 'POST', '/api/rooms', token, { name: 'forever' });
      expect(create.status).toBe(401);
    });
  });

  it('a token without exp gets ERROR AUTH_FAILED on STOMP CONNECT, then close', async () => {
    const token = await forever();
    await whileServingOthers(server, async () => {
      const peer = await peers.ws(server);
      peer.send('CONNECT', { 'accept-version': '1.2', host: 'localhost', Authorization: `Bearer ${token}` });
      await expectErrorThenClose(peer, 'AUTH_FAILED');
      const viaPasscode = await peers.ws(server);
      viaPasscode.send('CONNECT', { 'accept-version': '1.2', host: 'localhost', login: 'x', passcode: token });
      await expectErrorThenClose(viaPasscode, 'AUTH_FAILED');
    });
  });
});

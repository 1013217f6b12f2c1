import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../helpers/databases.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { api, startTestServer, type TestServer } from '../../helpers/server.js';
import { connectAs, createRoom, expectErrorThenClose, Peers } from '../stomp/support.js';
import { AUDIENCE, ISSUER } from './support.js';

interface SiteKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  jwk: JWK;
}

async function siteKey(kid: string, alg: 'RS256' | 'ES256'): Promise<SiteKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** The site's key server: a real HTTP server on port 0 whose key set the test swaps (rotation). */
class KeyServer {
  keys: SiteKey[] = [];
  fetches = 0;
  private readonly http: Server = createServer((_req, res) => {
    this.fetches++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: this.keys.map((k) => k.jwk) }));
  });

  async start(): Promise<string> {
    this.http.listen(0, '127.0.0.1');
    await once(this.http, 'listening');
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.http.close(() => resolve()));
  }
}

/** Issue 10: host tokens verified with the site's published keys (AUTH_JWKS_URL), rotated without a restart. */
describe.each(databaseBackends())('host tokens from a JWKS on $name', (db) => {
  const peers = new Peers();
  const clock = new FakeClock();
  const keyServer = new KeyServer();
  let server: TestServer;
  let k1: SiteKey;
  let k2: SiteKey;

  const sign = (key: SiteKey, sub: string, kid = key.kid): Promise<string> => {
    const nowS = Math.floor(clock.now() / 1000);
    return new SignJWT({ name: sub.toUpperCase() })
      .setProtectedHeader({ alg: key.alg, kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(sub)
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + 3600)
      .sign(key.privateKey);
  };

  beforeAll(async () => {
    [k1, k2] = await Promise.all([siteKey('k1', 'RS256'), siteKey('k2', 'ES256')]);
    keyServer.keys = [k1];
    const url = await keyServer.start();
    server = await startTestServer({ db, clock, env: { AUTH_JWKS_URL: url, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE } });
  });
  afterEach(() => peers.closeAll());
  afterAll(async () => {
    await server?.stop();
    await keyServer.stop();
  });

  it('accepts a token signed with a published key, then one with a key rotated in later, without a restart', async () => {
    const before = await sign(k1, 'dana');
    expect((await createRoom(server, before)).ownerId).toBe('h_dana');
    const dana = await connectAs(peers, server, { token: before, user: { id: 'h_dana', nickname: 'DANA' } });
    expect(dana.connected.headers.get('user-name')).toBe('h_dana');

    // The site rotates: k2 published, k1 withdrawn. Past the cool-down, an unknown kid fetches again.
    keyServer.keys = [k2];
    clock.advance(11_000);
    const after = await sign(k2, 'erin');
    expect((await createRoom(server, after)).ownerId).toBe('h_erin');
    const erin = await connectAs(peers, server, { token: after, user: { id: 'h_erin', nickname: 'ERIN' } });
    expect(erin.connected.headers.get('user-name')).toBe('h_erin');

    // The withdrawn key no longer lets anyone in.
    clock.advance(11_000);
    const withdrawn = await api<{ error: { code: string } }>(server, 'POST', '/api/rooms', await sign(k1, 'dana'), { name: 'old key' });
    expect(withdrawn.status).toBe(401);
    expect(withdrawn.body.error.code).toBe('UNAUTHORIZED');
  });

  it('does not fetch the key set again for every made-up kid', async () => {
    clock.advance(11_000);
    const start = keyServer.fetches;
    for (let i = 0; i < 10; i++) {
      const res = await api(server, 'POST', '/api/rooms', await sign(k2, 'mallory', `made-up-${i}`), { name: 'x' });
      expect(res.status).toBe(401);
    }
    expect(keyServer.fetches - start).toBeLessThanOrEqual(1);
  });

  it('refuses an HS256 token when only the JWKS is configured', async () => {
    const nowS = Math.floor(clock.now() / 1000);
    const hs = await new SignJWT({ name: 'Mallory' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k2' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('mallory')
      .setExpirationTime(nowS + 60)
      .sign(new TextEncoder().encode(JSON.stringify(k2.jwk)));
    expect((await api(server, 'POST', '/api/rooms', hs, { name: 'x' })).status).toBe(401);
    const peer = await peers.ws(server);
    peer.send('CONNECT', { 'accept-version': '1.2', host: 'localhost', Authorization: `Bearer ${hs}` });
    await expectErrorThenClose(peer, 'AUTH_FAILED');
  });
});

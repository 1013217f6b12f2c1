import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostTokenVerifier } from '../../../backend/auth/host-token-verifier.js';
import { FakeClock } from '../../helpers/fake-clock.js';

/** A key server whose behaviour the test switches: answer, or hold the request forever. */
let answer: 'keys' | 'hang' = 'hang';
let keys: unknown = { keys: [] };
const held: ServerResponse[] = [];
const http: Server = createServer((_req: IncomingMessage, res: ServerResponse) => {
  if (answer === 'hang') {
    held.push(res);
    return;
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(keys));
});
let url: string;

beforeAll(async () => {
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/jwks`;
});
afterAll(async () => {
  for (const r of held) r.destroy();
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
});

describe('the JWKS fetch', () => {
  it('gives up on a key server that does not answer, and uses it once it does (after the cool-down)', async () => {
    const clock = new FakeClock();
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    keys = { keys: [{ ...(await exportJWK(publicKey)), kid: 'a', alg: 'ES256' }] };
    const verifier = new HostTokenVerifier({ jwksUrl: url, now: () => clock.now(), jwksTimeoutMs: 200 });
    const nowS = Math.floor(clock.now() / 1000);
    const token = await new SignJWT({ name: 'Kim' }).setProtectedHeader({ alg: 'ES256', kid: 'a' }).setSubject('kim').setExpirationTime(nowS + 600).sign(privateKey);

    // The request is aborted after the timeout, the token refused, and no request piles up.
    answer = 'hang';
    await expect(verifier.verify(token)).rejects.toThrow();
    expect(held.length).toBe(1);

    answer = 'keys';
    await expect(verifier.verify(token)).rejects.toThrow(); // within the cool-down: no new fetch
    clock.advance(10_000);
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'kim' });
  });

  it('uses an injected fetch', async () => {
    const clock = new FakeClock();
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const asked: string[] = [];
    const verifier = new HostTokenVerifier({
      jwksUrl: 'https://keys.example/jwks.json',
      now: () => clock.now(),
      fetchJwks: async (u) => {
        asked.push(u);
        return { keys: [{ ...(await exportJWK(publicKey)), kid: 'r', alg: 'RS256' }] };
      },
    });
    const token = await new SignJWT({ name: 'Lee' }).setProtectedHeader({ alg: 'RS256', kid: 'r' }).setSubject('lee').setExpirationTime(Math.floor(clock.now() / 1000) + 60).sign(privateKey);
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'lee' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'lee' });
    expect(asked).toEqual(['https://keys.example/jwks.json']);
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_TEST_TIMEOUT_MS, runProperty } from '../../helpers/fuzz.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';

const FIELDS = ['name', 'kind', 'maxUsers', 'password', 'nickname', 'text', '__proto__', 'constructor', 'toString'];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'application/vnd.api+json', ''];

/** A request body: JSON values, objects with the routes' own field names, broken text, or raw bytes. */
const body = fc.oneof(
  fc.jsonValue().map((v) => ({ type: 'application/json', bytes: Buffer.from(JSON.stringify(v) ?? 'null') })),
  fc.dictionary(fc.constantFrom(...FIELDS), fc.jsonValue(), { maxKeys: 5 }).map((v) => ({ type: 'application/json', bytes: Buffer.from(JSON.stringify(v)) })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ type: 'application/json', bytes: Buffer.from(s) })),
  fc.tuple(fc.constantFrom(...CONTENT_TYPES), fc.uint8Array({ maxLength: 300 })).map(([type, b]) => ({ type, bytes: Buffer.from(b) })),
);

describe('every REST body route against arbitrary input (fast-check, real server)', () => {
  let server: TestServer;
  let token: string;
  let roomId: number;
  beforeAll(async () => {
    server = await startTestServer();
    token = (await guest(server, 'fuzzer')).token;
    roomId = (await api<{ id: number }>(server, 'POST', '/api/rooms', token, { name: 'fuzz target' })).body.id;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('never answers 500 or crashes; every 4xx is {error:{code,message}}', { timeout: FUZZ_TEST_TIMEOUT_MS * 2 }, async () => {
    const routes = fc.constantFrom(
      { method: 'POST', path: () => '/api/session', auth: false },
      { method: 'POST', path: () => '/api/session/refresh', auth: true },
      { method: 'POST', path: () => '/api/rooms', auth: true },
      { method: 'PATCH', path: () => `/api/rooms/${roomId}`, auth: true },
    );
    const oddPath = fc.string({ maxLength: 12 }).map((id) => ({ method: 'PATCH', path: () => `/api/rooms/${encodeURIComponent(id)}`, auth: true }));
    await runProperty(
      'REST bodies',
      fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: routes }, { weight: 1, arbitrary: oddPath }), body, fc.boolean(), async (route, b, withAuth) => {
        const headers: Record<string, string> = {};
        if (b.type !== '') headers['content-type'] = b.type;
        if (route.auth && withAuth) headers['authorization'] = `Bearer ${token}`;
        const res = await fetch(`${server.url}${route.path()}`, { method: route.method, headers, body: new Blob([new Uint8Array(b.bytes)]) });
        const text = await res.text();
        expect(res.status, text).toBeLessThan(500);
        if (res.status >= 400) {
          const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
          expect(typeof parsed.error?.code, text).toBe('string');
          expect(typeof parsed.error?.message, text).toBe('string');
        }
      }),
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

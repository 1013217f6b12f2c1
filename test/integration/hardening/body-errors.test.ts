import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whileServingOthers } from '../../helpers/bystander.js';
import { guest, startTestServer, type TestServer } from '../../helpers/server.js';

/** Issue 11 item 8: a body the server cannot read is the client's error (4xx with a stable code), never a 500. */
describe('REST bodies the server cannot read', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer();
    token = (await guest(server, 'poster')).token;
  });
  afterAll(async () => {
    await server.stop();
  });

  async function post(path: string, headers: Record<string, string>, body: string | Buffer): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers }, body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]) });
    return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
  }

  const cases: [string, number, string, Record<string, string>, () => string | Buffer][] = [
    ['Content-Encoding: gzip on a plain JSON body', 415, 'UNSUPPORTED_MEDIA_TYPE', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, () => JSON.stringify({ name: 'x' })],
    ['a body that really is gzip', 415, 'UNSUPPORTED_MEDIA_TYPE', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, () => gzipSync(JSON.stringify({ name: 'x' }))],
    ['Content-Encoding: br', 415, 'UNSUPPORTED_MEDIA_TYPE', { 'content-type': 'application/json', 'content-encoding': 'br' }, () => '{}'],
    ['a charset other than UTF-8', 415, 'UNSUPPORTED_MEDIA_TYPE', { 'content-type': 'application/json; charset=latin1' }, () => '{"name":"x"}'],
    ['JSON that does not parse', 400, 'INVALID_BODY', { 'content-type': 'application/json' }, () => '{"name":'],
    ['a body over 64 KiB', 413, 'PAYLOAD_TOO_LARGE', { 'content-type': 'application/json' }, () => JSON.stringify({ name: 'x'.repeat(70_000) })],
  ];

  it.each(cases)('%s → %i %s with {error:{code,message}}', async (_what, status, code, headers, body) => {
    await whileServingOthers(server, async () => {
      for (const path of ['/api/rooms', '/api/session']) {
        const res = await post(path, headers, body());
        expect(res.status, JSON.stringify(res.body)).toBe(status);
        expect(res.body.error?.code).toBe(code);
        expect(typeof res.body.error?.message).toBe('string');
      }
    });
  });

  it('a bad percent-encoding in the path is a 4xx, not a 500', async () => {
    const res = await fetch(`${server.url}/api/rooms/%E0%A4%A`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(typeof body.error.code).toBe('string');
  });

  it('Content-Encoding: identity is read as usual', async () => {
    const res = await post('/api/rooms', { 'content-type': 'application/json', 'content-encoding': 'identity' }, JSON.stringify({ name: 'plain' }));
    expect(res.status).toBe(201);
  });
});

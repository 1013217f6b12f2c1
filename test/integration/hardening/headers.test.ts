import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whileServingOthers } from '../../helpers/bystander.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

const TOKEN = 'metrics-token-0123456789';

/** Issue 11 item 11: security headers everywhere, a strict CSP, and /metrics behind a token. */
describe('response headers and /metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it.each(['/', '/embed.html', '/demo.js', '/widget/chat-room.js', '/api/rooms', '/api/rooms/999', '/healthz', '/no-such-route'])('%s carries nosniff, a strict CSP and no framing', async (path) => {
    const res = await fetch(`${server.url}${path}`);
    await res.arrayBuffer();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('the demo pages have no inline scripts or styles for the CSP to block', async () => {
    for (const page of ['/', '/embed.html']) {
      const html = await (await fetch(`${server.url}${page}`)).text();
      expect(html).not.toMatch(/<style|<script(?![^>]*\ssrc=)|\sstyle=|\son[a-z]+=/i);
    }
  });

  it('/metrics answers 401 without the METRICS_TOKEN bearer and 200 with it', async () => {
    await whileServingOthers(server, async () => {
      for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, TOKEN]) {
        const res = await fetch(`${server.url}/metrics`, { headers: authorization === undefined ? {} : { authorization } });
        expect(res.status).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
      }
      const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('parley_connections');
    });
  });

  it('/metrics stays open when METRICS_TOKEN is unset', async () => {
    const open = await startTestServer();
    try {
      expect((await fetch(`${open.url}/metrics`)).status).toBe(200);
    } finally {
      await open.stop();
    }
  });
});

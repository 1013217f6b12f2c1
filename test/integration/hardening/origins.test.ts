import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { whileServingOthers } from '../../helpers/bystander.js';
import type { TestServer } from '../../helpers/server.js';
import { serverPerTest } from './support.js';

const GOOD = 'https://good.example';
const EVIL = 'https://evil.example';

/** Resolves with the HTTP status of a WebSocket upgrade (101 when it opened). */
function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin });
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (e) => reject(e));
  });
}

const wsBase = (s: TestServer): string => s.url.replace(/^http/, 'ws');

/** Issue 11 item 10: ALLOWED_ORIGINS guards /ws and /sockjs; SockJS CORS follows CORS_ORIGINS. */
describe('origins', () => {
  const { start } = serverPerTest();

  it('with ALLOWED_ORIGINS set, a page from another origin cannot open /ws or use /sockjs', async () => {
    const server = await start({ env: { ALLOWED_ORIGINS: GOOD } });
    await whileServingOthers(server, async () => {
      expect(await upgradeStatus(`${wsBase(server)}/ws`, EVIL)).toBe(403);
      expect(await upgradeStatus(`${wsBase(server)}/sockjs/websocket`, EVIL)).toBe(403);
      expect(await upgradeStatus(`${wsBase(server)}/sockjs/000/abc/websocket`, EVIL)).toBe(403);
      for (const [method, path] of [['GET', '/sockjs/info'], ['POST', '/sockjs/000/abc/xhr'], ['POST', '/sockjs/000/abc/xhr_streaming']] as const) {
        const res = await fetch(`${server.url}${path}`, { method, headers: { origin: EVIL } });
        expect(res.status, path).toBe(403);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ORIGIN_FORBIDDEN');
      }
      // The listed origin and programs (no Origin header) still get in.
      expect(await upgradeStatus(`${wsBase(server)}/ws`, GOOD)).toBe(101);
      expect(await upgradeStatus(`${wsBase(server)}/sockjs/websocket`, GOOD)).toBe(101);
      expect(await upgradeStatus(`${wsBase(server)}/ws`)).toBe(101);
      expect((await fetch(`${server.url}/sockjs/info`, { headers: { origin: GOOD } })).status).toBe(200);
    });
  });

  it('without ALLOWED_ORIGINS any origin may connect, as before', async () => {
    const server = await start();
    expect(await upgradeStatus(`${wsBase(server)}/ws`, EVIL)).toBe(101);
    expect((await fetch(`${server.url}/sockjs/info`, { headers: { origin: EVIL } })).status).toBe(200);
  });

  it("SockJS's CORS headers follow CORS_ORIGINS: no reflected origin or credentials for others", async () => {
    const server = await start({ env: { CORS_ORIGINS: GOOD } });
    await whileServingOthers(server, async () => {
      const evil = await fetch(`${server.url}/sockjs/info`, { headers: { origin: EVIL } });
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();
      expect(evil.headers.get('access-control-allow-credentials')).toBeNull();
      const preflight = await fetch(`${server.url}/sockjs/000/abc/xhr_send`, { method: 'OPTIONS', headers: { origin: EVIL, 'access-control-request-method': 'POST' } });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      const good = await fetch(`${server.url}/sockjs/info`, { headers: { origin: GOOD } });
      expect(good.headers.get('access-control-allow-origin')).toBe(GOOD);
      expect(good.headers.get('x-content-type-options')).toBe('nosniff');
    });
  });
});

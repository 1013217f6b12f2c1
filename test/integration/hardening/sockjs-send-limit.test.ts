import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { whileServingOthers } from '../../helpers/bystander.js';
import { guest } from '../../helpers/server.js';
import { RawSockJsXhr, streamUpload } from '../../helpers/sockjs-raw.js';
import { serverPerTest } from './support.js';

const LIMIT = 1_048_576; // max(4 × MAX_FRAME_BYTES, 1 MiB) with the default 64 KiB frames
const ATTACK = 8 * 1024 * 1024;

/** Issue 11 item 1: SockJS send bodies are bounded and refused before they are read. */
describe('SockJS xhr_send bodies', () => {
  const { start } = serverPerTest();

  it('a declared length over the limit gets 413 before one body byte is sent, known session or not', async () => {
    const server = await start();
    const known = await RawSockJsXhr.open(server.url);
    await whileServingOthers(server, async () => {
      for (const url of [known.url('xhr_send'), `${server.url}/sockjs/000/nobody/xhr_send`]) {
        const res = await streamUpload(url, { totalBytes: ATTACK, declareLength: true, graceMs: 2000 });
        expect(res.status).toBe(413);
        expect(res.written).toBe(0);
        expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
      }
    });
  });

  it('a send to an unknown session is refused at once, without reading the body', async () => {
    const server = await start();
    await whileServingOthers(server, async () => {
      const res = await streamUpload(`${server.url}/sockjs/000/nobody/xhr_send`, { totalBytes: 512 * 1024, declareLength: true, graceMs: 2000 });
      expect(res.status).toBe(404);
      expect(res.written).toBe(0);
    });
  });

  it('a streamed body with no length is cut off at the limit with 413', async () => {
    const server = await start();
    const known = await RawSockJsXhr.open(server.url);
    await whileServingOthers(server, async () => {
      const res = await streamUpload(known.url('xhr_send'), { totalBytes: ATTACK });
      expect(res.status).toBe(413);
      expect(res.written).toBeLessThan(ATTACK);
    });
  });

  it('a body within the limit still carries STOMP frames', async () => {
    const server = await start();
    const { token } = await guest(server, 'sockjs');
    const sock = await RawSockJsXhr.open(server.url);
    expect(await sock.send(`CONNECT\naccept-version:1.2\nhost:x\nAuthorization:Bearer ${token}\n\n\0`)).toBe(204);
    const answers = await sock.poll();
    expect(answers.join('')).toMatch(/^CONNECTED\n/);
  });

  it('a SockJS WebSocket message over the limit closes that socket', async () => {
    const server = await start();
    await whileServingOthers(server, async () => {
      const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/sockjs/websocket`);
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.on('error', () => undefined);
      ws.send('a'.repeat(LIMIT + 1024));
      expect(await closed).not.toBe(1000);
    });
  });
});

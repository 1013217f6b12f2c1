import { connect as netConnect } from 'node:net';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { whileServingOthers } from '../../helpers/bystander.js';
import { RawStomp } from '../../helpers/raw-stomp.js';
import { guest, type TestServer } from '../../helpers/server.js';
import { RawSockJsXhr } from '../../helpers/sockjs-raw.js';
import { eventually } from '../stomp/support.js';
import { serverPerTest } from './support.js';

const SLOW = 1_048_576;
const BODY = 'x'.repeat(6 * 1024);
const MAX_MESSAGES = 4000; // 24 MB at most, whatever the socket buffers absorb first

/** A subscriber that can stop reading. */
interface Reader {
  send(text: string): void;
  /** Resolves when the text has been received (before pausing). */
  waitFor(text: string): Promise<void>;
  pause(): void;
}

const CONNECT = (token: string): string => `CONNECT\naccept-version:1.2\nhost:x\nheart-beat:0,0\nAuthorization:Bearer ${token}\n\n\0SUBSCRIBE\nid:f\ndestination:/topic/flood\nreceipt:ready\n\n\0`;

function textReader(onText: (fn: (t: string) => void) => void): { received: () => string; waitFor: (t: string) => Promise<void> } {
  let text = '';
  onText((t) => (text += t));
  return {
    received: () => text,
    waitFor: async (t) => {
      await eventually(async () => text.includes(t), (ok) => ok, 5000, 10);
      if (!text.includes(t)) throw new Error(`never received ${JSON.stringify(t)}; got ${JSON.stringify(text.slice(0, 200))}`);
    },
  };
}

async function wsReader(url: string, protocols?: string[]): Promise<Reader> {
  const ws = new WebSocket(url, protocols);
  ws.on('error', () => undefined);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const r = textReader((push) => ws.on('message', (d: Buffer) => push(d.toString())));
  return { send: (t) => ws.send(t), waitFor: r.waitFor, pause: () => ws.pause() };
}

const transports: Record<string, (server: TestServer) => Promise<Reader>> = {
  WebSocket: (s) => wsReader(`${s.url.replace(/^http/, 'ws')}/ws`, ['v12.stomp']),
  'SockJS raw WebSocket': (s) => wsReader(`${s.url.replace(/^http/, 'ws')}/sockjs/websocket`),
  TCP: async (s) => {
    const socket = netConnect(s.tcpPort!, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    const r = textReader((push) => socket.on('data', (d) => push(d.toString())));
    return { send: (t) => socket.write(t), waitFor: r.waitFor, pause: () => socket.pause() };
  },
  'SockJS XHR polling (stops polling)': async (s) => {
    const x = await RawSockJsXhr.open(s.url);
    let seen = '';
    return {
      send: (t) => void x.send(t),
      waitFor: async (t) => {
        const deadline = Date.now() + 5000;
        while (!seen.includes(t) && Date.now() < deadline) seen += (await x.poll()).join('');
        if (!seen.includes(t)) throw new Error(`never received ${t}`);
      },
      pause: () => undefined,
    };
  },
};

async function slowConsumerCount(server: TestServer): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/parley_errors_total\{code="SLOW_CONSUMER"\} (\d+)/.exec(text)?.[1] ?? 0);
}

/** Issue 11 item 2: SLOW_CONSUMER_BYTES applies to every transport. */
describe('a subscriber that stops reading', () => {
  const { peers, start } = serverPerTest();

  it.each(Object.keys(transports))('over %s is closed with SLOW_CONSUMER while a publisher floods its topic', async (name) => {
    const server = await start({ env: { SLOW_CONSUMER_BYTES: String(SLOW), STOMP_TCP_PORT: '0' } });
    const { token } = await guest(server, 'sleepy');
    const reader = await transports[name]!(server);
    reader.send(CONNECT(token));
    await reader.waitFor('receipt-id:ready');
    reader.pause();
    const publisher = peers.track(await RawStomp.ws(`${server.url.replace(/^http/, 'ws')}/ws`));
    expect((await publisher.connect((await guest(server, 'flood')).token)).command).toBe('CONNECTED');
    const sent = await whileServingOthers(server, async () => {
      let n = 0;
      while (n < MAX_MESSAGES && (await slowConsumerCount(server)) === 0) {
        for (let i = 0; i < 50; i++, n++) publisher.send('SEND', { destination: '/topic/flood', ...(i === 49 ? { receipt: `b${n}` } : {}) }, BODY);
        await publisher.receipt(`b${n - 1}`);
      }
      return n;
    });
    expect(await slowConsumerCount(server), `flooded ${sent} messages`).toBe(1);
    expect(sent).toBeLessThan(MAX_MESSAGES);
    // The publisher is unaffected.
    expect(publisher.closed).toBe(false);
  });
});

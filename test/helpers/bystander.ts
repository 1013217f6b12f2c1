import { expect } from 'vitest';
import { RawStomp } from './raw-stomp.js';
import { api, guest, type TestServer } from './server.js';

/** What the bystander saw while an attack ran. */
export interface BystanderReport {
  healthChecks: number;
  slowestHealthMs: number;
  chats: number;
  slowestChatMs: number;
  problems: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `attack` while an honest user keeps using the server: `/healthz` must answer within
 * `healthMs` (200 ms; two late answers in a row fail) and a chat message must come back on the
 * room topic within `chatMs` every 300 ms. Fails the test when either misses; returns what the attack returned.
 */
export async function whileServingOthers<T>(server: TestServer, attack: () => Promise<T>, options: { healthMs?: number; chatMs?: number } = {}): Promise<T> {
  const healthMs = options.healthMs ?? 200;
  const chatMs = options.chatMs ?? 2000;
  const me = await guest(server, 'bystander');
  const room = await api<{ id: number }>(server, 'POST', '/api/rooms', me.token, { name: 'bystanders' });
  const peer = await RawStomp.ws(`${server.url.replace(/^http/, 'ws')}/ws`);
  const connected = await peer.connect(me.token);
  expect(connected.command).toBe('CONNECTED');
  peer.send('SEND', { destination: `/app/rooms/${room.body.id}/join`, receipt: 'join' }, '');
  await peer.receipt('join');
  peer.send('SUBSCRIBE', { id: 'room', destination: `/topic/rooms/${room.body.id}`, receipt: 'sub' });
  await peer.receipt('sub');

  const report: BystanderReport = { healthChecks: 0, slowestHealthMs: 0, chats: 0, slowestChatMs: 0, problems: [] };
  let stop = false;
  let lastChat = -Infinity;
  let lateBefore = '';
  const loop = (async () => {
    for (let round = 0; !stop; round++) {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/healthz`).catch((e: unknown) => e as Error);
      const healthTook = performance.now() - t0;
      report.healthChecks++;
      report.slowestHealthMs = Math.max(report.slowestHealthMs, healthTook);
      if (res instanceof Error || res.status !== 200) report.problems.push(`healthz failed: ${res instanceof Error ? res.message : res.status}`);
      else await res.arrayBuffer();
      // Two slow answers in a row fail: a starved server misses every time, while one late answer
      // can be a GC pause or the scheduler of a shared machine.
      if (healthTook > healthMs) {
        if (lateBefore) report.problems.push(`healthz took ${lateBefore} ms, then ${healthTook.toFixed(0)} ms`);
        lateBefore = healthTook.toFixed(0);
        continue;
      }
      lateBefore = '';
      // A few chats a second: under the default rate limit, so only the attack can be refused.
      if (performance.now() - lastChat >= 300) {
        lastChat = performance.now();
        const text = `still here ${round}`;
        const t1 = performance.now();
        peer.send('SEND', { destination: `/app/rooms/${room.body.id}/messages`, receipt: `c${round}` }, JSON.stringify({ text }));
        try {
          await peer.next((f) => f.command === 'MESSAGE' && f.headers.get('x-type') === 'message' && f.body.toString().includes(text), chatMs);
          await peer.receipt(`c${round}`, chatMs);
          report.chats++;
          report.slowestChatMs = Math.max(report.slowestChatMs, performance.now() - t1);
        } catch (e: unknown) {
          report.problems.push(`chat ${round}: ${e instanceof Error ? e.message : String(e)}`);
          if (peer.closed) return;
        }
      }
      await sleep(25);
    }
  })();
  try {
    return await attack();
  } finally {
    stop = true;
    await loop;
    peer.close();
    expect(report.problems, JSON.stringify(report)).toEqual([]);
    expect(report.healthChecks).toBeGreaterThan(0);
    expect(report.chats).toBeGreaterThan(0);
  }
}

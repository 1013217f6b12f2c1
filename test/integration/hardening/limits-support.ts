import { expect } from 'vitest';
import { RawStomp } from '../../helpers/raw-stomp.js';
import type { TestServer } from '../../helpers/server.js';

/** A connected peer with `/user/queue/errors` subscribed; `from` plays a client address behind a trusted proxy. */
export async function peer(server: TestServer, token: string, from?: string): Promise<RawStomp> {
  const p = await RawStomp.ws(`${server.url.replace(/^http/, 'ws')}/ws`, ['v12.stomp'], from === undefined ? undefined : { 'x-forwarded-for': from });
  expect((await p.connect(token)).command).toBe('CONNECTED');
  p.send('SUBSCRIBE', { id: 'errors', destination: '/user/queue/errors', receipt: 'errors' });
  await p.receipt('errors');
  return p;
}

/** What became of the frame with `receipt`: 'ok', or the refusal's code (with its retry-after-ms). */
export async function outcome(p: RawStomp, receipt: string): Promise<{ code: string; retryAfterMs?: number }> {
  const f = await p.next((x) => x.headers.get('receipt-id') === receipt && (x.command === 'RECEIPT' || x.headers.get('subscription') === 'errors'));
  if (f.command === 'RECEIPT') return { code: 'ok' };
  const retry = f.headers.get('retry-after-ms');
  const body = JSON.parse(f.body.toString()) as { code: string; retryAfterMs?: number };
  expect(body.code).toBe(f.headers.get('x-error-code'));
  if (retry !== undefined) expect(body.retryAfterMs).toBe(Number(retry));
  return retry === undefined ? { code: body.code } : { code: body.code, retryAfterMs: Number(retry) };
}

/**
 * Sends `n` frames built by `frame(i)` with receipts `${tag}${i}`, 50 in flight at a time (the
 * attacker shares this process with the server and the bystander), and tallies the outcomes by code.
 */
export async function burst(p: RawStomp, n: number, tag: string, frame: (i: number) => { destination: string; body: string }): Promise<Record<string, number>> {
  const tally: Record<string, number> = {};
  for (let start = 0; start < n; start += 50) {
    const end = Math.min(n, start + 50);
    for (let i = start; i < end; i++) {
      const f = frame(i);
      p.send('SEND', { destination: f.destination, receipt: `${tag}${i}` }, f.body);
    }
    for (let i = start; i < end; i++) {
      const { code } = await outcome(p, `${tag}${i}`);
      tally[code] = (tally[code] ?? 0) + 1;
    }
  }
  return tally;
}

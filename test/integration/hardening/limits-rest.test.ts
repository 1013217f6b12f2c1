import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whileServingOthers } from '../../helpers/bystander.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { guest, startTestServer, type TestServer } from '../../helpers/server.js';

async function post(server: TestServer, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Runs the requests 5 at a time (the attacker shares this process with the server and its bystander). */
async function tally(requests: (() => Promise<Response>)[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const all: Response[] = [];
  for (let i = 0; i < requests.length; i += 5) all.push(...(await Promise.all(requests.slice(i, i + 5).map((r) => r()))));
  for (const res of all) {
    const key = res.status === 429 ? `429 ${((await res.json()) as { error: { code: string } }).error.code} retry-after ${res.headers.get('retry-after')}` : String(res.status);
    if (res.status !== 429) await res.arrayBuffer();
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

describe('REST limits per client address and per user', () => {
  let server: TestServer;
  const clock = new FakeClock();
  beforeAll(async () => {
    // One trusted proxy hop (the test itself), so X-Forwarded-For names the attacker.
    server = await startTestServer({
      clock,
      env: { TRUST_PROXY: '1', SESSION_ADDRESS_PER_MIN: '30', SESSION_ADDRESS_BURST: '30', ROOM_CREATE_USER_PER_MIN: '6', ROOM_CREATE_USER_BURST: '10', ROOM_CREATE_ADDRESS_PER_MIN: '20', ROOM_CREATE_ADDRESS_BURST: '30' },
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('120 guest tokens from one address (the report saw 300 in 0.9 s): the burst gets them, the rest 429 RATE_LIMITED with Retry-After; other addresses are untouched', async () => {
    await whileServingOthers(server, async () => {
      const from = { 'x-forwarded-for': '203.0.113.10' };
      const results = await tally(Array.from({ length: 120 }, (_, i) => () => post(server, '/api/session', { nickname: `g${i}` }, from)));
      // 30 a minute: the next token is 2 s away on the frozen clock.
      expect(results).toEqual({ 201: 30, '429 RATE_LIMITED retry-after 2': 90 });
      expect((await post(server, '/api/session', { nickname: 'other' }, { 'x-forwarded-for': '203.0.113.11' })).status).toBe(201);
      clock.advance(2000);
      expect((await post(server, '/api/session', { nickname: 'later' }, from)).status).toBe(201);
      expect((await post(server, '/api/session', { nickname: 'again' }, from)).status).toBe(429);
    });
  });

  it('300 rooms from one token: 10 created, then 429; minting users from one address stops at the address burst', async () => {
    await whileServingOthers(server, async () => {
      const from = { 'x-forwarded-for': '198.51.100.20' };
      const g = (await (await post(server, '/api/session', { nickname: 'builder' }, from)).json()) as { token: string };
      const auth = { ...from, authorization: `Bearer ${g.token}` };
      const one = await tally(Array.from({ length: 300 }, (_, i) => () => post(server, '/api/rooms', { name: `r${i}` }, auth)));
      expect(one).toEqual({ 201: 10, '429 RATE_LIMITED retry-after 10': 290 });
      // Twenty more users from the same address: 20 more rooms fill the address's burst of 30.
      const users = await Promise.all(Array.from({ length: 20 }, async (_, i) => ((await (await post(server, '/api/session', { nickname: `m${i}` }, from)).json()) as { token: string }).token));
      const many = await tally(users.flatMap((t) => [0, 1].map((i) => () => post(server, '/api/rooms', { name: `m${i}` }, { ...from, authorization: `Bearer ${t}` }))));
      expect(many['201']).toBe(20);
      expect(many['429 RATE_LIMITED retry-after 3']).toBe(20);
    });
  });

  it('believes X-Forwarded-For only as far as TRUST_PROXY says', async () => {
    const strict = await startTestServer({ env: { SESSION_ADDRESS_PER_MIN: '30', SESSION_ADDRESS_BURST: '3' } });
    try {
      // Not trusted: every forged address is still the socket's, 127.0.0.1.
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await post(strict, '/api/session', { nickname: 'x' }, { 'x-forwarded-for': `192.0.2.${i}` })).status);
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
    } finally {
      await strict.stop();
    }
    await guest(server, 'still-fine');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { turnCredentials } from '../../../backend/ice/turn-credentials.js';
import { api, guest, startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { startTurnServer } from '../../helpers/turn.js';
import type { TurnServer } from '../../helpers/turn.js';
import { launchMediaBrowser } from './support/chromium.js';
import { startPageServer } from './support/page-server.js';
import type { PageServer } from './support/page-server.js';
import { framesRising, joinToFirstFrame, openParticipant, until } from './support/participants.js';
import type { Participant } from './support/participants.js';

// coturn on 127.0.0.1 with `use-auth-secret`; the backend hands out credentials for it from
// GET /api/ice-servers; the pages force `iceTransportPolicy: 'relay'`, so media can only flow
// through coturn.
let turn: TurnServer;
let server: TestServer;
let wrongServer: TestServer;
let pages: PageServer;
let browser: Browser;
const opened: Participant[] = [];

async function videoRoom(on: TestServer, name: string): Promise<number> {
  const owner = await guest(on, 'owner');
  return (await api<{ id: number }>(on, 'POST', '/api/rooms', owner.token, { name, kind: 'video' })).body.id;
}

async function participant(on: TestServer, nickname: string, roomId: number): Promise<Participant> {
  const p = await openParticipant(browser, pages, on, nickname, roomId);
  opened.push(p);
  return p;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

beforeAll(async () => {
  turn = await startTurnServer({ secret: 'coturn-shared-secret' });
  const env = { TURN_URLS: turn.urls.join(','), STUN_URLS: '', TURN_TTL: '600' };
  [server, wrongServer, pages, browser] = await Promise.all([
    startTestServer({ env: { ...env, TURN_SECRET: turn.secret } }),
    // Same coturn, but this backend signs with a secret coturn does not know.
    startTestServer({ env: { ...env, TURN_SECRET: 'not-the-coturn-secret' } }),
    startPageServer(),
    launchMediaBrowser(),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(opened.map((p) => p.close()));
  await browser?.close();
  await Promise.allSettled([pages?.stop(), server?.stop(), wrongServer?.stop(), turn?.stop()]);
});

/** Watches two relay-only participants for `ms`: neither may connect nor decode anything. */
async function expectNoConnection(a: Participant, b: Participant, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    for (const p of [a, b]) {
      for (const s of await p.stats()) {
        expect(s.connectionState, `${p.nickname}→${s.nickname}`).not.toBe('connected');
        expect(s.framesDecoded).toBe(0);
      }
    }
    await sleep(250);
  }
}

describe('calls through coturn (iceTransportPolicy relay)', () => {
  it('three participants connect only through the relay, with credentials from GET /api/ice-servers, and video flows', async () => {
    const roomId = await videoRoom(server, 'relayed');
    const names = ['Hana', 'Luis', 'Mei'];
    const people = await Promise.all(names.map((n) => participant(server, n, roomId)));
    for (const p of people) expect((await p.start({ policy: 'relay' })).state).toBe('joined');
    for (const p of people) {
      const others = names.filter((n) => n !== p.nickname);
      const rising = await framesRising(p, others, 45_000);
      for (const n of others) expect(rising[n], `${p.nickname} decodes ${n} through the relay`).toBeGreaterThan(0);
      for (const s of await p.stats()) {
        expect(s.localCandidateType, `${p.nickname}→${s.nickname} local candidate`).toBe('relay');
        expect(s.remoteCandidateType, `${p.nickname}→${s.nickname} remote candidate`).toBe('relay');
      }
    }
    // coturn accepted allocations for the usernames our backend issued (`<expiry>:<userId>`).
    expect(turn.output()).toMatch(/user <\d{10}:u_[^>]+>: incoming packet ALLOCATE processed, success/);
    const t = await joinToFirstFrame(people);
    expect(t.pairs).toHaveLength(6);
    console.log(`[video] join → first decoded frame, relayed via coturn (3-way mesh): median ${t.medianMs} ms, max ${t.maxMs} ms (join() resolved: median ${t.joinMedianMs} ms; peer connected: median ${t.connectedMedianMs} ms); ${t.pairs.map((p) => `${p.viewer}←${p.sender} ${p.ms}`).join(', ')}`);
    await Promise.all(people.map((p) => p.close()));
  }, 120_000);

  it('a wrong TURN credential does not connect (coturn answers 401)', async () => {
    const roomId = await videoRoom(wrongServer, 'wrong-secret');
    const [a, b] = await Promise.all([participant(wrongServer, 'Wrong1', roomId), participant(wrongServer, 'Wrong2', roomId)]);
    await a.start({ policy: 'relay' });
    await b.start({ policy: 'relay' });
    await until(async () => (await a.diagnostics()).iceErrors.some((e) => e.code === 401), 'a 401 from coturn', 15_000);
    await expectNoConnection(a, b, 6_000);
    await Promise.all([a.close(), b.close()]);
  }, 60_000);

  it('an expired TURN credential does not connect', async () => {
    const roomId = await videoRoom(server, 'expired');
    // Signed with the right secret, but it expired an hour ago.
    const expired = turnCredentials(turn.secret, 'u_expired', Date.now() - 2 * 3600_000, 3600);
    const iceOverride = { ttl: 3600, iceServers: [{ urls: turn.urls, username: expired.username, credential: expired.credential }] };
    const [a, b] = await Promise.all([participant(server, 'Old1', roomId), participant(server, 'Old2', roomId)]);
    await a.start({ policy: 'relay', iceOverride });
    await b.start({ policy: 'relay', iceOverride });
    await until(async () => (await a.diagnostics()).iceErrors.some((e) => e.code === 401), 'a 401 from coturn', 15_000);
    await expectNoConnection(a, b, 6_000);
    await Promise.all([a.close(), b.close()]);
  }, 60_000);
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { whileServingOthers } from '../../helpers/bystander.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';
import { burst, outcome, peer } from './limits-support.js';

const join = (roomId: number, password?: string) => ({ destination: `/app/rooms/${roomId}/join`, body: password === undefined ? '' : JSON.stringify({ password }) });

describe('STOMP limits per user, per room and per client address', () => {
  let server: TestServer;
  const clock = new FakeClock();
  beforeAll(async () => {
    server = await startTestServer({
      clock,
      env: {
        TRUST_PROXY: '1',
        // The per-user chat bucket is off here (room-rules tests it): each fresh guest has a full one
        // anyway, which is the dodge the address bucket closes; and the bystanders chat for whole tests.
        RATE_LIMIT_PER_S: '0',
        CHAT_ADDRESS_PER_S: '20',
        CHAT_ADDRESS_BURST: '60',
        JOIN_USER_PER_MIN: '120',
        JOIN_USER_BURST: '40',
        TYPING_MIN_INTERVAL_MS: '1000',
        OPEN_SEND_PER_S: '10',
        OPEN_SEND_BURST: '50',
        PASSWORD_TRIES: '5',
        PASSWORD_TRY_EVERY_S: '60',
        PASSWORD_ADDRESS_TRIES: '20',
        PASSWORD_ADDRESS_TRY_EVERY_S: '30',
      },
    });
  });
  afterAll(async () => {
    await server.stop();
  });
  // A minute of server time between tests refills every bucket, the bystanders' (127.0.0.1) included.
  beforeEach(() => clock.advance(60_000));

  const room = async (token: string, body: Record<string, unknown> = {}): Promise<number> => (await api<{ id: number }>(server, 'POST', '/api/rooms', token, { name: 'r', ...body })).body.id;

  it('10 fresh guests × 20 messages from one address: the address bucket (60) stops what the per-user buckets would let through', async () => {
    const owner = await guest(server, 'owner');
    const roomId = await room(owner.token);
    await whileServingOthers(server, async () => {
      const peers = await Promise.all(Array.from({ length: 10 }, async (_, i) => peer(server, (await guest(server, `m${i}`)).token, '203.0.113.50')));
      for (const p of peers) expect(await burst(p, 1, 'j', () => join(roomId))).toEqual({ ok: 1 });
      const tallies = await Promise.all(peers.map((p) => burst(p, 20, 'm', (i) => ({ destination: `/app/rooms/${roomId}/messages`, body: JSON.stringify({ text: `spam ${i}` }) }))));
      const ok = tallies.reduce((n, t) => n + (t['ok'] ?? 0), 0);
      const limited = tallies.reduce((n, t) => n + (t['RATE_LIMITED'] ?? 0), 0);
      expect({ ok, limited }).toEqual({ ok: 60, limited: 140 });
      const last = peers[0]!;
      last.send('SEND', { destination: `/app/rooms/${roomId}/messages`, receipt: 'late' }, JSON.stringify({ text: 'late' }));
      expect(await outcome(last, 'late')).toEqual({ code: 'RATE_LIMITED', retryAfterMs: 50 });
      for (const p of peers) p.close();
    });
  });

  it('2,000 typing refreshes broadcast once per second of server time; typing:false always goes out', async () => {
    const typist = await guest(server, 'typist');
    const watcher = await guest(server, 'watcher');
    const roomId = await room(typist.token);
    await whileServingOthers(server, async () => {
      const t = await peer(server, typist.token);
      const w = await peer(server, watcher.token);
      for (const p of [t, w]) await burst(p, 1, 'j', () => join(roomId));
      w.send('SUBSCRIBE', { id: 'room', destination: `/topic/rooms/${roomId}`, receipt: 's' });
      await w.receipt('s');
      const typing = (i: number) => ({ destination: `/app/rooms/${roomId}/typing`, body: JSON.stringify({ typing: i !== 1999 }) });
      const answers = await burst(t, 1000, 'a', typing);
      clock.advance(1000);
      const more = await burst(t, 1000, 'b', (i) => typing(1000 + i));
      // Every frame is receipted: coalescing is silent, nothing is refused.
      expect([answers, more]).toEqual([{ ok: 1000 }, { ok: 1000 }]);
      // The last frame, typing:false, always goes out; before it, one `true` per second of server time.
      await w.next((f) => f.headers.get('x-type') === 'typing' && f.body.toString().includes('"typing":false'));
      const seen = w.frames.filter((f) => f.headers.get('x-type') === 'typing').map((f) => (JSON.parse(f.body.toString()) as { typing: boolean }).typing);
      expect(seen).toEqual([true, true]);
      t.close();
      w.close();
    });
  });

  it('joins per user: the burst of 40, then RATE_LIMITED with retry-after-ms', async () => {
    const u = await guest(server, 'joiner');
    const rooms = await Promise.all(Array.from({ length: 50 }, () => room(u.token)));
    await whileServingOthers(server, async () => {
      const p = await peer(server, u.token);
      expect(await burst(p, 50, 'j', (i) => join(rooms[i]!))).toEqual({ ok: 40, RATE_LIMITED: 10 });
      p.send('SEND', { destination: `/app/rooms/${rooms[0]!}/join`, receipt: 'again' }, '');
      expect(await outcome(p, 'again')).toEqual({ code: 'RATE_LIMITED', retryAfterMs: 500 });
      p.close();
    });
  });

  it('open-topic and queue SENDs per user: 50 of 2,000 get through, the rest are refused', async () => {
    const u = await guest(server, 'shouter');
    await whileServingOthers(server, async () => {
      const p = await peer(server, u.token);
      const tally = await burst(p, 2000, 'o', (i) => ({ destination: i % 2 === 0 ? '/topic/free-for-all' : '/queue/jobs', body: 'x' }));
      expect(tally).toEqual({ ok: 50, RATE_LIMITED: 1950 });
      clock.advance(1000);
      expect(await burst(p, 12, 'p', () => ({ destination: '/topic/free-for-all', body: 'x' }))).toEqual({ ok: 10, RATE_LIMITED: 2 });
      p.close();
    });
  });

  it('password guessing: 5 tries per user and room, then TOO_MANY_ATTEMPTS even for the right password until the wait is over', async () => {
    const owner = await guest(server, 'vault-owner');
    const roomId = await room(owner.token, { password: 'right' });
    await whileServingOthers(server, async () => {
      const thief = await guest(server, 'thief');
      const p = await peer(server, thief.token, '198.51.100.77');
      expect(await burst(p, 30, 'g', (i) => join(roomId, `guess${i}`))).toEqual({ BAD_PASSWORD: 5, TOO_MANY_ATTEMPTS: 25 });
      p.send('SEND', { destination: `/app/rooms/${roomId}/join`, receipt: 'right' }, JSON.stringify({ password: 'right' }));
      expect(await outcome(p, 'right')).toEqual({ code: 'TOO_MANY_ATTEMPTS', retryAfterMs: 60_000 });
      clock.advance(60_000);
      p.send('SEND', { destination: `/app/rooms/${roomId}/join`, receipt: 'later' }, JSON.stringify({ password: 'right' }));
      expect(await outcome(p, 'later')).toEqual({ code: 'ok' });
      p.close();
    });
  });

  it('password guessing from 8 connections of minted users on one address stops at the address budget (20)', async () => {
    const owner = await guest(server, 'vault2');
    const roomId = await room(owner.token, { password: 'right' });
    await whileServingOthers(server, async () => {
      const peers = await Promise.all(Array.from({ length: 8 }, async (_, i) => peer(server, (await guest(server, `t${i}`)).token, '192.0.2.99')));
      const tallies = await Promise.all(peers.map((p, n) => burst(p, 10, 'g', (i) => join(roomId, `g${n}-${i}`))));
      // Alone, each user's own budget (5) would have let 40 guesses through.
      const bad = tallies.reduce((s, t) => s + (t['BAD_PASSWORD'] ?? 0), 0);
      expect(bad).toBe(20);
      expect(tallies.reduce((s, t) => s + (t['TOO_MANY_ATTEMPTS'] ?? 0), 0)).toBe(80 - 20);
      // Somebody else, elsewhere, still gets in with the password.
      const friend = await peer(server, (await guest(server, 'friend')).token, '192.0.2.100');
      expect(await burst(friend, 1, 'f', () => join(roomId, 'right'))).toEqual({ ok: 1 });
      for (const p of [...peers, friend]) p.close();
    });
  });
});

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpBalancer, type TcpBalancer } from '../../../backend/net/tcp-balancer.js';
import type { ChatClient } from '../../../sdk/chat-client.js';
import type { TypingEvent } from '../../../sdk/types.js';
import { createMysqlDatabase } from '../../helpers/databases.js';
import { RawStomp } from '../../helpers/raw-stomp.js';
import { deletePrefix, redisTestUrl, uniquePrefix } from '../../helpers/redis.js';
import { joinAndRecord, makeClient, sequenceDefect, waitFor } from '../../helpers/sdk-client.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';
import { joinedCallPeer } from '../../helpers/call-peer.js';

const prefix = uniquePrefix('chat');
let db: { url: string; drop(): Promise<void> };
let servers: TestServer[] = [];
let balancer: TcpBalancer;

beforeAll(async () => {
  db = await createMysqlDatabase('cluster_chat');
  for (let i = 0; i < 3; i++) {
    servers.push(
      await startTestServer({
        databaseUrl: db.url,
        env: { REDIS_URL: redisTestUrl(), REDIS_KEY_PREFIX: prefix, LEAVE_GRACE_MS: '300', REDIS_INSTANCE_TTL_MS: '3000', CALL_MAX_PARTICIPANTS: '3' },
      }),
    );
  }
  balancer = await startTcpBalancer({ targets: () => servers.map((s) => s.port) });
});

afterAll(async () => {
  await balancer?.close();
  for (const s of servers) await s.stop();
  servers = [];
  await db?.drop();
  await deletePrefix(redisTestUrl(), prefix);
});

const roomCount = async (server: TestServer, roomId: number, token: string): Promise<number> =>
  (await api<{ userCount: number }>(server, 'GET', `/api/rooms/${roomId}`, token)).body.userCount;

describe('three instances sharing rooms through Redis', () => {
  it('clients on different instances chat in one order and see the same presence, counts and typing', async () => {
    // One client per instance, plus one through the round-robin balancer.
    const clients: ChatClient[] = [...servers.map((s, i) => makeClient(s.url, `u${i}`)), makeClient(balancer.url, 'via-lb')];
    try {
      await Promise.all(clients.map((c) => c.connect()));
      const perInstance = servers.map((s) => [...s.app.broker.allSessions()].length);
      expect(perInstance.every((n) => n >= 1)).toBe(true);
      const room = await clients[0]!.rooms.create({ name: 'cluster' });
      const { handles, seen } = await joinAndRecord(clients, room.id);
      await waitFor(() => handles.every((h) => h.userCount === 4 && h.members.length === 4), 'presence of four on every client');
      const probe = (await guest(servers[0]!, 'probe')).token;
      for (const s of servers) expect(await roomCount(s, room.id, probe)).toBe(4);

      const typing: TypingEvent[][] = handles.map(() => []);
      handles.forEach((h, i) => h.on('typing', (e) => typing[i]!.push(e)));
      handles[0]!.setTyping(true);
      await waitFor(() => typing.slice(1).every((t) => t.some((e) => e.user.nickname === 'u0' && e.typing)), 'typing seen on every instance');

      const sends = handles.flatMap((h, i) => Array.from({ length: 10 }, (_, k) => h.send(`m${i}-${k}`)));
      const resolved = await Promise.all(sends);
      const last = Math.max(...resolved.map((m) => m.seq));
      await waitFor(() => handles.every((h) => h.lastSeq >= last), 'every client has every message');
      const views = seen.map((s) => s.filter((m) => m.type === 'text').map((m) => `${m.seq}:${m.id}:${m.text}`));
      for (const v of views) expect(v).toEqual(views[0]);
      expect(views[0]).toHaveLength(40);
      for (const s of seen) expect(sequenceDefect(s)).toBeNull();
      expect(new Set(resolved.map((m) => m.seq)).size).toBe(40);

      // A client leaving on one instance is gone everywhere, in REST counts too.
      await clients[2]!.disconnect();
      await waitFor(() => [0, 1, 3].every((i) => handles[i]!.userCount === 3), 'the leaver gone on every client');
      for (const s of servers) expect(await roomCount(s, room.id, probe)).toBe(3);
    } finally {
      await Promise.all(clients.map((c) => c.disconnect()));
    }
  });

  it('completes a three-way call whose signals cross instances, and CALL_FULL counts participants on all of them', async () => {
    const owner = await guest(servers[0]!, 'owner');
    const roomId = (await api<{ id: number }>(servers[0]!, 'POST', '/api/rooms', owner.token, { name: 'call', kind: 'video' })).body.id;
    const peers = await Promise.all(servers.map((s, i) => joinedPeer(s, `P${i}`, roomId)));
    const ids: string[] = [];
    for (const [i, p] of peers.entries()) ids.push(await callJoin(p, roomId, `j${i}`));
    for (const p of peers) {
      await p.stomp.next((f) => f.headers.get('x-type') === 'call' && JSON.parse(f.body.toString()).participants.length === 3);
    }

    // Every ordered pair: the signal reaches exactly the addressed participant's session.
    for (const [from, to] of [[1, 0], [2, 1], [0, 2], [0, 1]] as const) {
      const tag = `${from}->${to}`;
      peers[from]!.stomp.send('SEND', { destination: `/app/rooms/${roomId}/signal`, receipt: tag }, JSON.stringify({ to: ids[to], description: { type: 'offer', sdp: tag } }));
      await peers[from]!.stomp.receipt(tag);
      const got = await peers[to]!.stomp.next((f) => f.headers.get('subscription') === 'signal' && JSON.parse(f.body.toString()).description.sdp === tag);
      expect(JSON.parse(got.body.toString())).toMatchObject({ from: ids[from], to: ids[to], roomId });
    }
    await new Promise((r) => setTimeout(r, 200));
    // `next` consumed the expected signals: nothing else reached any session (no copies, no strays).
    expect(peers.map((p) => p.stomp.frames.filter((f) => f.headers.get('subscription') === 'signal'))).toEqual([[], [], []]);

    // The cap (3) is reached across instances: a fourth participant on any of them is refused.
    const fourth = await joinedPeer(servers[1]!, 'P3', roomId);
    fourth.stomp.send('SEND', { destination: `/app/rooms/${roomId}/call/join`, receipt: 'j4' }, '{}');
    const refused = await fourth.stomp.next((f) => f.headers.get('subscription') === 'errors' && f.headers.get('x-error-code') === 'CALL_FULL');
    expect(refused.headers.get('receipt-id')).toBe('j4');
    // One leaving on instance 2 frees a place for a join on instance 1.
    peers[2]!.stomp.close();
    await fourth.stomp.next((f) => f.headers.get('x-type') === 'call' && JSON.parse(f.body.toString()).participants.length === 2);
    expect(await callJoin(fourth, roomId, 'j5')).toMatch(/^p_/);
    for (const p of [...peers, fourth]) p.stomp.close();
  });

  it('delivers a frame for a user to each of their sessions on every instance, once', async () => {
    const g = await guest(servers[0]!, 'multi');
    const sessions = await Promise.all(
      servers.map(async (s) => {
        const stomp = await RawStomp.ws(`${s.url.replace('http', 'ws')}/ws`);
        await stomp.connect(g.token);
        stomp.send('SUBSCRIBE', { destination: '/user/queue/notices', id: 'n', receipt: 'n' });
        await stomp.receipt('n');
        return stomp;
      }),
    );
    // Each instance subscribes the user's channel just after the CONNECT: wait until all three have.
    const probe = new Redis(redisTestUrl());
    try {
      await waitFor(async () => {
        const [, n] = (await probe.pubsub('NUMSUB', `${prefix}user:${g.user.id}`)) as [string, number];
        return Number(n) === 3;
      }, 'the user channel subscribed on three instances');
    } finally {
      probe.disconnect();
    }
    servers[1]!.app.broker.toUser(g.user.id, '/user/queue/notices', { 'content-type': 'application/json' }, '{"n":1}');
    for (const stomp of sessions) {
      const f = await stomp.next((x) => x.headers.get('subscription') === 'n');
      expect(f.body.toString()).toBe('{"n":1}');
    }
    await new Promise((r) => setTimeout(r, 200));
    for (const stomp of sessions) {
      expect(stomp.frames.filter((x) => x.headers.get('subscription') === 'n')).toEqual([]);
      stomp.close();
    }
  });

  it('ends typing started on one instance when the same user sends from another', async () => {
    const owner = await guest(servers[0]!, 'owner');
    const roomId = (await api<{ id: number }>(servers[0]!, 'POST', '/api/rooms', owner.token, { name: 'typing' })).body.id;
    const typist = await guest(servers[0]!, 'typist');
    const [onZero, onOne] = [await joinedPeerAs(servers[0]!, typist.token, roomId), await joinedPeerAs(servers[1]!, typist.token, roomId)];
    const watcher = await joinedPeer(servers[2]!, 'watcher', roomId);
    const typingFrame = (on: boolean) => (f: { headers: ReadonlyMap<string, string>; body: Buffer }) =>
      f.headers.get('x-type') === 'typing' && JSON.parse(f.body.toString()).typing === on && JSON.parse(f.body.toString()).user.id === typist.user.id;
    onZero.stomp.send('SEND', { destination: `/app/rooms/${roomId}/typing`, receipt: 't' }, JSON.stringify({ typing: true }));
    await onZero.stomp.receipt('t');
    await watcher.stomp.next(typingFrame(true));
    onOne.stomp.send('SEND', { destination: `/app/rooms/${roomId}/messages`, receipt: 'm' }, JSON.stringify({ text: 'done typing' }));
    await onOne.stomp.receipt('m');
    // Well before TYPING_TTL_MS (6 s): the send ended it, not the expiry.
    await watcher.stomp.next(typingFrame(false), 2000);
    for (const p of [onZero, onOne, watcher]) p.stomp.close();
  });

  it('shares one rate-limit bucket per user across instances', async () => {
    const rl = uniquePrefix('rate');
    const limited = await Promise.all(
      [0, 1].map(() => startTestServer({ databaseUrl: db.url, env: { REDIS_URL: redisTestUrl(), REDIS_KEY_PREFIX: rl, RATE_LIMIT_PER_S: '1', RATE_LIMIT_BURST: '4' } })),
    );
    try {
      const g = await guest(limited[0]!, 'rl');
      const roomId = (await api<{ id: number }>(limited[0]!, 'POST', '/api/rooms', g.token, { name: 'rl' })).body.id;
      const stomps = await Promise.all(limited.map(async (s) => joinedPeerAs(s, g.token, roomId)));
      let accepted = 0;
      let refused = 0;
      for (let i = 0; i < 8; i++) {
        const p = stomps[i % 2]!;
        p.stomp.send('SEND', { destination: `/app/rooms/${roomId}/messages`, receipt: `r${i}` }, JSON.stringify({ text: `t${i}` }));
        const f = await p.stomp.next((x) => (x.command === 'RECEIPT' && x.headers.get('receipt-id') === `r${i}`) || (x.headers.get('subscription') === 'errors' && x.headers.get('receipt-id') === `r${i}`));
        if (f.command === 'RECEIPT') accepted++;
        else if (f.headers.get('x-error-code') === 'RATE_LIMITED') refused++;
      }
      // Two separate buckets would have let all 8 through; one shared bucket lets the burst (4) and what refilled.
      expect(accepted).toBeGreaterThanOrEqual(4);
      expect(accepted).toBeLessThanOrEqual(5);
      expect(accepted + refused).toBe(8);
      // `next` took each answer from the session that sent; no refusal leaked to the user's other session.
      for (const p of stomps) expect(p.stomp.frames.filter((f) => f.headers.get('subscription') === 'errors')).toEqual([]);
      for (const p of stomps) p.stomp.close();
    } finally {
      for (const s of limited) await s.stop();
      await deletePrefix(redisTestUrl(), rl);
    }
  });
});

interface Peer {
  stomp: RawStomp;
}

async function joinedPeerAs(server: TestServer, token: string, roomId: number): Promise<Peer> {
  return { stomp: await joinedCallPeer(server, token, roomId) };
}

async function joinedPeer(server: TestServer, nickname: string, roomId: number): Promise<Peer> {
  return joinedPeerAs(server, (await guest(server, nickname)).token, roomId);
}

async function callJoin(peer: Peer, roomId: number, receipt: string): Promise<string> {
  peer.stomp.send('SEND', { destination: `/app/rooms/${roomId}/call/join`, receipt }, JSON.stringify({ audio: true, video: true }));
  const r = await peer.stomp.receipt(receipt);
  return r.headers.get('x-participant-id')!;
}

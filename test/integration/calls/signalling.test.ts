import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawStomp } from '../../helpers/raw-stomp.js';
import { databaseBackends } from '../../helpers/databases.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';
import { joinedCallPeer } from '../../helpers/call-peer.js';

interface Peer {
  stomp: RawStomp;
  user: { id: string; nickname: string };
  token: string;
}

async function joinedPeer(server: TestServer, nickname: string, roomId: number): Promise<Peer> {
  const g = await guest(server, nickname);
  const stomp = await joinedCallPeer(server, g.token, roomId);
  return { stomp, user: g.user, token: g.token };
}

async function callJoin(peer: Peer, roomId: number, receipt: string): Promise<string> {
  peer.stomp.send('SEND', { destination: `/app/rooms/${roomId}/call/join`, receipt }, JSON.stringify({ audio: true, video: true }));
  const r = await peer.stomp.receipt(receipt);
  return r.headers.get('x-participant-id')!;
}

const refusal = (code: string) => (f: { command: string; headers: ReadonlyMap<string, string> }) =>
  f.command === 'MESSAGE' && f.headers.get('subscription') === 'errors' && f.headers.get('x-error-code') === code;

describe.each(databaseBackends())('call signalling over the broker on $name', (db) => {
  let server: TestServer;
  // TURN credentials expire relative to the server's clock; a fixed one makes the expiry exact.
  const clock = new FakeClock();
  let roomId: number;
  let ownerToken: string;
  // Each test gets its own room so sockets closing after one test cannot leak into the next call.
  const newRoom = async (): Promise<number> => (await api<{ id: number }>(server, 'POST', '/api/rooms', ownerToken, { name: 'call', kind: 'video' })).body.id;

  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db, clock, env: { TURN_URLS: 'turn:127.0.0.1:3478?transport=udp,turn:127.0.0.1:3478?transport=tcp', TURN_SECRET: 'turn-secret', STUN_URLS: 'stun:127.0.0.1:3478' } });
    ownerToken = (await guest(server, 'owner')).token;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('relays a signal only to the addressed participant and announces call presence', async () => {
    roomId = await newRoom();
    const [a, b, c] = await Promise.all([joinedPeer(server, 'A', roomId), joinedPeer(server, 'B', roomId), joinedPeer(server, 'C', roomId)]);
    const pa = await callJoin(a, roomId, 'ca');
    const pb = await callJoin(b, roomId, 'cb');
    await callJoin(c, roomId, 'cc');
    const presence = await a.stomp.next((f) => f.headers.get('x-type') === 'call' && JSON.parse(f.body.toString()).participants.length === 3);
    const list = JSON.parse(presence.body.toString()).participants as { id: string; order: number; user: { id: string } }[];
    expect(list.map((p) => p.user.id)).toEqual([a.user.id, b.user.id, c.user.id]);
    expect(list.map((p) => p.order)).toEqual([1, 2, 3]);

    b.stomp.send('SEND', { destination: `/app/rooms/${roomId}/signal`, receipt: 's1' }, JSON.stringify({ to: pa, description: { type: 'offer', sdp: 'v=0' } }));
    await b.stomp.receipt('s1');
    const got = await a.stomp.next((f) => f.headers.get('subscription') === 'signal');
    expect(JSON.parse(got.body.toString())).toMatchObject({ from: pb, fromUser: { id: b.user.id }, to: pa, description: { type: 'offer', sdp: 'v=0' }, roomId });
    await new Promise((r) => setTimeout(r, 200));
    expect(c.stomp.frames.some((f) => f.headers.get('subscription') === 'signal')).toBe(false);
    expect(b.stomp.frames.some((f) => f.headers.get('subscription') === 'signal')).toBe(false);
    for (const p of [a, b, c]) p.stomp.close();
  });

  it('refuses the participant over the cap with CALL_FULL and signals from outside the call with NOT_IN_CALL', async () => {
    roomId = await newRoom();
    const peers = await Promise.all(['1', '2', '3', '4', '5'].map((n) => joinedPeer(server, `P${n}`, roomId)));
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await callJoin(peers[i]!, roomId, `j${i}`));
    const fifth = peers[4]!;
    fifth.stomp.send('SEND', { destination: `/app/rooms/${roomId}/call/join`, receipt: 'j5' }, '{}');
    const refused = await fifth.stomp.next(refusal('CALL_FULL'));
    expect(refused.headers.get('receipt-id')).toBe('j5');
    fifth.stomp.send('SEND', { destination: `/app/rooms/${roomId}/signal`, receipt: 's' }, JSON.stringify({ to: ids[0], candidate: null }));
    await fifth.stomp.next(refusal('NOT_IN_CALL'));
    // A participant's connection dropping frees its place at once.
    peers[0]!.stomp.close();
    await fifth.stomp.next((f) => {
      if (f.headers.get('x-type') !== 'call') return false;
      const list = JSON.parse(f.body.toString()).participants as { id: string }[];
      return list.length === 3 && !list.some((p) => p.id === ids[0]);
    });
    expect(await callJoin(fifth, roomId, 'j5b')).toMatch(/^p_/);
    for (const p of peers) p.stomp.close();
  });

  it('serves STUN and short-lived TURN credentials in the coturn use-auth-secret scheme', async () => {
    const g = await guest(server, 'ice');
    expect((await api(server, 'GET', '/api/ice-servers')).status).toBe(401);
    const res = await api<{ ttl: number; iceServers: { urls: string[]; username?: string; credential?: string }[] }>(server, 'GET', '/api/ice-servers', g.token);
    expect(res.status).toBe(200);
    expect(res.body.ttl).toBe(3600);
    expect(res.body.iceServers[0]).toEqual({ urls: ['stun:127.0.0.1:3478'] });
    const turn = res.body.iceServers[1]!;
    expect(turn.urls).toHaveLength(2);
    const [expiry, userId] = turn.username!.split(':');
    expect(userId).toBe(g.user.id);
    expect(Number(expiry)).toBe(Math.floor(clock.now() / 1000) + 3600);
    expect(turn.credential).toBe(createHmac('sha1', 'turn-secret').update(turn.username!).digest('base64'));
  });
});

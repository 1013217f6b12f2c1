/**
 * Kicks, bans and mutes issued on one instance take effect on sessions connected to another: two
 * instances share one MySQL database and one Redis (as test/integration/cluster/* run them).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlDatabase } from '../../helpers/databases.js';
import { deletePrefix, redisTestUrl, uniquePrefix } from '../../helpers/redis.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';
import { Peers, connectAs, createRoom, isRoomFrame, joinRoom, json, say, sendRefused, subscribeRoom, type Client, type User } from '../stomp/support.js';
import { roomAction } from '../../../sdk/protocol/destinations.js';
import type { KickedBody, PresenceEvent } from '../../../sdk/protocol/shapes.js';
import { attempt } from './support.js';

const prefix = uniquePrefix('moderation');
let db: { url: string; drop(): Promise<void> };
let servers: TestServer[] = [];
const peers = new Peers();
afterEach(() => peers.closeAll());

beforeAll(async () => {
  db = await createMysqlDatabase('moderation_cluster');
  for (let i = 0; i < 2; i++) {
    servers.push(await startTestServer({ databaseUrl: db.url, env: { REDIS_URL: redisTestUrl(), REDIS_KEY_PREFIX: prefix, LEAVE_GRACE_MS: '300', REDIS_INSTANCE_TTL_MS: '3000' } }));
  }
});

afterAll(async () => {
  for (const s of servers) await s.stop();
  servers = [];
  await db?.drop();
  await deletePrefix(redisTestUrl(), prefix);
});

const jsonHeaders = { 'content-type': 'application/json' };

async function inRoom(server: TestServer, who: User, roomId: number): Promise<Client> {
  const c = await connectAs(peers, server, who);
  await joinRoom(c, roomId);
  await subscribeRoom(c, roomId);
  return c;
}

function leftEvents(c: Client, roomId: number, userId: string): PresenceEvent[] {
  return c.peer.frames.filter((f) => isRoomFrame(roomId, 'presence')(f) && json<PresenceEvent>(f).kind === 'left' && (json<PresenceEvent>(f) as { user?: { id: string } }).user?.id === userId).map((f) => json<PresenceEvent>(f));
}

describe('moderation across two instances on Redis', () => {
  it('a kick issued on instance A ends the sessions of the user on A and on B; the user may join again', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const owner = await guest(a, 'owner');
    const room = await createRoom(a, owner.token);
    const observer = await inRoom(a, owner, room.id);
    const target = await guest(a, 'target');
    const onB = await inRoom(b, target, room.id);
    const onA = await inRoom(a, target, room.id);

    expect((await api(a, 'POST', `/api/rooms/${room.id}/kick`, owner.token, { userId: target.user.id })).status).toBe(204);
    for (const c of [onB, onA]) expect(json<KickedBody>(await c.peer.next(isRoomFrame(room.id, 'kicked')))).toEqual({ roomId: room.id, reason: 'kick', until: null });
    await expect.poll(() => leftEvents(observer, room.id, target.user.id).length).toBe(1);
    expect((await sendRefused(onB.peer, 'SEND', { destination: roomAction(room.id, 'messages'), ...jsonHeaders }, '{"text":"x"}')).body['code']).toBe('NOT_MEMBER');

    await joinRoom(onB, room.id);
    await subscribeRoom(onB, room.id, 'again');
    await say(onB, room.id, 'back on B');
    await observer.peer.next((f) => isRoomFrame(room.id, 'message')(f) && json<{ text: string }>(f).text === 'back on B');
  });

  it('a ban issued on instance A removes the user from B and B refuses their joins BANNED; an unban on B lets them in', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const owner = await guest(a, 'owner');
    const room = await createRoom(a, owner.token);
    const observer = await inRoom(a, owner, room.id);
    const target = await guest(b, 'target');
    const onB = await inRoom(b, target, room.id);

    const ban = await api<{ until: string | null }>(a, 'POST', `/api/rooms/${room.id}/bans`, owner.token, { userId: target.user.id, durationS: 3600 });
    expect(ban.status).toBe(201);
    expect(json<KickedBody>(await onB.peer.next(isRoomFrame(room.id, 'kicked')))).toEqual({ roomId: room.id, reason: 'ban', until: ban.body.until });
    await expect.poll(() => leftEvents(observer, room.id, target.user.id).length).toBe(1);
    expect((await sendRefused(onB.peer, 'SEND', { destination: roomAction(room.id, 'join') }, '')).body['code']).toBe('BANNED');

    expect((await api(b, 'DELETE', `/api/rooms/${room.id}/bans/${target.user.id}`, owner.token)).status).toBe(204);
    await joinRoom(onB, room.id);
  });

  it('a mute issued on instance A refuses the member\'s sends on B, and an unmute on B frees them on A', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const owner = await guest(a, 'owner');
    const room = await createRoom(a, owner.token);
    const target = await guest(b, 'target');
    const onB = await inRoom(b, target, room.id);
    const onA = await inRoom(a, target, room.id);
    // Both instances have the room's mutes cached (joining warms the cache): only the bus can change them.
    await say(onB, room.id, 'before on B');
    await say(onA, room.id, 'before on A');

    expect((await api(a, 'POST', `/api/rooms/${room.id}/mutes`, owner.token, { userId: target.user.id, durationS: 3600 })).status).toBe(201);
    // B learns of it over Redis pub/sub, a moment after A answered.
    await expect.poll(() => attempt(onB.peer, 'SEND', { destination: roomAction(room.id, 'typing'), ...jsonHeaders }, '{"typing":false}')).toBe('MUTED');
    expect(await attempt(onB.peer, 'SEND', { destination: roomAction(room.id, 'messages'), ...jsonHeaders }, '{"text":"x"}')).toBe('MUTED');

    expect((await api(b, 'DELETE', `/api/rooms/${room.id}/mutes/${target.user.id}`, owner.token)).status).toBe(204);
    await expect.poll(() => attempt(onA.peer, 'SEND', { destination: roomAction(room.id, 'typing'), ...jsonHeaders }, '{"typing":false}')).toBe('ok');
    await say(onA, room.id, 'free on A');
  });
});

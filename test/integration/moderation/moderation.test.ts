/**
 * Moderators, kicks, bans, mutes and password changes over real REST and raw STOMP, on SQLite and
 * on MySQL. Ban and mute ends are driven by a FakeClock, so nothing waits on the wall clock.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../helpers/databases.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';
import {
  Peers,
  connectAs,
  createRoom,
  flush,
  isRoomFrame,
  joinRoom,
  json,
  say,
  sendOk,
  sendRefused,
  subscribeRoom,
  type Client,
  type RoomJson,
  type User,
} from '../stomp/support.js';
import { roomAction } from '../../../sdk/protocol/destinations.js';
import type { Frame } from '../../../backend/stomp/frame.js';
import type { KickedBody, PresenceEvent, Restriction, RestrictionListBody } from '../../../sdk/protocol/shapes.js';
import type { CallSnapshot } from '../../../sdk/protocol/call-shapes.js';
import { adminUser } from './support.js';

type ErrorBody = { error: { code: string; message: string } };

const peers = new Peers();
afterEach(() => peers.closeAll());

const GRACE_MS = 300;
const jsonHeaders = { 'content-type': 'application/json' };

describe.each(databaseBackends())('moderation on $name', (db) => {
  let server: TestServer;
  const clock = new FakeClock();
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db, clock, env: { LEAVE_GRACE_MS: String(GRACE_MS), TOKEN_TTL_S: '31536000' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const connect = (who: string | User): Promise<Client> => connectAs(peers, server, who);
  const errorCode = (res: { body: unknown }): string | undefined => (res.body as ErrorBody | undefined)?.error?.code;

  /** A connected client joined to the room and subscribed to its topic. */
  async function inRoom(who: string | User, roomId: number, password?: string): Promise<Client> {
    const c = await connect(who);
    await joinRoom(c, roomId, password);
    await subscribeRoom(c, roomId);
    return c;
  }

  async function presence(c: Client, roomId: number, kind: 'joined' | 'left', userId: string): Promise<PresenceEvent> {
    const f = await c.peer.next((x) => isRoomFrame(roomId, 'presence')(x) && json<PresenceEvent>(x).kind === kind && (json<PresenceEvent>(x) as { user?: { id: string } }).user?.id === userId);
    return json<PresenceEvent>(f);
  }

  async function callWithout(c: Client, roomId: number, userId: string): Promise<CallSnapshot> {
    const f = await c.peer.next((x) => isRoomFrame(roomId, 'call')(x) && !json<CallSnapshot>(x).participants.some((p) => p.user.id === userId));
    return json<CallSnapshot>(f);
  }

  const joinCall = (c: Client, roomId: number): Promise<unknown> => sendOk(c.peer, 'SEND', { destination: roomAction(roomId, 'call/join'), ...jsonHeaders }, '{"audio":false,"video":false}');

  // --- moderators ---------------------------------------------------------------

  describe('moderators', () => {
    it('the owner and a site admin appoint and remove them; the room, the room list and the lobby show them', async () => {
      const owner = await guest(server, 'owner');
      const [m1, m2] = [await guest(server, 'm1'), await guest(server, 'm2')];
      const room = await createRoom(server, owner.token);
      expect(room.moderatorIds).toEqual([]);
      const lobby = await connect('lobby');
      await sendOk(lobby.peer, 'SUBSCRIBE', { id: 'lobby', destination: '/topic/lobby' });

      const put = await api<RoomJson>(server, 'PUT', `/api/rooms/${room.id}/moderators/${m1.user.id}`, owner.token);
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ id: room.id, moderatorIds: [m1.user.id] });
      const updated = await lobby.peer.next((f) => f.headers.get('x-type') === 'room-updated' && json<RoomJson>(f).id === room.id);
      expect(json<RoomJson>(updated).moderatorIds).toEqual([m1.user.id]);

      const admin = await adminUser('관리자', clock.now());
      const byAdmin = await api<RoomJson>(server, 'PUT', `/api/rooms/${room.id}/moderators/${m2.user.id}`, admin.token);
      expect(byAdmin.status).toBe(200);
      expect([...byAdmin.body.moderatorIds].sort()).toEqual([m1.user.id, m2.user.id].sort());
      // Idempotent: appointing again changes nothing.
      expect((await api<RoomJson>(server, 'PUT', `/api/rooms/${room.id}/moderators/${m2.user.id}`, owner.token)).body.moderatorIds).toHaveLength(2);

      const removed = await api<RoomJson>(server, 'DELETE', `/api/rooms/${room.id}/moderators/${m1.user.id}`, owner.token);
      expect(removed.status).toBe(200);
      expect(removed.body.moderatorIds).toEqual([m2.user.id]);
      expect((await api<RoomJson>(server, 'GET', `/api/rooms/${room.id}`)).body.moderatorIds).toEqual([m2.user.id]);

      // The list carries each room's own moderators.
      const other = await createRoom(server, owner.token);
      await api(server, 'PUT', `/api/rooms/${other.id}/moderators/${m1.user.id}`, owner.token);
      const list = await api<{ rooms: RoomJson[] }>(server, 'GET', '/api/rooms?limit=200');
      const byId = new Map(list.body.rooms.map((r) => [r.id, r.moderatorIds]));
      expect(byId.get(room.id)).toEqual([m2.user.id]);
      expect(byId.get(other.id)).toEqual([m1.user.id]);
    });

    it('nobody else may set them, and user ids are checked', async () => {
      const owner = await guest(server, 'owner');
      const member = await guest(server, 'member');
      const mod = await guest(server, 'mod');
      const room = await createRoom(server, owner.token);
      await api(server, 'PUT', `/api/rooms/${room.id}/moderators/${mod.user.id}`, owner.token);

      expect(errorCode(await api(server, 'PUT', `/api/rooms/${room.id}/moderators/${member.user.id}`, member.token))).toBe('NOT_OWNER');
      expect(errorCode(await api(server, 'PUT', `/api/rooms/${room.id}/moderators/${member.user.id}`, mod.token))).toBe('NOT_OWNER');
      expect(errorCode(await api(server, 'DELETE', `/api/rooms/${room.id}/moderators/${mod.user.id}`, mod.token))).toBe('NOT_OWNER');
      const anonymous = await api(server, 'PUT', `/api/rooms/${room.id}/moderators/${member.user.id}`);
      expect([anonymous.status, errorCode(anonymous)]).toEqual([401, 'UNAUTHORIZED']);
      const missing = await api(server, 'PUT', `/api/rooms/99999999/moderators/${member.user.id}`, owner.token);
      expect([missing.status, errorCode(missing)]).toEqual([404, 'ROOM_NOT_FOUND']);

      for (const bad of ['x_1', 'u_', 'h_', `h_${'a'.repeat(65)}`, 'u_\u0001x', 'member']) {
        const res = await api(server, 'PUT', `/api/rooms/${room.id}/moderators/${encodeURIComponent(bad)}`, owner.token);
        expect([res.status, errorCode(res)], bad).toEqual([400, 'VALIDATION_FAILED']);
      }
      const longest = `h_${'a'.repeat(64)}`;
      expect((await api<RoomJson>(server, 'PUT', `/api/rooms/${room.id}/moderators/${longest}`, owner.token)).body.moderatorIds).toContain(longest);
    });
  });

  // --- kick ---------------------------------------------------------------------

  describe('kick', () => {
    it('ends each of the user\'s room subscriptions with x-type kicked, then nothing more; presence left; they may join again', async () => {
      const owner = await guest(server, 'owner');
      const room = await createRoom(server, owner.token);
      const o = await inRoom(owner, room.id);
      const target = await guest(server, 'target');
      const a1 = await inRoom(target, room.id);
      const a2 = await inRoom(target, room.id);
      await presence(o, room.id, 'joined', target.user.id);

      const res = await api(server, 'POST', `/api/rooms/${room.id}/kick`, owner.token, { userId: target.user.id });
      expect(res.status).toBe(204);
      const kickedAt = new Map<Client, Frame>();
      for (const a of [a1, a2]) {
        await expect.poll(() => a.peer.frames.some(isRoomFrame(room.id, 'kicked'))).toBe(true);
        const kicked = a.peer.frames.find(isRoomFrame(room.id, 'kicked'))!;
        kickedAt.set(a, kicked);
        expect(kicked.headers.get('subscription')).toBe(`room-${room.id}`);
        expect(json<KickedBody>(kicked)).toEqual({ roomId: room.id, reason: 'kick', until: null });
      }
      const left = await presence(o, room.id, 'left', target.user.id);
      expect(left.userCount).toBe(1);

      // The subscriptions are over: the room goes on without them.
      await say(o, room.id, 'after the kick');
      await o.peer.next((f) => isRoomFrame(room.id, 'message')(f) && json<{ text: string }>(f).text === 'after the kick');
      for (const a of [a1, a2]) {
        await flush(a.peer);
        const after = a.peer.frames.slice(a.peer.frames.indexOf(kickedAt.get(a)!) + 1);
        expect(after.filter((f) => f.headers.get('destination') === `/topic/rooms/${room.id}`)).toEqual([]);
        expect((await sendRefused(a.peer, 'SEND', { destination: roomAction(room.id, 'messages'), ...jsonHeaders }, '{"text":"still here?"}')).body['code']).toBe('NOT_MEMBER');
      }

      await joinRoom(a1, room.id);
      await subscribeRoom(a1, room.id, 'again');
      await presence(o, room.id, 'joined', target.user.id);
      await say(a1, room.id, 'back');
    });

    it('ends the kicked user\'s call participation', async () => {
      const owner = await guest(server, 'owner');
      const room = await createRoom(server, owner.token, { kind: 'video' });
      const o = await inRoom(owner, room.id);
      const target = await guest(server, 'target');
      const a = await inRoom(target, room.id);
      await joinCall(a, room.id);
      await o.peer.next((f) => isRoomFrame(room.id, 'call')(f) && json<CallSnapshot>(f).participants.some((p) => p.user.id === target.user.id));
      expect((await api(server, 'POST', `/api/rooms/${room.id}/kick`, owner.token, { userId: target.user.id })).status).toBe(204);
      expect((await callWithout(o, room.id, target.user.id)).participants).toEqual([]);
    });

    it('removes a user in the leave grace at once', async () => {
      const owner = await guest(server, 'owner');
      const room = await createRoom(server, owner.token);
      const o = await inRoom(owner, room.id);
      const target = await guest(server, 'target');
      const a = await inRoom(target, room.id);
      await presence(o, room.id, 'joined', target.user.id);
      a.peer.close();
      await expect.poll(() => [...server.app.broker.allSessions()].some((s) => s.user?.id === target.user.id)).toBe(false);
      // The clock does not move: without the kick the user would stay for the whole grace.
      expect((await api(server, 'POST', `/api/rooms/${room.id}/kick`, owner.token, { userId: target.user.id })).status).toBe(204);
      expect((await presence(o, room.id, 'left', target.user.id)).userCount).toBe(1);
    });

    it('is a no-op for someone not in the room, and acts only downwards', async () => {
      const owner = await guest(server, 'owner');
      const [mod, mod2, member] = [await guest(server, 'mod'), await guest(server, 'mod2'), await guest(server, 'member')];
      const room = await createRoom(server, owner.token);
      await api(server, 'PUT', `/api/rooms/${room.id}/moderators/${mod.user.id}`, owner.token);
      await api(server, 'PUT', `/api/rooms/${room.id}/moderators/${mod2.user.id}`, owner.token);
      const m = await inRoom(member, room.id);
      const kick = (token: string | undefined, userId: unknown): Promise<{ status: number; body: unknown }> => api(server, 'POST', `/api/rooms/${room.id}/kick`, token, { userId });

      expect((await kick(owner.token, (await guest(server, 'stranger')).user.id)).status).toBe(204);
      await flush(m.peer);
      expect(m.peer.frames.filter(isRoomFrame(room.id, 'kicked'))).toEqual([]);

      expect(errorCode(await kick(member.token, mod.user.id))).toBe('NOT_MODERATOR');
      expect(errorCode(await kick(mod.token, owner.user.id))).toBe('CANNOT_MODERATE');
      expect(errorCode(await kick(mod.token, mod2.user.id))).toBe('CANNOT_MODERATE');
      expect(errorCode(await kick(mod.token, mod.user.id))).toBe('CANNOT_MODERATE');
      expect(errorCode(await kick(owner.token, owner.user.id))).toBe('CANNOT_MODERATE');
      expect(errorCode(await kick(owner.token, 42))).toBe('VALIDATION_FAILED');
      expect(errorCode(await kick(undefined, member.user.id))).toBe('UNAUTHORIZED');
      expect(errorCode(await api(server, 'POST', '/api/rooms/99999999/kick', owner.token, { userId: member.user.id }))).toBe('ROOM_NOT_FOUND');
      // A site admin connected here is out of everyone's reach, the owner's included.
      const admin = await adminUser('admin', clock.now());
      await inRoom(admin, room.id);
      expect(errorCode(await kick(owner.token, admin.user.id))).toBe('CANNOT_MODERATE');

      expect((await kick(mod.token, member.user.id)).status).toBe(204);
      expect(json<KickedBody>(await m.peer.next(isRoomFrame(room.id, 'kicked'))).reason).toBe('kick');
    });
  });

  // --- bans ---------------------------------------------------------------------

  describe('bans', () => {
    it('remove the user like a kick and refuse joins, subscriptions and history BANNED until they end', async () => {
      const owner = await guest(server, 'owner');
      const room = await createRoom(server, owner.token);
      const o = await inRoom(owner, room.id);
      const target = await guest(server, 'target');
      const a = await inRoom(target, room.id);

      const now = clock.now();
      const res = await api<Restriction>(server, 'POST', `/api/rooms/${room.id}/bans`, owner.token, { userId: target.user.id, durationS: 60 });
      expect(res.status).toBe(201);
      const until = new Date(now + 60_000).toISOString();
      expect(res.body).toEqual({ userId: target.user.id, until, byId: owner.user.id, createdAt: new Date(now).toISOString() });
      expect(json<KickedBody>(await a.peer.next(isRoomFrame(room.id, 'kicked')))).toEqual({ roomId: room.id, reason: 'ban', until });
      await presence(o, room.id, 'left', target.user.id);

      const refusedJoin = await sendRefused(a.peer, 'SEND', { destination: roomAction(room.id, 'join') }, '');
      expect(refusedJoin.body).toMatchObject({ code: 'BANNED', receiptId: refusedJoin.receipt });
      expect((await sendRefused(a.peer, 'SUBSCRIBE', { id: 'sneak', destination: `/topic/rooms/${room.id}` })).body['code']).toBe('BANNED');
      expect(errorCode(await api(server, 'GET', `/api/rooms/${room.id}/messages`, target.token))).toBe('BANNED');
      const listed = await api<RestrictionListBody>(server, 'GET', `/api/rooms/${room.id}/bans`, owner.token);
      expect(listed.body.items).toEqual([res.body]);

      clock.advance(59_000);
      expect((await sendRefused(a.peer, 'SEND', { destination: roomAction(room.id, 'join') }, '')).body['code']).toBe('BANNED');
      clock.advance(1_001);
      expect((await api<RestrictionListBody>(server, 'GET', `/api/rooms/${room.id}/bans`, owner.token)).body.items).toEqual([]);
      await joinRoom(a, room.id);
      await subscribeRoom(a, room.id, 'back');
      await presence(o, room.id, 'joined', target.user.id);
    });

    it('without durationS last until lifted; DELETE lifts them; durations are checked', async () => {
      const owner = await guest(server, 'owner');
      const room = await createRoom(server, owner.token);
      const target = await guest(server, 'target');
      const a = await connect(target);
      const ban = await api<Restriction>(server, 'POST', `/api/rooms/${room.id}/bans`, owner.token, { userId: target.user.id });
      expect([ban.status, ban.body.until]).toEqual([201, null]);
      clock.advance(3 * 86_400_000);
      expect((await sendRefused(a.peer, 'SEND', { destination: roomAction(room.id, 'join') }, '')).body['code']).toBe('BANNED');

      expect((await api(server, 'DELETE', `/api/rooms/${room.id}/bans/${target.user.id}`, owner.token)).status).toBe(204);
      expect((await api(server, 'DELETE', `/api/rooms/${room.id}/bans/${target.user.id}`, owner.token)).status).toBe(204);
      await joinRoom(a, room.id);
      expect((await api<RestrictionListBody>(server, 'GET', `/api/rooms/${room.id}/bans`, owner.token)).body.items).toEqual([]);

      for (const durationS of [0, -5, 1.5, '60', 31_536_001, null]) {
        const bad = await api(server, 'POST', `/api/rooms/${room.id}/bans`, owner.token, { userId: target.user.id, durationS });
        expect([bad.status, errorCode(bad)], String(durationS)).toEqual([400, 'VALIDATION_FAILED']);
      }
      expect(errorCode(await api(server, 'POST', `/api/rooms/${room.id}/bans`, owner.token, { userId: target.user.id, reason: 'x' }))).toBe('VALIDATION_FAILED');
      expect((await api(server, 'POST', `/api/rooms/${room.id}/bans`, owner.token, { userId: target.user.id, durationS: 31_536_000 })).status).toBe(201);
    });

    it('act only downwards, and only moderators, the owner and admins see or lift them', async () => {
      const owner = await guest(server, 'owner');
      const [mod, member] = [await guest(server, 'mod'), await guest(server, 'member')];
      const room = await createRoom(server, owner.token);
      await api(server, 'PUT', `/api/rooms/${room.id}/moderators/${mod.user.id}`, owner.token);
      const ban = (token: string, userId: string): Promise<{ status: number; body: unknown }> => api(server, 'POST', `/api/rooms/${room.id}/bans`, token, { userId, durationS: 60 });
      expect(errorCode(await ban(mod.token, owner.user.id))).toBe('CANNOT_MODERATE');
      expect(errorCode(await ban(owner.token, owner.user.id))).toBe('CANNOT_MODERATE');
      expect(errorCode(await ban(member.token, mod.user.id))).toBe('NOT_MODERATOR');
      expect(errorCode(await api(server, 'GET', `/api/rooms/${room.id}/bans`, member.token))).toBe('NOT_MODERATOR');
      expect(errorCode(await api(server, 'DELETE', `/api/rooms/${room.id}/bans/${mod.user.id}`, member.token))).toBe('NOT_MODERATOR');
      expect((await ban(mod.token, member.user.id)).status).toBe(201);
      const admin = await adminUser('admin', clock.now());
      expect((await api<RestrictionListBody>(server, 'GET', `/api/rooms/${room.id}/bans`, admin.token)).body.items.map((r) => [r.userId, r.byId])).toEqual([[member.user.id, mod.user.id]]);
    });
  });

  // --- mutes --------------------------------------------------------------------

  describe('mutes', () => {
    it('let the member read but refuse sending, typing and joining the call MUTED until they end', async () => {
      const owner = await guest(server, 'owner');
      const room = await createRoom(server, owner.token, { kind: 'video' });
      const o = await inRoom(owner, room.id);
      const target = await guest(server, 'target');
      const a = await inRoom(target, room.id);
      await say(a, room.id, 'before');

      const now = clock.now();
      const res = await api<Restriction>(server, 'POST', `/api/rooms/${room.id}/mutes`, owner.token, { userId: target.user.id, durationS: 30 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ userId: target.user.id, until: new Date(now + 30_000).toISOString(), byId: owner.user.id, createdAt: new Date(now).toISOString() });

      const send = await sendRefused(a.peer, 'SEND', { destination: roomAction(room.id, 'messages'), ...jsonHeaders }, '{"text":"muted?"}');
      expect(send.body).toMatchObject({ code: 'MUTED', receiptId: send.receipt });
      expect((await sendRefused(a.peer, 'SEND', { destination: roomAction(room.id, 'typing'), ...jsonHeaders }, '{"typing":true}')).body['code']).toBe('MUTED');
      expect((await sendRefused(a.peer, 'SEND', { destination: roomAction(room.id, 'call/join'), ...jsonHeaders }, '{}')).body['code']).toBe('MUTED');
      // Still a reader: the subscription stays, a new one is allowed, history is open, the room's talk arrives.
      await subscribeRoom(a, room.id, 'second');
      expect((await api(server, 'GET', `/api/rooms/${room.id}/messages`, target.token)).status).toBe(200);
      await say(o, room.id, 'to the muted');
      await a.peer.next((f) => isRoomFrame(room.id, 'message')(f) && json<{ text: string }>(f).text === 'to the muted');
      expect((await api<RestrictionListBody>(server, 'GET', `/api/rooms/${room.id}/mutes`, owner.token)).body.items).toEqual([res.body]);

      clock.advance(29_999);
      expect((await sendRefused(a.peer, 'SEND', { destination: roomAction(room.id, 'messages'), ...jsonHeaders }, '{"text":"now?"}')).body['code']).toBe('MUTED');
      clock.advance(2);
      await say(a, room.id, 'free again');
      await joinCall(a, room.id);
      expect((await api<RestrictionListBody>(server, 'GET', `/api/rooms/${room.id}/mutes`, owner.token)).body.items).toEqual([]);
    });

    it('are lifted by DELETE at once, need a durationS, and end the member\'s call participation', async () => {
      const owner = await guest(server, 'owner');
      const room = await createRoom(server, owner.token, { kind: 'video' });
      const o = await inRoom(owner, room.id);
      const target = await guest(server, 'target');
      const a = await inRoom(target, room.id);
      await joinCall(a, room.id);

      const noDuration = await api(server, 'POST', `/api/rooms/${room.id}/mutes`, owner.token, { userId: target.user.id });
      expect([noDuration.status, errorCode(noDuration)]).toEqual([400, 'VALIDATION_FAILED']);
      expect((await api(server, 'POST', `/api/rooms/${room.id}/mutes`, owner.token, { userId: target.user.id, durationS: 600 })).status).toBe(201);
      expect((await callWithout(o, room.id, target.user.id)).participants.map((p) => p.user.id)).toEqual([]);
      expect((await sendRefused(a.peer, 'SEND', { destination: roomAction(room.id, 'messages'), ...jsonHeaders }, '{"text":"x"}')).body['code']).toBe('MUTED');

      expect((await api(server, 'DELETE', `/api/rooms/${room.id}/mutes/${target.user.id}`, owner.token)).status).toBe(204);
      await say(a, room.id, 'unmuted');
      expect(errorCode(await api(server, 'POST', `/api/rooms/${room.id}/mutes`, target.token, { userId: owner.user.id, durationS: 60 }))).toBe('NOT_MODERATOR');
      expect(errorCode(await api(server, 'GET', `/api/rooms/${room.id}/mutes`, target.token))).toBe('NOT_MODERATOR');
    });

    it('are stored: a restarted server still refuses the muted member', async () => {
      const owner = await guest(server, 'owner');
      const room = await createRoom(server, owner.token);
      const target = await guest(server, 'target');
      expect((await api(server, 'POST', `/api/rooms/${room.id}/mutes`, owner.token, { userId: target.user.id, durationS: 600 })).status).toBe(201);
      await server.restart();
      const a = await inRoom(target, room.id);
      expect((await sendRefused(a.peer, 'SEND', { destination: roomAction(room.id, 'messages'), ...jsonHeaders }, '{"text":"x"}')).body['code']).toBe('MUTED');
    });
  });

  // --- password change ----------------------------------------------------------

  describe('password change', () => {
    const leave = (c: Client, roomId: number): Promise<unknown> => sendOk(c.peer, 'SEND', { destination: roomAction(roomId, 'leave') }, '');
    const joinCode = async (c: Client, roomId: number, password?: string): Promise<string> =>
      String((await sendRefused(c.peer, 'SEND', { destination: roomAction(roomId, 'join'), ...jsonHeaders }, password === undefined ? '' : JSON.stringify({ password }))).body['code']);

    it('a new password shuts out members who are not joined; those joined stay members', async () => {
      const owner = await guest(server, 'owner');
      const room = await createRoom(server, owner.token, { password: 'first' });
      const away = await connect('away');
      await joinRoom(away, room.id, 'first');
      await leave(away, room.id);
      const present = await connect('present');
      await joinRoom(present, room.id, 'first');

      // Renaming keeps the members.
      expect((await api(server, 'PATCH', `/api/rooms/${room.id}`, owner.token, { name: 'renamed' })).status).toBe(200);
      await joinRoom(away, room.id);
      await leave(away, room.id);

      expect((await api(server, 'PATCH', `/api/rooms/${room.id}`, owner.token, { password: 'second' })).status).toBe(200);
      expect(await joinCode(away, room.id)).toBe('BAD_PASSWORD');
      expect(await joinCode(away, room.id, 'first')).toBe('BAD_PASSWORD');
      expect(errorCode(await api(server, 'GET', `/api/rooms/${room.id}/messages`, away.token))).toBe('NOT_MEMBER');
      await joinRoom(away, room.id, 'second');

      await leave(present, room.id);
      await joinRoom(present, room.id);
    });

    it('a password set on an open room keeps the users joined and asks everyone else', async () => {
      const owner = await guest(server, 'owner');
      const room = await createRoom(server, owner.token);
      const visitor = await connect('visitor');
      await joinRoom(visitor, room.id);
      await leave(visitor, room.id);
      const present = await connect('present');
      await joinRoom(present, room.id);

      expect((await api<RoomJson>(server, 'PATCH', `/api/rooms/${room.id}`, owner.token, { password: 'now-locked' })).body.locked).toBe(true);
      expect(await joinCode(visitor, room.id)).toBe('BAD_PASSWORD');
      await leave(present, room.id);
      await joinRoom(present, room.id);

      expect((await api(server, 'PATCH', `/api/rooms/${room.id}`, owner.token, { password: null })).status).toBe(200);
      await joinRoom(visitor, room.id);
    });
  });
});

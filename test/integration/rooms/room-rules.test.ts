/**
 * Room rules over raw STOMP and REST against the real server, on SQLite and on MySQL: ownership,
 * passwords, capacity, membership, live counts with the leave grace, system messages, message
 * rules, typing, history and the REST error contract. Time (grace, typing expiry, rate limit) is
 * a FakeClock the tests advance, so nothing here waits on the wall clock.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../helpers/databases.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';
import {
  Peers,
  connectAs,
  createRoom,
  eventually,
  flush,
  history,
  isRoomFrame,
  joinRoom,
  json,
  roomCount,
  say,
  sendOk,
  sendRefused,
  serverClosed,
  subscribeRoom,
  type Client,
  type MessageJson,
  type RoomJson,
} from '../stomp/support.js';

type ErrorBody = { error: { code: string; message: string } };

const peers = new Peers();
afterEach(() => peers.closeAll());

const GRACE_MS = 300;
const TYPING_TTL_MS = 600;

describe.each(databaseBackends())('rooms on $name (LEAVE_GRACE_MS=300, TYPING_TTL_MS=600)', (db) => {
  let server: TestServer;
  const clock = new FakeClock();
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db, clock, env: { LEAVE_GRACE_MS: String(GRACE_MS), TYPING_TTL_MS: String(TYPING_TTL_MS) } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const connect = (who: string | { token: string; user: { id: string; nickname: string } }): Promise<Client> => connectAs(peers, server, who);

  // --- REST ---------------------------------------------------------------------

  describe('REST', () => {
    it('creates (201, caller is owner), lists ordered by id and gets a room; the password never comes back', async () => {
      const owner = await guest(server, '방장');
      const open = await createRoom(server, owner.token, { name: '  스터디  ' });
      expect(open).toMatchObject({ name: '스터디', kind: 'chat', userCount: 0, maxUsers: 100, locked: false, ownerId: owner.user.id });
      expect(Number.isInteger(open.id)).toBe(true);
      expect(new Date(open.createdAt).toISOString()).toBe(open.createdAt);
      const locked = await createRoom(server, owner.token, { name: 'locked', kind: 'video', maxUsers: 2, password: 'pw' });
      expect(locked).toMatchObject({ kind: 'video', maxUsers: 2, locked: true });
      expect(Object.keys(locked).sort()).toEqual(['createdAt', 'id', 'kind', 'locked', 'maxUsers', 'moderatorIds', 'name', 'ownerId', 'userCount']);

      const list = await api<{ rooms: RoomJson[] }>(server, 'GET', '/api/rooms');
      expect(list.status).toBe(200);
      const ids = list.body.rooms.map((r) => r.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(ids).toEqual(expect.arrayContaining([open.id, locked.id]));
      expect(JSON.stringify(list.body)).not.toMatch(/password|hash/i);

      const one = await api<RoomJson>(server, 'GET', `/api/rooms/${open.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(open);

      const missing = await api<ErrorBody>(server, 'GET', '/api/rooms/999999');
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('ROOM_NOT_FOUND');
      const notANumber = await api<ErrorBody>(server, 'GET', '/api/rooms/abc');
      expect(notANumber.status).toBe(404);
      expect(notANumber.body.error.code).toBe('ROOM_NOT_FOUND');
    });

    it('validates room input with 400 VALIDATION_FAILED', async () => {
      const u = await guest(server, 'validator');
      for (const body of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(101) }, { name: 'a\u0001b' }, { name: 'ok', maxUsers: 1 }, { name: 'ok', maxUsers: 1001 }, { name: 'ok', maxUsers: 2.5 }, { name: 'ok', kind: 'voice' }, { name: 'ok', password: '' }, { name: 'ok', password: 'p'.repeat(65) }]) {
        const res = await api<ErrorBody>(server, 'POST', '/api/rooms', u.token, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code, JSON.stringify(body)).toBe('VALIDATION_FAILED');
      }
    });

    it('PATCH and DELETE by a non-owner are 403 NOT_OWNER; by the owner they work', async () => {
      const owner = await guest(server, 'owner');
      const other = await guest(server, 'other');
      const room = await createRoom(server, owner.token, { name: 'mine' });

      const patchByOther = await api<ErrorBody>(server, 'PATCH', `/api/rooms/${room.id}`, other.token, { name: 'theirs' });
      expect(patchByOther.status).toBe(403);
      expect(patchByOther.body.error.code).toBe('NOT_OWNER');
      const deleteByOther = await api<ErrorBody>(server, 'DELETE', `/api/rooms/${room.id}`, other.token);
      expect(deleteByOther.status).toBe(403);
      expect(deleteByOther.body.error.code).toBe('NOT_OWNER');
      expect((await api<RoomJson>(server, 'GET', `/api/rooms/${room.id}`)).body.name).toBe('mine');

      const patched = await api<RoomJson>(server, 'PATCH', `/api/rooms/${room.id}`, owner.token, { name: 'renamed', maxUsers: 5, password: 'pw' });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id: room.id, name: 'renamed', maxUsers: 5, locked: true });
      const cleared = await api<RoomJson>(server, 'PATCH', `/api/rooms/${room.id}`, owner.token, { password: null });
      expect(cleared.body.locked).toBe(false);
      const unknownField = await api<ErrorBody>(server, 'PATCH', `/api/rooms/${room.id}`, owner.token, { owner: 'me' });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.error.code).toBe('VALIDATION_FAILED');
      const noRoom = await api<ErrorBody>(server, 'PATCH', '/api/rooms/999999', owner.token, { name: 'x' });
      expect(noRoom.status).toBe(404);

      const deleted = await api(server, 'DELETE', `/api/rooms/${room.id}`, owner.token);
      expect(deleted.status).toBe(204);
      expect((await api(server, 'GET', `/api/rooms/${room.id}`)).status).toBe(404);
    });

    it('REST errors: bad JSON 400 INVALID_BODY, huge body 413, unknown route 404 NOT_FOUND, no token 401', async () => {
      const u = await guest(server, 'rest-errors');
      const badJson = await api<ErrorBody>(server, 'POST', '/api/rooms', u.token, '{"name": ');
      expect(badJson.status).toBe(400);
      expect(badJson.body.error.code).toBe('INVALID_BODY');
      const arrayBody = await api<ErrorBody>(server, 'POST', '/api/rooms', u.token, '[1,2]');
      expect(arrayBody.status).toBe(400);
      expect(arrayBody.body.error.code).toBe('INVALID_BODY');
      const huge = await api<ErrorBody>(server, 'POST', '/api/rooms', u.token, JSON.stringify({ name: 'x'.repeat(70 * 1024) }));
      expect(huge.status).toBe(413);
      expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      for (const [method, path] of [['GET', '/api/nope'], ['POST', '/api/rooms/1/nope'], ['GET', '/nothing-here']] as const) {
        const res = await api<ErrorBody>(server, method, path);
        expect(res.status, path).toBe(404);
        expect(res.body, path).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
      }
      const room = await createRoom(server, u.token);
      for (const [method, path, body] of [
        ['POST', '/api/rooms', { name: 'x' }],
        ['PATCH', `/api/rooms/${room.id}`, { name: 'x' }],
        ['DELETE', `/api/rooms/${room.id}`, undefined],
        ['GET', `/api/rooms/${room.id}/messages`, undefined],
        ['POST', '/api/session/refresh', undefined],
      ] as const) {
        const none = await api<ErrorBody>(server, method, path, undefined, body);
        expect(none.status, `${method} ${path}`).toBe(401);
        expect(none.body.error.code).toBe('UNAUTHORIZED');
        const bad = await api<ErrorBody>(server, method, path, 'garbage.token.here', body);
        expect(bad.status, `${method} ${path} (bad token)`).toBe(401);
      }
    });

    it('nicknames: empty, 33 characters or a control character are 400; Korean, emoji (by code point) and trimming are fine', async () => {
      for (const nickname of ['', '   ', 'a'.repeat(33), 'a\u0007b', 'tab\there', 42, null]) {
        const res = await api<ErrorBody>(server, 'POST', '/api/session', undefined, { nickname });
        expect(res.status, JSON.stringify(nickname)).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
      }
      const minsu = await api<{ token: string; user: { id: string; nickname: string }; expiresAt: string }>(server, 'POST', '/api/session', undefined, { nickname: '  민수  ' });
      expect(minsu.status).toBe(201);
      expect(minsu.body.user.nickname).toBe('민수');
      expect(minsu.body.user.id).toMatch(/^u_/);
      expect(minsu.body.token.split('.')).toHaveLength(3);
      for (const nickname of ['a'.repeat(32), '가'.repeat(32), '😀'.repeat(32)]) {
        const res = await api(server, 'POST', '/api/session', undefined, { nickname });
        expect(res.status, nickname).toBe(201);
      }
      const refreshed = await api<{ user: { id: string } }>(server, 'POST', '/api/session/refresh', minsu.body.token);
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.user.id).toBe(minsu.body.user.id);
    });
  });

  // --- joining ------------------------------------------------------------------

  describe('joining', () => {
    it('locked room: a wrong password is refused with BAD_PASSWORD (receipt-id, JSON body) and the connection stays open; the right one gets the RECEIPT', async () => {
      const owner = await guest(server, 'lock-owner');
      const room = await createRoom(server, owner.token, { password: '열쇠 key' });
      const b = await connect('intruder');
      for (const body of [JSON.stringify({ password: 'wrong' }), '', '{}']) {
        const r = await sendRefused(b.peer, 'SEND', { destination: `/app/rooms/${room.id}/join`, 'content-type': 'application/json' }, body);
        expect(r.frame.headers.get('x-error-code')).toBe('BAD_PASSWORD');
        expect(r.frame.headers.get('receipt-id')).toBe(r.receipt);
        expect(r.frame.headers.get('content-type')).toBe('application/json');
        expect(r.body).toMatchObject({ code: 'BAD_PASSWORD', message: expect.any(String), receiptId: r.receipt, destination: `/app/rooms/${room.id}/join` });
        // One code for both (a client retries the same way), but the text says which it was.
        expect((r.body as { message: string }).message).toBe(body.includes('wrong') ? 'Wrong room password' : 'This room needs a password');
      }
      expect(b.peer.closed).toBe(false);
      expect(b.peer.frames.filter((f) => f.command === 'RECEIPT' || f.command === 'ERROR')).toHaveLength(0);
      expect(await roomCount(server, room.id)).toBe(0);

      // Non-members may not read a locked room's history.
      const forbidden = await api<ErrorBody>(server, 'GET', `/api/rooms/${room.id}/messages`, b.token);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.code).toBe('NOT_MEMBER');

      await joinRoom(b, room.id, '열쇠 key');
      expect(await roomCount(server, room.id)).toBe(1);
      expect((await api(server, 'GET', `/api/rooms/${room.id}/messages`, b.token)).status).toBe(200);

      // A second tab of a member, and later a rejoin, need no password; the owner never does.
      const tab2 = await connect(b);
      await joinRoom(tab2, room.id);
      await sendOk(b.peer, 'SEND', { destination: `/app/rooms/${room.id}/leave` });
      await sendOk(tab2.peer, 'SEND', { destination: `/app/rooms/${room.id}/leave` });
      await joinRoom(b, room.id);
      const o = await connect(owner);
      await joinRoom(o, room.id);
    });

    it('bad join bodies are refused: INVALID_BODY, VALIDATION_FAILED; unknown room ROOM_NOT_FOUND', async () => {
      const owner = await guest(server, 'bodies');
      const room = await createRoom(server, owner.token);
      const c = await connect('bodies-2');
      const dest = `/app/rooms/${room.id}/join`;
      expect((await sendRefused(c.peer, 'SEND', { destination: dest }, '{not json')).body['code']).toBe('INVALID_BODY');
      expect((await sendRefused(c.peer, 'SEND', { destination: dest }, '[]')).body['code']).toBe('INVALID_BODY');
      expect((await sendRefused(c.peer, 'SEND', { destination: dest }, JSON.stringify({ password: 7 }))).body['code']).toBe('VALIDATION_FAILED');
      expect((await sendRefused(c.peer, 'SEND', { destination: '/app/rooms/999999/join' }, '')).body['code']).toBe('ROOM_NOT_FOUND');
      expect((await sendRefused(c.peer, 'SEND', { destination: '/app/rooms/abc/join' }, '')).body['code']).toBe('ROOM_NOT_FOUND');
      expect((await sendRefused(c.peer, 'SEND', { destination: '/app/nowhere' }, '')).body['code']).toBe('UNKNOWN_DESTINATION');
      expect(c.peer.closed).toBe(false);
    });

    it('capacity: a third distinct user is refused with ROOM_FULL, but a second tab of a joined user gets in', async () => {
      const a = await guest(server, 'cap-a');
      const room = await createRoom(server, a.token, { maxUsers: 2 });
      const a1 = await connect(a);
      const b = await connect('cap-b');
      const c = await connect('cap-c');
      await joinRoom(a1, room.id);
      await joinRoom(b, room.id);
      const full = await sendRefused(c.peer, 'SEND', { destination: `/app/rooms/${room.id}/join` }, '');
      expect(full.body['code']).toBe('ROOM_FULL');
      expect(full.frame.headers.get('x-error-code')).toBe('ROOM_FULL');
      const a2 = await connect(a);
      await joinRoom(a2, room.id);
      expect(await roomCount(server, room.id)).toBe(2);
      // Concurrent joins of two more users into a room with one seat: exactly one gets in.
      await sendOk(b.peer, 'SEND', { destination: `/app/rooms/${room.id}/leave` });
      const d = await connect('cap-d');
      const outcomes = await Promise.allSettled([joinRoom(c, room.id), joinRoom(d, room.id)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await roomCount(server, room.id)).toBe(2);
    });

    it('SUBSCRIBE /topic/rooms/{id} or SEND a message without joining is refused with NOT_MEMBER; the connection stays open', async () => {
      const owner = await guest(server, 'nm-owner');
      const room = await createRoom(server, owner.token);
      const c = await connect('outsider');
      const sub = await sendRefused(c.peer, 'SUBSCRIBE', { id: 'peek', destination: `/topic/rooms/${room.id}` });
      expect(sub.body).toMatchObject({ code: 'NOT_MEMBER', receiptId: sub.receipt });
      const send = await sendRefused(c.peer, 'SEND', { destination: `/app/rooms/${room.id}/messages` }, JSON.stringify({ text: 'hi' }));
      expect(send.body['code']).toBe('NOT_MEMBER');
      const typing = await sendRefused(c.peer, 'SEND', { destination: `/app/rooms/${room.id}/typing` }, JSON.stringify({ typing: true }));
      expect(typing.body['code']).toBe('NOT_MEMBER');
      const leave = await sendRefused(c.peer, 'SEND', { destination: `/app/rooms/${room.id}/leave` });
      expect(leave.body['code']).toBe('NOT_MEMBER');
      // The refused id is free: after joining, the same id subscribes fine.
      await joinRoom(c, room.id);
      await subscribeRoom(c, room.id, 'peek');
      expect(c.peer.closed).toBe(false);
    });

    it('DELETE sends x-type room-deleted to subscribers, drops their subscription and tells the lobby', async () => {
      const owner = await guest(server, 'del-owner');
      const room = await createRoom(server, owner.token);
      const m = await connect('del-member');
      await joinRoom(m, room.id);
      await subscribeRoom(m, room.id, 'doomed');
      const lobby = await connect('lobby-watcher');
      await sendOk(lobby.peer, 'SUBSCRIBE', { id: 'lobby', destination: '/topic/lobby' });
      expect((await api(server, 'DELETE', `/api/rooms/${room.id}`, owner.token)).status).toBe(204);

      const deleted = await m.peer.next(isRoomFrame(room.id, 'room-deleted'));
      expect(deleted.headers.get('subscription')).toBe('doomed');
      expect(json(deleted)).toEqual({ roomId: room.id });
      const lobbyEvent = await lobby.peer.next((f) => f.headers.get('x-type') === 'room-deleted');
      expect(json(lobbyEvent)).toEqual({ id: room.id });
      // The subscription is gone: its id may be reused at once (no DUPLICATE_SUBSCRIPTION), UNSUBSCRIBE is harmless.
      await sendOk(m.peer, 'UNSUBSCRIBE', { id: 'doomed' });
      await sendOk(m.peer, 'SUBSCRIBE', { id: 'doomed', destination: '/topic/lobby' });
      expect((await sendRefused(m.peer, 'SEND', { destination: `/app/rooms/${room.id}/join` }, '')).body['code']).toBe('ROOM_NOT_FOUND');
      expect((await api(server, 'GET', '/api/rooms')).body).not.toMatchObject({ rooms: expect.arrayContaining([expect.objectContaining({ id: room.id })]) });
    });

    it('the lobby hears room-created and room-updated with the live userCount', async () => {
      const lobby = await connect('lobby');
      await sendOk(lobby.peer, 'SUBSCRIBE', { id: 'lobby', destination: '/topic/lobby' });
      const owner = await guest(server, 'lobby-owner');
      const room = await createRoom(server, owner.token, { name: 'lobby news' });
      const created = await lobby.peer.next((f) => f.headers.get('x-type') === 'room-created' && json<RoomJson>(f).id === room.id);
      expect(json(created)).toMatchObject({ id: room.id, name: 'lobby news', userCount: 0 });
      const o = await connect(owner);
      await joinRoom(o, room.id);
      const updated = await lobby.peer.next((f) => f.headers.get('x-type') === 'room-updated' && json<RoomJson>(f).id === room.id && json<RoomJson>(f).userCount === 1);
      expect(updated.headers.get('content-type')).toBe('application/json');
    });
  });

  // --- presence and counts ------------------------------------------------------

  describe('presence and counts', () => {
    it('userCount follows join, second tab, another user, explicit leave, and an abrupt close after the grace; never negative', async () => {
      const a = await guest(server, 'count-a');
      const room = await createRoom(server, a.token);
      const counts: number[] = [];
      const count = async (): Promise<number> => {
        const n = await roomCount(server, room.id);
        counts.push(n);
        return n;
      };
      expect(await count()).toBe(0);
      const a1 = await connect(a);
      await joinRoom(a1, room.id);
      expect(await count()).toBe(1);
      const a2 = await connect(a);
      await joinRoom(a2, room.id);
      expect(await count()).toBe(1);
      const b = await connect('count-b');
      await joinRoom(b, room.id);
      expect(await count()).toBe(2);
      expect((await api<RoomJson>(server, 'GET', `/api/rooms/${room.id}`)).body.userCount).toBe(2);
      await sendOk(b.peer, 'SEND', { destination: `/app/rooms/${room.id}/leave` });
      expect(await count()).toBe(1);
      // b closes after leaving: nothing more to count down.
      b.peer.close();
      // One of a's tabs drops: a still has the other.
      a2.peer.close();
      await serverClosed(server, b);
      await serverClosed(server, a2);
      clock.advance(GRACE_MS * 2);
      expect(await count()).toBe(1);
      // a's last tab drops: counted for exactly the grace, gone when it ends.
      a1.peer.close();
      await serverClosed(server, a1);
      clock.advance(GRACE_MS - 1);
      expect(await count()).toBe(1);
      clock.advance(1);
      expect(await count()).toBe(0);
      clock.advance(GRACE_MS * 2);
      expect(await count()).toBe(0);
      expect(counts.every((n) => n >= 0)).toBe(true);

      // Exactly one leave for a (after the grace) and one for b (explicit); a's is stored after
      // the timer fired, so wait for the write rather than for time.
      const systemMessages = async (): Promise<string[]> =>
        (await history(server, a.token, room.id)).messages.filter((m) => m.type !== 'text').map((m) => `${m.type}:${m.sender.nickname}`);
      const system = await eventually(systemMessages, (list) => list.length >= 4);
      expect(system).toEqual(['enter:count-a', 'enter:count-b', 'leave:count-b', 'leave:count-a']);
    });

    it('a reconnect within the grace prints neither leave nor enter and keeps the count', async () => {
      const u = await guest(server, 'reloader');
      const room = await createRoom(server, u.token);
      const watcher = await connect('watcher');
      await joinRoom(watcher, room.id);
      await subscribeRoom(watcher, room.id);
      const first = await connect(u);
      await joinRoom(first, room.id);
      await watcher.peer.next((f) => isRoomFrame(room.id, 'message')(f) && json<MessageJson>(f).type === 'enter' && json<MessageJson>(f).sender.id === u.user.id);
      first.peer.close(); // a reload
      await serverClosed(server, first);
      clock.advance(GRACE_MS - 1);
      const again = await connect(u);
      await joinRoom(again, room.id);
      // Long past the grace that started at the close: had it not been cancelled, it would have fired.
      clock.advance(GRACE_MS * 2);
      await flush(watcher.peer);
      expect(await roomCount(server, room.id)).toBe(2);
      const h = await history(server, u.token, room.id);
      expect(h.messages.map((m) => `${m.type}:${m.sender.nickname}`)).toEqual(['enter:watcher', 'enter:reloader']);
      expect(watcher.peer.frames.filter((f) => isRoomFrame(room.id, 'message')(f))).toHaveLength(0);
      expect(watcher.peer.frames.filter((f) => isRoomFrame(room.id, 'presence')(f) && json(f)['kind'] === 'left')).toHaveLength(0);
    });

    it('enter and leave system messages and presence events reach subscribers; a new subscription gets a snapshot', async () => {
      const a = await guest(server, 'pres-a');
      const room = await createRoom(server, a.token);
      const ca = await connect(a);
      await joinRoom(ca, room.id);
      await subscribeRoom(ca, room.id);
      const snapshot = await ca.peer.next(isRoomFrame(room.id, 'presence'));
      expect(json(snapshot)).toEqual({ kind: 'snapshot', users: [{ id: a.user.id, nickname: 'pres-a' }], userCount: 1 });

      const cb = await connect('pres-b');
      await joinRoom(cb, room.id);
      const joined = await ca.peer.next(isRoomFrame(room.id, 'presence'));
      expect(json(joined)).toEqual({ kind: 'joined', user: { id: cb.user.id, nickname: 'pres-b' }, userCount: 2 });
      const enter = await ca.peer.next(isRoomFrame(room.id, 'message'));
      const enterBody = json<MessageJson>(enter);
      expect(enterBody).toMatchObject({ type: 'enter', text: '', roomId: room.id, sender: { id: cb.user.id, nickname: 'pres-b' } });
      expect(enter.headers.get('x-seq')).toBe(String(enterBody.seq));
      expect(enter.headers.get('content-type')).toBe('application/json');

      await sendOk(cb.peer, 'SEND', { destination: `/app/rooms/${room.id}/leave` });
      expect(json(await ca.peer.next(isRoomFrame(room.id, 'presence')))).toEqual({ kind: 'left', user: { id: cb.user.id, nickname: 'pres-b' }, userCount: 1 });
      const leave = json<MessageJson>(await ca.peer.next(isRoomFrame(room.id, 'message')));
      expect(leave).toMatchObject({ type: 'leave', text: '', sender: { id: cb.user.id }, seq: enterBody.seq + 1 });
    });

    it('an explicit leave drops the room subscription of that session', async () => {
      const a = await guest(server, 'leaver');
      const room = await createRoom(server, a.token);
      const ca = await connect(a);
      await joinRoom(ca, room.id);
      await subscribeRoom(ca, room.id, 'left-sub');
      const other = await connect('stayer');
      await joinRoom(other, room.id);
      await sendOk(ca.peer, 'SEND', { destination: `/app/rooms/${room.id}/leave` });
      ca.peer.frames.length = 0;
      await say(other, room.id, 'after you left');
      await flush(ca.peer);
      expect(ca.peer.frames.filter((f) => f.headers.get('destination') === `/topic/rooms/${room.id}`)).toHaveLength(0);
      // And it may not subscribe again without joining.
      expect((await sendRefused(ca.peer, 'SUBSCRIBE', { id: 'again', destination: `/topic/rooms/${room.id}` })).body['code']).toBe('NOT_MEMBER');
    });
  });

  // --- messages -----------------------------------------------------------------

  describe('messages', () => {
    async function pair(): Promise<{ room: RoomJson; a: Client; b: Client }> {
      const ua = await guest(server, 'msg-a');
      const room = await createRoom(server, ua.token);
      const a = await connect(ua);
      const b = await connect('msg-b');
      await joinRoom(a, room.id);
      await joinRoom(b, room.id);
      await subscribeRoom(a, room.id);
      await subscribeRoom(b, room.id);
      return { room, a, b };
    }

    it('the server stamps the sender; a sender in the SEND body is ignored; RECEIPT carries x-seq and x-message-id', async () => {
      const { room, a, b } = await pair();
      const receipt = await sendOk(b.peer, 'SEND', { destination: `/app/rooms/${room.id}/messages` }, JSON.stringify({ text: '안녕하세요   \n', sender: { id: 'u_mallory', nickname: 'Mallory' }, type: 'enter', seq: 1 }));
      const frame = await a.peer.next((f) => isRoomFrame(room.id, 'message')(f) && json<MessageJson>(f).type === 'text');
      const m = json<MessageJson>(frame);
      expect(m.sender).toEqual({ id: b.user.id, nickname: 'msg-b' });
      expect(m.text).toBe('안녕하세요');
      expect(m.type).toBe('text');
      expect(receipt.headers.get('x-seq')).toBe(String(m.seq));
      expect(receipt.headers.get('x-message-id')).toBe(String(m.id));
      const h = await history(server, a.token, room.id);
      expect(h.messages.at(-1)).toEqual(m);
    });

    it('text over MAX_MESSAGE_CHARS code points is MESSAGE_TOO_LONG; 2000 emoji (4000 UTF-16 units) are fine; empty text and bad clientMsgId are VALIDATION_FAILED', async () => {
      const { room, b } = await pair();
      const dest = `/app/rooms/${room.id}/messages`;
      const tooLong = await sendRefused(b.peer, 'SEND', { destination: dest }, JSON.stringify({ text: 'a'.repeat(2001) }));
      expect(tooLong.body['code']).toBe('MESSAGE_TOO_LONG');
      expect(tooLong.frame.headers.get('x-error-code')).toBe('MESSAGE_TOO_LONG');
      await say(b, room.id, '😀'.repeat(2000));
      for (const body of [{ text: '' }, { text: '   \n' }, { text: 5 }, {}, { text: 'ok', clientMsgId: 'has space' }, { text: 'ok', clientMsgId: 'x'.repeat(65) }]) {
        const r = await sendRefused(b.peer, 'SEND', { destination: dest }, JSON.stringify(body));
        expect(r.body['code'], JSON.stringify(body)).toBe('VALIDATION_FAILED');
      }
      expect((await sendRefused(b.peer, 'SEND', { destination: dest }, 'not json')).body['code']).toBe('INVALID_BODY');
      expect(b.peer.closed).toBe(false);
    });

    it('the same clientMsgId twice stores one message; the second RECEIPT says x-duplicate: true with the same x-seq', async () => {
      const { room, a, b } = await pair();
      const first = await say(b, room.id, 'once', 'cm-0b6f-1');
      const second = await say(b, room.id, 'once again?', 'cm-0b6f-1');
      expect(first.headers.has('x-duplicate')).toBe(false);
      expect(second.headers.get('x-duplicate')).toBe('true');
      expect(second.headers.get('x-seq')).toBe(first.headers.get('x-seq'));
      expect(second.headers.get('x-message-id')).toBe(first.headers.get('x-message-id'));
      // Another user may use the same id: it is per sender.
      const other = await say(a, room.id, 'mine', 'cm-0b6f-1');
      expect(other.headers.has('x-duplicate')).toBe(false);
      expect(Number(other.headers.get('x-seq'))).toBe(Number(first.headers.get('x-seq')) + 1);
      await flush(a.peer);
      const texts = a.peer.frames.filter(isRoomFrame(room.id, 'message')).map((f) => json<MessageJson>(f)).filter((m) => m.type === 'text');
      expect(texts.map((m) => m.text)).toEqual(['once', 'mine']);
      const h = await history(server, a.token, room.id);
      expect(h.messages.filter((m) => m.clientMsgId === 'cm-0b6f-1')).toHaveLength(2);
    });

    it('typing reaches the other user and expires on its own after TYPING_TTL_MS; it is never stored', async () => {
      const { room, a, b } = await pair();
      await sendOk(b.peer, 'SEND', { destination: `/app/rooms/${room.id}/typing` }, JSON.stringify({ typing: true }));
      const on = await a.peer.next(isRoomFrame(room.id, 'typing'));
      expect(json(on)).toEqual({ user: { id: b.user.id, nickname: 'msg-b' }, typing: true, expiresInMs: TYPING_TTL_MS });
      clock.advance(TYPING_TTL_MS - 1);
      await flush(a.peer);
      expect(a.peer.frames.filter(isRoomFrame(room.id, 'typing'))).toHaveLength(0);
      clock.advance(1);
      const off = await a.peer.next(isRoomFrame(room.id, 'typing'));
      expect(json(off)).toMatchObject({ user: { id: b.user.id }, typing: false });
      const h = await history(server, a.token, room.id);
      expect(h.messages.every((m) => m.type !== ('typing' as string))).toBe(true);
      expect((await sendRefused(b.peer, 'SEND', { destination: `/app/rooms/${room.id}/typing` }, JSON.stringify({ typing: 'yes' }))).body['code']).toBe('VALIDATION_FAILED');
    });

    it('sending a message ends typing at once', async () => {
      const { room, a, b } = await pair();
      await sendOk(b.peer, 'SEND', { destination: `/app/rooms/${room.id}/typing` }, JSON.stringify({ typing: true }));
      await a.peer.next(isRoomFrame(room.id, 'typing'));
      await say(b, room.id, 'done typing');
      // The clock stands still, so the expiry cannot be what ends it.
      const off = await a.peer.next(isRoomFrame(room.id, 'typing'));
      expect(json(off)['typing']).toBe(false);
    });

    it('leaving ends typing at once', async () => {
      const { room, a, b } = await pair();
      await sendOk(b.peer, 'SEND', { destination: `/app/rooms/${room.id}/typing` }, JSON.stringify({ typing: true }));
      await a.peer.next(isRoomFrame(room.id, 'typing'));
      await sendOk(b.peer, 'SEND', { destination: `/app/rooms/${room.id}/leave` });
      const off = await a.peer.next(isRoomFrame(room.id, 'typing'));
      expect(json(off)).toMatchObject({ user: { id: b.user.id }, typing: false });
    });

    it('history: newest limit by default, before/after pages ascending, lastSeq; bad queries are 400 VALIDATION_FAILED', async () => {
      const u = await guest(server, 'historian');
      const room = await createRoom(server, u.token);
      const c = await connect(u);
      await joinRoom(c, room.id); // seq 1: enter
      for (let i = 2; i <= 11; i++) await say(c, room.id, `m${i}`);
      const seqs = (h: { messages: MessageJson[] }): number[] => h.messages.map((m) => m.seq);

      const all = await history(server, u.token, room.id);
      expect(seqs(all)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(all.lastSeq).toBe(11);
      expect(seqs(await history(server, u.token, room.id, '?limit=3'))).toEqual([9, 10, 11]);
      expect(seqs(await history(server, u.token, room.id, '?before=5&limit=2'))).toEqual([3, 4]);
      expect(seqs(await history(server, u.token, room.id, '?before=5'))).toEqual([1, 2, 3, 4]);
      expect(seqs(await history(server, u.token, room.id, '?after=8'))).toEqual([9, 10, 11]);
      expect(seqs(await history(server, u.token, room.id, '?after=0&limit=2'))).toEqual([1, 2]);
      expect(seqs(await history(server, u.token, room.id, '?after=11'))).toEqual([]);
      expect(seqs(await history(server, u.token, room.id, '?before=1'))).toEqual([]);
      const page = await history(server, u.token, room.id, '?after=3&limit=1');
      expect(page.messages[0]).toMatchObject({ seq: 4, text: 'm4', type: 'text', roomId: room.id, sender: { id: u.user.id } });
      expect(page.lastSeq).toBe(11);

      // An open room's history is readable by any signed-in user.
      const stranger = await guest(server, 'stranger');
      expect(seqs(await history(server, stranger.token, room.id, '?limit=1'))).toEqual([11]);

      for (const q of ['?limit=0', '?limit=201', '?limit=abc', '?before=-1', '?after=1.5', '?before=3&after=1', '?limit=1&limit=2', '?after=', '?before=1e3']) {
        const res = await api<ErrorBody>(server, 'GET', `/api/rooms/${room.id}/messages${q}`, u.token);
        expect(res.status, q).toBe(400);
        expect(res.body.error.code, q).toBe('VALIDATION_FAILED');
      }
      const missing = await api<ErrorBody>(server, 'GET', '/api/rooms/999999/messages', u.token);
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('ROOM_NOT_FOUND');
    });
  });
});

describe.each(databaseBackends())('rate limit on $name (RATE_LIMIT_PER_S=1, RATE_LIMIT_BURST=2)', (db) => {
  let server: TestServer;
  const clock = new FakeClock();
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db, clock, env: { RATE_LIMIT_PER_S: '1', RATE_LIMIT_BURST: '2' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a burst past the bucket is refused with RATE_LIMITED; another user is unaffected; a token comes back after 1 s', async () => {
    const u = await guest(server, 'chatty');
    const room = await createRoom(server, u.token);
    const c = await connectAs(peers, server, u);
    const other = await connectAs(peers, server, 'calm');
    await joinRoom(c, room.id);
    await joinRoom(other, room.id);
    await say(c, room.id, 'one');
    await say(c, room.id, 'two');
    const limited = await sendRefused(c.peer, 'SEND', { destination: `/app/rooms/${room.id}/messages` }, JSON.stringify({ text: 'three' }));
    expect(limited.body['code']).toBe('RATE_LIMITED');
    expect(limited.frame.headers.get('x-error-code')).toBe('RATE_LIMITED');
    await say(other, room.id, 'not me');
    clock.advance(500);
    expect((await sendRefused(c.peer, 'SEND', { destination: `/app/rooms/${room.id}/messages` }, JSON.stringify({ text: 'half a token' }))).body['code']).toBe('RATE_LIMITED');
    clock.advance(500);
    await say(c, room.id, 'three, later');
    const h = await history(server, u.token, room.id);
    expect(h.messages.filter((m) => m.type === 'text').map((m) => m.text)).toEqual(['one', 'two', 'not me', 'three, later']);
    expect(c.peer.closed).toBe(false);
  });

  it('says when to retry: retry-after-ms on the refusal and retryAfterMs in its body, from the bucket', async () => {
    const u = await guest(server, 'hasty');
    const room = await createRoom(server, u.token);
    const c = await connectAs(peers, server, u);
    await joinRoom(c, room.id);
    await say(c, room.id, 'one');
    await say(c, room.id, 'two');
    const send = () => sendRefused(c.peer, 'SEND', { destination: `/app/rooms/${room.id}/messages` }, JSON.stringify({ text: 'more' }));
    const empty = await send();
    expect(empty.body['code']).toBe('RATE_LIMITED');
    expect(empty.body['retryAfterMs']).toBe(1000);
    expect(empty.frame.headers.get('retry-after-ms')).toBe('1000');
    clock.advance(700);
    const later = await send();
    expect(later.body['retryAfterMs']).toBe(300);
    expect(later.frame.headers.get('retry-after-ms')).toBe('300');
    clock.advance(300);
    await say(c, room.id, 'three');
  });

  it('never refuses the retry of a stored clientMsgId: with an empty bucket it still answers with the original', async () => {
    const u = await guest(server, 'retrier');
    const room = await createRoom(server, u.token);
    const c = await connectAs(peers, server, u);
    await joinRoom(c, room.id);
    const first = await say(c, room.id, 'one', 'key-1');
    await say(c, room.id, 'two', 'key-2');
    // The bucket is empty: a new message is refused, the retry of a stored one is not.
    expect((await sendRefused(c.peer, 'SEND', { destination: `/app/rooms/${room.id}/messages` }, JSON.stringify({ text: 'new', clientMsgId: 'key-3' }))).body['code']).toBe('RATE_LIMITED');
    const retry = await say(c, room.id, 'one', 'key-1');
    expect(retry.headers.get('x-duplicate')).toBe('true');
    expect(retry.headers.get('x-seq')).toBe(first.headers.get('x-seq'));
    expect(retry.headers.get('x-message-id')).toBe(first.headers.get('x-message-id'));
    clock.advance(1000);
    await say(c, room.id, 'three', 'key-3');
    const h = await history(server, u.token, room.id);
    expect(h.messages.filter((m) => m.type === 'text').map((m) => m.clientMsgId)).toEqual(['key-1', 'key-2', 'key-3']);
  });
});

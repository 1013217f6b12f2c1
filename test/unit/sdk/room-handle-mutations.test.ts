import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../../sdk/errors.js';
import { RoomHandle } from '../../../sdk/room-handle.js';
import type { RoomHost } from '../../../sdk/room-handle.js';
import type { FrameHeaders, StompConnection } from '../../../sdk/stomp-connection.js';
import type { HistoryPage, KickedBody, Message, MessageMutation, PendingMessage } from '../../../sdk/types.js';
import { FakeClock } from './fake-clock.js';

function msg(seq: number, text = `m${seq}`, sender = 'u_me'): Message {
  return { id: 100 + seq, seq, roomId: 3, type: 'text', sender: { id: sender, nickname: sender }, text, clientMsgId: null, createdAt: '', editedAt: null, deleted: false };
}
function mut(seq: number, target: Message, text?: string): MessageMutation {
  const message: Message = text === undefined ? { ...target, text: '', deleted: true } : { ...target, text, editedAt: '2026-12-01T01:00:00.000Z' };
  return { seq, roomId: 3, type: text === undefined ? 'deleted' : 'edited', message, by: { id: 'u_me', nickname: 'me' }, createdAt: '' };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

interface RestCall {
  method: string;
  path: string;
  body: unknown;
}

/**
 * A room handle on a fake connection (the network only): the test answers REST calls with `answers`,
 * sees every STOMP request, and pushes room-topic frames with `frame()`.
 */
async function joinedRoom(history: HistoryPage, answers: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const rest: RestCall[] = [];
  const requests: Array<{ destination: string; body: string; resolve(h: FrameHeaders): void; reject(e: ParleyError): void }> = [];
  let topic: ((h: FrameHeaders, body: string) => void) | undefined;
  const conn = {
    isOpen: true,
    request: (destination: string, body: string) =>
      new Promise((resolve, reject) => {
        // Joins and leaves succeed at once; chat sends wait for the test.
        if (!destination.endsWith('/messages')) return resolve({ headers: {} });
        requests.push({ destination, body, resolve: (headers) => resolve({ headers }), reject });
      }),
    subscribe: (_d: string, listener: (h: FrameHeaders, body: string) => void) => ((topic = listener), { id: 's-1' }),
    unsubscribe: () => undefined,
    publish: () => true,
  };
  const host: RoomHost = {
    clock,
    sendRetryTimeoutMs: 300_000,
    requestTimeoutMs: 1000,
    maxQueuedMessages: 10,
    maxMessagesInMemory: 50,
    typingRefreshMs: 3000,
    newId: () => 'c-1',
    userId: () => 'u_me',
    rest: <T>(method: string, path: string, body: unknown) => {
      rest.push({ method, path, body });
      const key = `${method} ${path.replace(/\?.*/, '')}`;
      if (method === 'GET' && path.includes('/messages')) return Promise.resolve(history as T);
      if (key in answers) {
        const a = answers[key];
        return a instanceof ParleyError ? Promise.reject(a) : Promise.resolve(a as T);
      }
      return Promise.reject(new ParleyError('NOT_FOUND', key));
    },
    reportError: () => undefined,
    recycle: () => undefined,
    forget: () => undefined,
    watchSignals: () => () => undefined,
  };
  const room = new RoomHandle(host, 3, undefined);
  room.attach(conn as unknown as StompConnection);
  await flush();
  const frame = (type: string, body: unknown, seq?: number): void => topic!({ 'x-type': type, ...(seq ? { 'x-seq': String(seq) } : {}) }, JSON.stringify(body));
  frame('resume', { sinceSeq: history.lastSeq, lastSeq: history.lastSeq, truncated: false });
  await room.whenReady();
  return { room, rest, requests, frame, clock, conn };
}

describe('room handle: edits and deletes', () => {
  it('applies message-edited and message-deleted frames in place and emits messageChanged once each', async () => {
    const m1 = msg(1);
    const m2 = msg(2, 'hello', 'u_other');
    const { room, frame } = await joinedRoom({ messages: [m1, m2], mutations: [], lastSeq: 2 });
    const changes: MessageMutation[] = [];
    room.on('messageChanged', (x) => changes.push(x));
    frame('message-edited', mut(3, m1, 'fixed'), 3);
    frame('message-deleted', mut(4, m2), 4);
    frame('message-deleted', mut(4, m2), 4); // duplicate (e.g. replay overlap)
    expect(changes.map((c) => [c.seq, c.type])).toEqual([
      [3, 'edited'],
      [4, 'deleted'],
    ]);
    expect(room.messages.map((m) => [m.seq, m.text, m.deleted, m.editedAt !== null])).toEqual([
      [1, 'fixed', false, true],
      [2, '', true, false],
    ]);
    expect(room.lastSeq).toBe(4);
  });

  it('emits a mutation of a message older than memory without inserting it', async () => {
    const { room, frame } = await joinedRoom({ messages: [msg(10)], mutations: [], lastSeq: 10 });
    const changes: number[] = [];
    room.on('messageChanged', (x) => changes.push(x.message.seq));
    frame('message-edited', mut(11, msg(2), 'old'), 11);
    expect(changes).toEqual([2]);
    expect(room.messages.map((m) => m.seq)).toEqual([10]);
    expect(room.lastSeq).toBe(11);
  });

  it('edit() PATCHes the message, applies the answer at once, and the later topic frame is not a second change', async () => {
    const m1 = msg(1);
    const answer = mut(2, m1, 'new text');
    const { room, rest, frame } = await joinedRoom({ messages: [m1], mutations: [], lastSeq: 1 }, { 'PATCH /api/rooms/3/messages/1': answer });
    const changes: number[] = [];
    room.on('messageChanged', (x) => changes.push(x.seq));
    await expect(room.edit(1, 'new text')).resolves.toEqual(answer);
    expect(rest.at(-1)).toEqual({ method: 'PATCH', path: '/api/rooms/3/messages/1', body: { text: 'new text' } });
    expect(room.messages[0]!.text).toBe('new text');
    frame('message-edited', answer, 2);
    expect(changes).toEqual([2]);
  });

  it('edit() answered ahead of entries still on their way leaves the mutation to the stream, in order, without paging', async () => {
    const m1 = msg(1);
    const answer = mut(3, m1, 'new text');
    const { room, rest, frame } = await joinedRoom({ messages: [m1], mutations: [], lastSeq: 1 }, { 'PATCH /api/rooms/3/messages/1': answer });
    const order: string[] = [];
    room.on('message', (m) => order.push(`message ${m.seq}`));
    room.on('messageChanged', (x) => order.push(`changed ${x.seq}`));
    await room.edit(1, 'new text');
    expect(room.messages[0]!.text).toBe('m1');
    frame('message', msg(2), 2);
    frame('message-edited', answer, 3);
    expect(order).toEqual(['message 2', 'changed 3']);
    expect(room.messages[0]!.text).toBe('new text');
    expect(rest.filter((r) => r.path.includes('after='))).toEqual([]);
  });

  it('edit() rejects with the server code (EDIT_WINDOW_CLOSED) and changes nothing', async () => {
    const { room } = await joinedRoom({ messages: [msg(1)], mutations: [], lastSeq: 1 }, { 'PATCH /api/rooms/3/messages/1': new ParleyError('EDIT_WINDOW_CLOSED', 'too old') });
    await expect(room.edit(1, 'x')).rejects.toMatchObject({ code: 'EDIT_WINDOW_CLOSED' });
    expect(room.messages[0]!.text).toBe('m1');
  });

  it('edit() and delete() throw at once for a bad seq or an empty text', async () => {
    const { room } = await joinedRoom({ messages: [], mutations: [], lastSeq: 0 });
    expect(() => room.edit(0, 'x')).toThrow(TypeError);
    expect(() => room.edit(1, '   ')).toThrow(TypeError);
    expect(() => room.delete(1.5)).toThrow(TypeError);
  });

  it('delete() sends DELETE for the seq', async () => {
    const { room, rest } = await joinedRoom({ messages: [msg(1)], mutations: [], lastSeq: 1 }, { 'DELETE /api/rooms/3/messages/1': undefined });
    await room.delete(1);
    expect(rest.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/rooms/3/messages/1' });
  });
});

describe('room handle: kicks and mutes', () => {
  it('on kicked: emits the body, closes for good, fails unsent messages and does not re-join', async () => {
    const { room, frame, conn } = await joinedRoom({ messages: [], mutations: [], lastSeq: 0 });
    const kicks: KickedBody[] = [];
    room.on('kicked', (k) => kicks.push(k));
    const joins: string[] = [];
    const request = conn.request;
    conn.request = (destination: string, body: string) => (joins.push(destination), request(destination, body));
    const pending = room.send('hello');
    frame('kicked', { roomId: 3, reason: 'ban', until: null });
    expect(kicks).toEqual([{ roomId: 3, reason: 'ban', until: null }]);
    expect(room.state).toBe('closed');
    await expect(pending).rejects.toMatchObject({ code: 'DISCONNECTED' });
    room.attach(conn as unknown as StompConnection);
    await flush();
    expect(joins.filter((d) => d.endsWith('/join'))).toEqual([]);
    await expect(room.send('again')).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });

  it('fails a send refused MUTED at once with MUTED, without retrying it', async () => {
    const { room, requests } = await joinedRoom({ messages: [], mutations: [], lastSeq: 0 });
    const changes: PendingMessage[] = [];
    room.on('pendingChanged', (p) => changes.push(p));
    const done = room.send('hello');
    await flush();
    expect(requests).toHaveLength(1);
    requests[0]!.reject(new ParleyError('MUTED', 'You are muted in this room'));
    await expect(done).rejects.toMatchObject({ code: 'MUTED' });
    await flush();
    expect(requests).toHaveLength(1);
    expect(room.pending).toMatchObject([{ state: 'failed', error: { code: 'MUTED' } }]);
    expect(room.state).toBe('live');
  });
});

describe('room handle: moderation()', () => {
  it('loads the moderation API and calls the REST routes of docs/protocol.md §3', async () => {
    const restriction = { userId: 'u_x', until: null, byId: 'u_me', createdAt: '' };
    const roomBody = { id: 3, moderatorIds: ['h_7'] };
    const { room, rest } = await joinedRoom(
      { messages: [], mutations: [], lastSeq: 0 },
      {
        'POST /api/rooms/3/kick': undefined,
        'POST /api/rooms/3/bans': restriction,
        'DELETE /api/rooms/3/bans/u_x': undefined,
        'GET /api/rooms/3/bans': { items: [restriction] },
        'POST /api/rooms/3/mutes': restriction,
        'DELETE /api/rooms/3/mutes/u_x': undefined,
        'GET /api/rooms/3/mutes': { items: [] },
        'PUT /api/rooms/3/moderators/h_7': roomBody,
        'DELETE /api/rooms/3/moderators/h_7': roomBody,
      },
    );
    const mod = await room.moderation();
    await mod.kick('u_x');
    await expect(mod.ban('u_x')).resolves.toEqual(restriction);
    await mod.ban('u_x', { durationS: 60 });
    await mod.unban('u_x');
    await expect(mod.bans()).resolves.toEqual([restriction]);
    await mod.mute('u_x', 600);
    await mod.unmute('u_x');
    await expect(mod.mutes()).resolves.toEqual([]);
    await expect(mod.addModerator('h_7')).resolves.toEqual(roomBody);
    await mod.removeModerator('h_7');
    expect(rest.filter((r) => !r.path.includes('/messages')).map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', '/api/rooms/3/kick', { userId: 'u_x' }],
      ['POST', '/api/rooms/3/bans', { userId: 'u_x' }],
      ['POST', '/api/rooms/3/bans', { userId: 'u_x', durationS: 60 }],
      ['DELETE', '/api/rooms/3/bans/u_x', undefined],
      ['GET', '/api/rooms/3/bans', undefined],
      ['POST', '/api/rooms/3/mutes', { userId: 'u_x', durationS: 600 }],
      ['DELETE', '/api/rooms/3/mutes/u_x', undefined],
      ['GET', '/api/rooms/3/mutes', undefined],
      ['PUT', '/api/rooms/3/moderators/h_7', undefined],
      ['DELETE', '/api/rooms/3/moderators/h_7', undefined],
    ]);
  });

  it('rejects bad arguments at once and passes refusals through by code', async () => {
    const { room } = await joinedRoom({ messages: [], mutations: [], lastSeq: 0 }, { 'POST /api/rooms/3/kick': new ParleyError('NOT_MODERATOR', 'no') });
    const mod = await room.moderation();
    expect(() => mod.kick('')).toThrow(TypeError);
    expect(() => mod.mute('u_x', 0)).toThrow(RangeError);
    expect(() => mod.ban('u_x', { durationS: 31_536_001 })).toThrow(RangeError);
    await expect(mod.kick('u_x')).rejects.toMatchObject({ code: 'NOT_MODERATOR' });
  });
});

/**
 * Shared helpers for the STOMP and rooms integration suites: real servers, real sockets, and a
 * few waits that express what a peer observes. No mocks.
 */
import { expect } from 'vitest';
import type { Frame } from '../../../backend/stomp/frame.js';
import { RawStomp } from '../../helpers/raw-stomp.js';
import { api, guest, type TestServer } from '../../helpers/server.js';

export const ERRORS = '/user/queue/errors';

export function wsUrl(server: TestServer): string {
  return `${server.url.replace(/^http/, 'ws')}/ws`;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Keeps every peer a test opened so `afterEach` can drop them. */
export class Peers {
  private readonly all: RawStomp[] = [];

  track(peer: RawStomp): RawStomp {
    this.all.push(peer);
    return peer;
  }

  async ws(server: TestServer): Promise<RawStomp> {
    return this.track(await RawStomp.ws(wsUrl(server)));
  }

  async tcp(server: TestServer): Promise<RawStomp> {
    if (server.tcpPort === undefined) throw new Error('server has no TCP port');
    return this.track(await RawStomp.tcp(server.tcpPort));
  }

  closeAll(): void {
    for (const p of this.all.splice(0)) {
      try {
        p.close();
      } catch {
        // already gone
      }
    }
  }
}

export interface User {
  token: string;
  user: { id: string; nickname: string };
}

export interface Client extends User {
  peer: RawStomp;
  connected: Frame;
}

let receiptCounter = 0;
export function rid(prefix = 'r'): string {
  return `${prefix}-${++receiptCounter}`;
}

/** CONNECT over WebSocket, then subscribe to `/user/queue/errors` and wait for its RECEIPT. */
export async function connectAs(peers: Peers, server: TestServer, who: User | string, extra: Record<string, string> = {}): Promise<Client> {
  const u = typeof who === 'string' ? await guest(server, who) : who;
  const peer = await peers.ws(server);
  const connected = await peer.connect(u.token, extra);
  expect(connected.command, JSON.stringify(Object.fromEntries(connected.headers))).toBe('CONNECTED');
  const r = rid('errq');
  peer.send('SUBSCRIBE', { id: 'errors', destination: ERRORS, receipt: r });
  await peer.receipt(r);
  return { ...u, peer, connected };
}

/** Sends a frame with a fresh receipt and waits for that RECEIPT (fails on a refusal or ERROR first). */
export async function sendOk(peer: RawStomp, command: Parameters<RawStomp['send']>[0], headers: Record<string, string>, body?: string | Buffer, timeoutMs = 5000): Promise<Frame> {
  const r = rid();
  peer.send(command, { ...headers, receipt: r }, body);
  const f = await peer.next(
    (x) =>
      (x.command === 'RECEIPT' && x.headers.get('receipt-id') === r) ||
      x.command === 'ERROR' ||
      (x.command === 'MESSAGE' && x.headers.get('destination') === ERRORS && x.headers.get('receipt-id') === r),
    timeoutMs,
  );
  if (f.command !== 'RECEIPT') throw new Error(`expected RECEIPT ${r}, got ${f.command} ${JSON.stringify(Object.fromEntries(f.headers))} ${f.body.toString()}`);
  return f;
}

/**
 * Sends a frame with a fresh receipt and waits for the server's answer to it: its RECEIPT, its
 * refusal on `/user/queue/errors`, or an ERROR.
 */
export async function sendAndAnswer(peer: RawStomp, command: Parameters<RawStomp['send']>[0], headers: Record<string, string>, body?: string | Buffer, prefix = 'r'): Promise<{ frame: Frame; receipt: string }> {
  const r = rid(prefix);
  peer.send(command, { ...headers, receipt: r }, body);
  const frame = await peer.next(
    (x) =>
      (x.command === 'RECEIPT' && x.headers.get('receipt-id') === r) ||
      x.command === 'ERROR' ||
      (x.command === 'MESSAGE' && x.headers.get('destination') === ERRORS && x.headers.get('receipt-id') === r),
  );
  return { frame, receipt: r };
}

/** Sends a frame with a fresh receipt and expects a refusal for it on `/user/queue/errors`. */
export async function sendRefused(peer: RawStomp, command: Parameters<RawStomp['send']>[0], headers: Record<string, string>, body?: string | Buffer): Promise<{ frame: Frame; body: Record<string, unknown>; receipt: string }> {
  const { frame: f, receipt: r } = await sendAndAnswer(peer, command, headers, body, 'refuse');
  if (f.command !== 'MESSAGE') throw new Error(`expected a refusal for ${r}, got ${f.command} ${JSON.stringify(Object.fromEntries(f.headers))}`);
  return { frame: f, body: JSON.parse(f.body.toString('utf8')) as Record<string, unknown>, receipt: r };
}

/** The next ERROR frame, and the close that must follow it. */
export async function expectErrorThenClose(peer: RawStomp, code: string, timeoutMs = 5000): Promise<Frame> {
  const f = await peer.next((x) => x.command === 'ERROR', timeoutMs);
  expect(f.headers.get('x-error-code'), f.body.toString()).toBe(code);
  expect(f.headers.get('message')?.length ?? 0).toBeGreaterThan(0);
  await peer.waitClosed(timeoutMs);
  return f;
}

export function json<T = Record<string, unknown>>(f: Frame): T {
  return JSON.parse(f.body.toString('utf8')) as T;
}

export function headersOf(f: Frame): Record<string, string> {
  return Object.fromEntries(f.headers);
}

/**
 * A round trip on `c`'s connection (a SEND with a receipt to a topic nobody reads): everything
 * the server wrote to it before has arrived once this resolves. Lets a test assert that nothing
 * came without waiting on the wall clock. Needs open destinations (the default).
 */
export async function flush(peer: RawStomp): Promise<void> {
  await sendOk(peer, 'SEND', { destination: '/topic/test-flush' }, '');
}

/**
 * Resolves once the server has dropped the session behind `c`: the peer's own close event says
 * nothing about when the server noticed, and a leave-grace timer starts only then.
 */
export async function serverClosed(server: TestServer, c: Client, timeoutMs = 5000): Promise<void> {
  const id = c.connected.headers.get('session');
  const held = (): boolean => [...server.app.broker.allSessions()].some((s) => s.id === id);
  if (await eventually(async () => held(), (h) => !h, timeoutMs)) throw new Error(`the server still holds session ${id}`);
}

/** Frames received and not yet consumed that match. */
export function pending(peer: RawStomp, pred: (f: Frame) => boolean): Frame[] {
  return peer.frames.filter(pred);
}

/** Polls `fn` until `ok` holds or the deadline passes; returns the last value. */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await fn();
  while (!ok(v) && Date.now() < deadline) {
    await sleep(everyMs);
    v = await fn();
  }
  return v;
}

// --- rooms ------------------------------------------------------------------

// The protocol module's shapes, under the names these suites have always used.
import type { Message as MessageJson, Room as RoomJson } from '../../../sdk/protocol/shapes.js';
export type { MessageJson, RoomJson };

export async function createRoom(server: TestServer, token: string, body: Record<string, unknown> = {}): Promise<RoomJson> {
  const res = await api<RoomJson>(server, 'POST', '/api/rooms', token, { name: `room ${rid('n')}`, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export async function joinRoom(c: Client, roomId: number, password?: string): Promise<Frame> {
  return sendOk(c.peer, 'SEND', { destination: `/app/rooms/${roomId}/join`, 'content-type': 'application/json' }, password === undefined ? '' : JSON.stringify({ password }));
}

/** SUBSCRIBE to the room topic (after a join) and wait for the RECEIPT. */
export async function subscribeRoom(c: Client, roomId: number, id = `room-${roomId}`, extra: Record<string, string> = {}): Promise<string> {
  await sendOk(c.peer, 'SUBSCRIBE', { id, destination: `/topic/rooms/${roomId}`, ...extra });
  return id;
}

export async function say(c: Client, roomId: number, text: string, clientMsgId?: string): Promise<Frame> {
  return sendOk(c.peer, 'SEND', { destination: `/app/rooms/${roomId}/messages`, 'content-type': 'application/json' }, JSON.stringify(clientMsgId === undefined ? { text } : { text, clientMsgId }));
}

export async function roomCount(server: TestServer, roomId: number): Promise<number> {
  const res = await api<{ rooms: RoomJson[] }>(server, 'GET', '/api/rooms');
  const room = res.body.rooms.find((r) => r.id === roomId);
  if (room === undefined) throw new Error(`room ${roomId} not listed`);
  return room.userCount;
}

export async function history(server: TestServer, token: string, roomId: number, query = ''): Promise<{ messages: MessageJson[]; lastSeq: number }> {
  const res = await api<{ messages: MessageJson[]; lastSeq: number }>(server, 'GET', `/api/rooms/${roomId}/messages${query}`, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Room-topic frames of one x-type. */
export function isRoomFrame(roomId: number, type: string): (f: Frame) => boolean {
  return (f) => f.command === 'MESSAGE' && f.headers.get('destination') === `/topic/rooms/${roomId}` && f.headers.get('x-type') === type;
}

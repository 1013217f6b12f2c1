import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ParleyError } from '../../../sdk/errors.js';
import { StompConnection } from '../../../sdk/stomp-connection.js';
import type { StompConnectionOptions } from '../../../sdk/stomp-connection.js';
import type { WebSocketLike } from '../../../sdk/transport.js';
import { FakeClock } from './fake-clock.js';

/** A socket the test plays the server on: it records what the client writes and delivers frames. */
class ScriptedSocket implements WebSocketLike {
  readonly url = 'ws://test/ws';
  readyState = 0;
  binaryType?: string;
  onopen: ((event: never) => unknown) | null | undefined = null;
  onclose: ((event: never) => unknown) | null | undefined = null;
  onerror: ((event: never) => unknown) | null | undefined = null;
  onmessage: ((event: never) => unknown) | null | undefined = null;
  written: string[] = [];
  closed = 0;

  open(): void {
    this.readyState = 1;
    (this.onopen as ((e: unknown) => void) | null)?.({});
  }
  send(data: string): void {
    this.written.push(data);
  }
  close(): void {
    this.closed++;
    this.readyState = 3;
    (this.onclose as ((e: unknown) => void) | null)?.({ code: 1000 });
  }
  /** Delivers raw bytes or text, as one WebSocket message. */
  deliver(data: string | ArrayBuffer): void {
    (this.onmessage as ((e: unknown) => void) | null)?.({ data });
  }
  frame(command: string, headers: Record<string, string>, body = ''): void {
    this.deliver(`${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}\n`).join('')}\n${body}\0`);
  }
  /** The frames the client wrote, parsed (heart-beat EOLs left out). */
  frames(): Array<{ command: string; headers: Record<string, string>; body: string }> {
    return this.written
      .filter((w) => w !== '\n')
      .map((w) => {
        const [head = '', body = ''] = w.split('\n\n');
        const [command = '', ...lines] = head.split('\n');
        return { command, headers: Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)])), body: body.replace(/\0$/, '') };
      });
  }
}

async function connected(over: Partial<StompConnectionOptions> = {}, serverBeat = '0,0') {
  const socket = new ScriptedSocket();
  const lost: ParleyError[] = [];
  const unrouted: ParleyError[] = [];
  const opening = StompConnection.open({
    socketFactory: () => socket,
    token: 'tok',
    clock: new FakeClock(),
    requestTimeoutMs: 5000,
    heartbeatMs: 10_000,
    onLost: (e) => lost.push(e),
    onUnroutedRefusal: (e) => unrouted.push(e),
    ...over,
  });
  socket.open();
  socket.frame('CONNECTED', { version: '1.2', 'heart-beat': serverBeat, 'user-name': 'u_42' });
  const conn = await opening;
  return { conn, socket, lost, unrouted };
}

afterEach(() => vi.useRealTimers());

describe('StompConnection', () => {
  it('sends CONNECT with the token and heart-beat wish, reads the user id, and subscribes to its refusals', async () => {
    const { conn, socket } = await connected();
    const [connect, sub] = socket.frames();
    expect(connect).toMatchObject({ command: 'CONNECT', headers: { 'accept-version': '1.2', 'heart-beat': '10000,10000', Authorization: 'Bearer tok' } });
    expect(sub).toMatchObject({ command: 'SUBSCRIBE', headers: { destination: '/user/queue/errors' } });
    expect(conn.userId).toBe('u_42');
    expect(conn.isOpen).toBe(true);
  });

  it('escapes header values (STOMP 1.2), counts content-length in UTF-8 bytes, and resolves a request with its RECEIPT', async () => {
    const { conn, socket } = await connected();
    const done = conn.request('/app/rooms/1/messages', '{"text":"안녕"}', { 'x-note': 'a:b\nc\\d' });
    const send = socket.frames().at(-1)!;
    expect(send.command).toBe('SEND');
    expect(send.headers).toMatchObject({ destination: '/app/rooms/1/messages', 'x-note': 'a\\cb\\nc\\\\d', 'content-length': String(new TextEncoder().encode('{"text":"안녕"}').length) });
    socket.frame('RECEIPT', { 'receipt-id': send.headers.receipt!, 'x-seq': '42' });
    await expect(done).resolves.toMatchObject({ command: 'RECEIPT', headers: { 'x-seq': '42' } });
  });

  it('routes MESSAGE frames by subscription, unescaping headers and decoding binary bodies as UTF-8', async () => {
    const { conn, socket } = await connected();
    const got: Array<[string | undefined, string]> = [];
    const sub = conn.subscribe('/topic/rooms/1', (h, b) => got.push([h['x-type'], b]), { 'x-since-seq': '7' })!;
    expect(socket.frames().at(-1)).toMatchObject({ command: 'SUBSCRIBE', headers: { destination: '/topic/rooms/1', id: sub.id, 'x-since-seq': '7' } });
    socket.frame('MESSAGE', { subscription: sub.id, 'x-type': 'message\\cedited' }, '{"a":1}');
    const bytes = new TextEncoder().encode(`MESSAGE\nsubscription:${sub.id}\nx-type:typing\n\n민수\0`);
    socket.deliver(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    socket.frame('MESSAGE', { subscription: 'other', 'x-type': 'x' }, 'ignored');
    expect(got).toEqual([
      ['message:edited', '{"a":1}'],
      ['typing', '민수'],
    ]);
    conn.unsubscribe(sub);
    expect(socket.frames().at(-1)).toMatchObject({ command: 'UNSUBSCRIBE', headers: { id: sub.id } });
    socket.frame('MESSAGE', { subscription: sub.id, 'x-type': 'late' }, '{}');
    expect(got).toHaveLength(2);
  });

  it("rejects a request with the refusal that names its receipt, and reports refusals that name none", async () => {
    const { conn, socket, unrouted } = await connected();
    const errorsSub = socket.frames()[1]!.headers.id!;
    const done = conn.request('/app/rooms/1/messages', '{}');
    const receipt = socket.frames().at(-1)!.headers.receipt!;
    socket.frame('MESSAGE', { subscription: errorsSub, 'receipt-id': receipt }, JSON.stringify({ code: 'MUTED', message: 'You are muted in this room' }));
    await expect(done).rejects.toMatchObject({ code: 'MUTED' });
    socket.frame('MESSAGE', { subscription: errorsSub }, JSON.stringify({ code: 'RATE_LIMITED', message: 'slow', retryAfterMs: 900 }));
    expect(unrouted.map((e) => [e.code, e.retryAfterMs])).toEqual([['RATE_LIMITED', 900]]);
  });

  it('rejects the opening with the code of an ERROR frame and drops the socket', async () => {
    const socket = new ScriptedSocket();
    const opening = StompConnection.open({ socketFactory: () => socket, token: 'old', clock: new FakeClock(), requestTimeoutMs: 5000, heartbeatMs: 0, onLost: () => undefined, onUnroutedRefusal: () => undefined });
    socket.open();
    socket.frame('ERROR', { 'x-error-code': 'TOKEN_EXPIRED', message: 'The token has expired' });
    await expect(opening).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(socket.closed).toBe(1);
  });

  it('reports a lost connection once and fails what was in flight with DISCONNECTED', async () => {
    const { conn, socket, lost } = await connected();
    const done = conn.request('/app/rooms/1/join', '{}');
    socket.close();
    socket.close();
    await expect(done).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(lost.map((e) => e.code)).toEqual(['DISCONNECTED']);
    expect(conn.isOpen).toBe(false);
  });

  it('close() sends DISCONNECT, drops the socket on its RECEIPT, and never reports a loss', async () => {
    const { conn, socket, lost } = await connected();
    const closing = conn.close();
    const disconnect = socket.frames().at(-1)!;
    expect(disconnect.command).toBe('DISCONNECT');
    socket.frame('RECEIPT', { 'receipt-id': disconnect.headers.receipt! });
    await closing;
    expect(socket.closed).toBe(1);
    expect(lost).toEqual([]);
  });

  it('beats every max(own, server) ms, and drops a server silent for twice its interval', async () => {
    vi.useFakeTimers();
    const { socket, lost } = await connected({ heartbeatMs: 10_000 }, '15000,20000');
    vi.advanceTimersByTime(20_000);
    expect(socket.written.filter((w) => w === '\n')).toHaveLength(1);
    // The server said 15 s, we 10 s: the check runs every 15 s and allows 30 s of silence.
    socket.deliver('\n');
    vi.advanceTimersByTime(29_000);
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(16_000);
    expect(lost.map((e) => e.code)).toEqual(['DISCONNECTED']);
    expect(socket.closed).toBe(1);
  });
});

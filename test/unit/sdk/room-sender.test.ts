import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../../sdk/errors.js';
import { MessageBuffer } from '../../../sdk/message-buffer.js';
import { RoomHandle } from '../../../sdk/room-handle.js';
import type { RoomHost } from '../../../sdk/room-handle.js';
import { roomSender } from '../../../sdk/room-sender.js';
import { SendQueue } from '../../../sdk/send-queue.js';
import type { StompConnection } from '../../../sdk/stomp-connection.js';
import type { Message, PendingMessage } from '../../../sdk/types.js';
import { FakeClock } from './fake-clock.js';

function host(sendRetryTimeoutMs = 300_000, clock = new FakeClock()): RoomHost {
  let n = 0;
  return {
    clock,
    sendRetryTimeoutMs,
    requestTimeoutMs: 1000,
    maxQueuedMessages: 10,
    maxMessagesInMemory: 50,
    typingRefreshMs: 3000,
    newId: () => `gen-${++n}`,
    userId: () => 'u_me',
    rest: () => Promise.reject(new Error('no REST here')),
    reportError: () => undefined,
    recycle: () => undefined,
    forget: () => undefined,
    watchSignals: () => () => undefined,
  };
}

/** A connection whose requests the test answers one by one. */
function fakeConnection() {
  const sent: Array<{ destination: string; body: { text: string; clientMsgId: string }; resolve(seq: number): void; reject(e: ParleyError): void }> = [];
  const conn = {
    isOpen: true,
    request: (destination: string, body: string) =>
      new Promise((resolve, reject) =>
        sent.push({ destination, body: JSON.parse(body), resolve: (seq) => resolve({ headers: { 'x-seq': String(seq) } }), reject }),
      ),
  };
  return { conn: conn as unknown as StompConnection, sent };
}
const stored = (seq: number, clientMsgId: string, text = 'hi'): Message => ({ id: seq, seq, roomId: 3, type: 'text', sender: { id: 'u_me', nickname: 'me' }, text, clientMsgId, createdAt: '', editedAt: null, deleted: false });
const settle = () => new Promise((r) => setTimeout(r, 0));

function setup(sendRetryTimeoutMs?: number) {
  const { conn, sent } = fakeConnection();
  const buffer = new MessageBuffer(50);
  const changes: PendingMessage[] = [];
  const clock = new FakeClock();
  const sender = roomSender(host(sendRetryTimeoutMs, clock), 3, buffer, () => conn, (m) => changes.push(m));
  return { conn, sent, buffer, changes, sender, clock };
}

describe('room sender', () => {
  it('sends with the clientMsgId the app chose and resolves with the stored message carrying it', async () => {
    const { sent, buffer, sender } = setup();
    const done = sender.send('hi', 'my-key_1');
    expect(sender.queue.snapshot()).toMatchObject([{ clientMsgId: 'my-key_1', state: 'pending' }]);
    expect(sent[0]).toMatchObject({ destination: '/app/rooms/3/messages', body: { text: 'hi', clientMsgId: 'my-key_1' } });
    buffer.setBaseline(0);
    const m = stored(1, 'my-key_1');
    for (const x of buffer.push([m])) sender.delivered(x as Message);
    await expect(done).resolves.toMatchObject({ seq: 1, clientMsgId: 'my-key_1' });
  });

  it('settles from memory when the RECEIPT names a message delivered before it', async () => {
    const { sent, buffer, sender } = setup();
    const done = sender.send('hi');
    buffer.setBaseline(0);
    buffer.push([stored(1, 'someone-else')]);
    sent[0]!.resolve(1);
    await expect(done).resolves.toMatchObject({ seq: 1 });
  });

  it('with sendRetryTimeoutMs 0, reports RATE_LIMITED at once instead of resending', async () => {
    const { sent, sender } = setup(0);
    const done = sender.send('hi');
    sent[0]!.reject(new ParleyError('RATE_LIMITED', 'slow down'));
    await expect(done).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(sent).toHaveLength(1);
    expect(sender.queue.snapshot()).toMatchObject([{ state: 'failed' }]);
  });

  it('resends a TIMEOUT with the same clientMsgId, three attempts on one connection, then fails', async () => {
    const { sent, sender } = setup();
    const failed = expect(sender.send('hi')).rejects.toMatchObject({ code: 'TIMEOUT' });
    for (let i = 0; i < 3; i++) {
      sent[i]!.reject(ParleyError.timeout('send', 1000));
      await settle();
    }
    await failed;
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((s) => s.body.clientMsgId)).size).toBe(1);
  });
});

describe('room sender pacing (issue 11, item 13)', () => {
  const limited = (retryAfterMs?: number) => ParleyError.fromServer({ code: 'RATE_LIMITED', message: 'slow down', ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  const ids = (sent: { body: { clientMsgId: string } }[]) => sent.map((s) => s.body.clientMsgId);

  it('sends a backlog in order, at most a window in flight, and fills the window as receipts come', async () => {
    const { sent, sender } = setup();
    for (let i = 0; i < 10; i++) void sender.send(`m${i}`, `k${i}`);
    expect(ids(sent)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
    sent[0]!.resolve(1);
    sent[1]!.resolve(2);
    await settle();
    expect(ids(sent).slice(8)).toEqual(['k8', 'k9']);
  });

  it('retries a RATE_LIMITED send after retryAfterMs (with jitter) with the same clientMsgId, the queue in order, one at a time', async () => {
    const { sent, sender, clock, buffer } = setup();
    buffer.setBaseline(0);
    // As on the wire: the message is broadcast (delivered), then its RECEIPT arrives.
    const ok = (i: number, seq: number) => {
      for (const m of buffer.push([stored(seq, sent[i]!.body.clientMsgId)])) sender.delivered(m as Message);
      sent[i]!.resolve(seq);
    };
    const done = [0, 1, 2].map((i) => sender.send(`m${i}`, `k${i}`));
    // The bucket is empty: the server refuses all three, naming the time until its next token.
    for (const s of sent) s.reject(limited(200));
    await settle();
    expect(sent).toHaveLength(3);
    expect(sender.queue.snapshot().map((p) => p.state)).toEqual(['pending', 'pending', 'pending']);
    clock.advance(199);
    expect(sent).toHaveLength(3);
    clock.advance(51); // 200 ms plus at most a quarter of jitter
    expect(ids(sent).slice(3)).toEqual(['k0']);
    ok(3, 1);
    await settle();
    expect(ids(sent).slice(4)).toEqual(['k1']);
    sent[4]!.reject(limited(200));
    await settle();
    clock.advance(250);
    expect(ids(sent).slice(5)).toEqual(['k1']);
    ok(5, 2);
    await settle();
    ok(6, 3);
    await settle();
    expect(ids(sent)).toEqual(['k0', 'k1', 'k2', 'k0', 'k1', 'k1', 'k2']);
    // Drained: the full window again.
    for (let i = 3; i < 6; i++) void sender.send(`m${i}`, `k${i}`);
    expect(ids(sent).slice(7)).toEqual(['k3', 'k4', 'k5']);
    await expect(Promise.all(done)).resolves.toMatchObject([{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
  });

  it('waits 1 s (plus jitter) after UNAVAILABLE or a RATE_LIMITED that names no wait', async () => {
    const { sent, sender, clock } = setup();
    void sender.send('a', 'ka');
    sent[0]!.reject(new ParleyError('UNAVAILABLE', 'db down'));
    await settle();
    clock.advance(999);
    expect(sent).toHaveLength(1);
    clock.advance(251);
    expect(ids(sent)).toEqual(['ka', 'ka']);
    sent[1]!.reject(limited());
    await settle();
    clock.advance(1250);
    expect(ids(sent)).toEqual(['ka', 'ka', 'ka']);
  });

  it('gives up after sendRetryTimeoutMs from send(), rejecting with the last error and its retryAfterMs', async () => {
    const { sent, sender, clock } = setup(2000);
    const done = sender.send('hi', 'k');
    const outcome = done.then(() => 'resolved', (e: ParleyError) => e);
    for (let i = 0; i < 10 && sent.length === i + 1; i++) {
      sent[i]!.reject(limited(500));
      await settle();
      clock.advance(625);
    }
    const error = await outcome;
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 500 });
    // Retried while within 2 s of send(), then no more.
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent.length).toBeLessThanOrEqual(4);
    expect(new Set(ids(sent))).toEqual(new Set(['k']));
    expect(sender.queue.snapshot()).toMatchObject([{ state: 'failed', clientMsgId: 'k' }]);
  });

  it('rejects at once on a hard error, and the next message goes out', async () => {
    const { sent, sender } = setup();
    const first = sender.send('x'.repeat(3000), 'long');
    const failed = expect(first).rejects.toMatchObject({ code: 'MESSAGE_TOO_LONG' });
    void sender.send('short', 'next');
    sent[0]!.reject(new ParleyError('MESSAGE_TOO_LONG', 'too long'));
    await failed;
    expect(ids(sent)).toEqual(['long', 'next']);
  });

  it('forgets the wait when the connection is gone: the new connection sends at once', async () => {
    const { sent, sender } = setup();
    void sender.send('a', 'ka');
    sent[0]!.reject(limited(60_000));
    await settle();
    sender.reset();
    sender.pump();
    expect(ids(sent)).toEqual(['ka', 'ka']);
  });
});

describe('ParleyError.retryAfterMs', () => {
  it('is read from a refusal or REST error body, and absent otherwise', () => {
    expect(ParleyError.fromServer({ code: 'RATE_LIMITED', message: 'slow', retryAfterMs: 850 }).retryAfterMs).toBe(850);
    expect(ParleyError.fromServer({ error: { code: 'RATE_LIMITED', message: 'slow', retryAfterMs: 12 } }).retryAfterMs).toBe(12);
    expect(ParleyError.fromServer({ code: 'RATE_LIMITED', message: 'slow', retryAfterMs: '850' }).retryAfterMs).toBeUndefined();
    expect(new ParleyError('TIMEOUT', 't').retryAfterMs).toBeUndefined();
  });
});

describe('SendQueue with an app-chosen clientMsgId', () => {
  it('uses the given key, and a retry with the key of a failed entry replaces it', async () => {
    const q = new SendQueue({ roomId: 3, maxQueuedMessages: 5, newId: () => 'generated', now: () => 0 });
    const first = q.add('x', 'key-1');
    expect(first.entry.clientMsgId).toBe('key-1');
    q.fail('key-1', new ParleyError('RATE_LIMITED', 'slow down'));
    await expect(first.done).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    q.add('x', 'key-1');
    expect(q.snapshot().map((p) => [p.clientMsgId, p.state])).toEqual([['key-1', 'pending']]);
    expect(q.add('y').entry.clientMsgId).toBe('generated');
  });
});

describe('RoomHandle.send options', () => {
  it('throws a TypeError at once for a malformed or pending clientMsgId', () => {
    const room = new RoomHandle(host(), 3, undefined);
    for (const bad of ['', 'has space', 'x'.repeat(65), 'émoji', 'a/b']) {
      expect(() => room.send('hi', { clientMsgId: bad })).toThrow(TypeError);
    }
    void room.send('hi', { clientMsgId: 'ok-Key_9' }).catch(() => undefined);
    expect(room.pending.map((p) => p.clientMsgId)).toEqual(['ok-Key_9']);
    expect(() => room.send('again', { clientMsgId: 'ok-Key_9' })).toThrow(TypeError);
    expect(() => void room.send('hi', { clientMsgId: 'x'.repeat(64) }).catch(() => undefined)).not.toThrow();
    room.close(ParleyError.disconnected('done'));
  });
});

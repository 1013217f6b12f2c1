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

function host(): RoomHost {
  let n = 0;
  return {
    clock: new FakeClock(),
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
const stored = (seq: number, clientMsgId: string, text = 'hi'): Message => ({ id: seq, seq, roomId: 3, type: 'text', sender: { id: 'u_me', nickname: 'me' }, text, clientMsgId, createdAt: '' });
const settle = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const { conn, sent } = fakeConnection();
  const buffer = new MessageBuffer(50);
  const changes: PendingMessage[] = [];
  const sender = roomSender(host(), 3, buffer, () => conn, (m) => changes.push(m));
  return { conn, sent, buffer, changes, sender };
}

describe('room sender', () => {
  it('sends with the clientMsgId the app chose and resolves with the stored message carrying it', async () => {
    const { sent, buffer, sender } = setup();
    const done = sender.send('hi', 'my-key_1');
    expect(sender.queue.snapshot()).toMatchObject([{ clientMsgId: 'my-key_1', state: 'pending' }]);
    expect(sent[0]).toMatchObject({ destination: '/app/rooms/3/messages', body: { text: 'hi', clientMsgId: 'my-key_1' } });
    buffer.setBaseline(0);
    const m = stored(1, 'my-key_1');
    for (const x of buffer.push([m])) sender.delivered(x);
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

  it('reports RATE_LIMITED at once instead of resending', async () => {
    const { sent, sender } = setup();
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

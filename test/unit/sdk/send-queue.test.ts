import { describe, expect, it } from 'vitest';
import { SendQueue } from '../../../sdk/send-queue.js';
import { ParleyError } from '../../../sdk/errors.js';
import type { Message, PendingMessage } from '../../../sdk/types.js';

function makeQueue(max = 3) {
  let n = 0;
  const changes: PendingMessage[] = [];
  const q = new SendQueue({
    roomId: 7,
    maxQueuedMessages: max,
    newId: () => `id-${++n}`,
    now: () => 1000 + n,
    onChange: (m) => changes.push(m),
  });
  return { q, changes };
}
function stored(seq: number, clientMsgId: string, text = 't'): Message {
  return { id: seq, seq, roomId: 7, type: 'text', sender: { id: 'u', nickname: 'n' }, text, clientMsgId, createdAt: '', editedAt: null, deleted: false };
}
const connA = {};
const connB = {};

describe('SendQueue', () => {
  it('is bounded: QUEUE_FULL past maxQueuedMessages', () => {
    const { q } = makeQueue(2);
    q.add('a');
    q.add('b');
    expect(() => q.add('c')).toThrow(ParleyError);
    try {
      q.add('c');
    } catch (e) {
      expect((e as ParleyError).code).toBe('QUEUE_FULL');
    }
    expect(q.size).toBe(2);
  });

  it('hands out entries in send order, once per connection', () => {
    const { q } = makeQueue(5);
    q.add('a');
    q.add('b');
    q.add('c');
    expect(q.takeForSend(connA).map((e) => e.text)).toEqual(['a', 'b', 'c']);
    expect(q.takeForSend(connA)).toEqual([]);
  });

  it('resends with the same clientMsgId after a lost attempt or on a new connection', () => {
    const { q } = makeQueue(5);
    q.add('a');
    q.add('b');
    const first = q.takeForSend(connA).map((e) => e.clientMsgId);
    // The connection dropped: both go out again, in order, with the same ids.
    const second = q.takeForSend(connB).map((e) => e.clientMsgId);
    expect(second).toEqual(first);
    q.release(first[0]!);
    const third = q.takeForSend(connB).map((e) => e.clientMsgId);
    expect(third).toEqual([first[0]]);
    expect(q.get(first[0]!)?.attempts).toBe(3);
  });

  it('moves pending → sent → delivered, resolving the promise with the stored message', async () => {
    const { q, changes } = makeQueue();
    const { entry, done } = q.add('hello');
    q.takeForSend(connA);
    q.markSent(entry.clientMsgId, 42);
    expect(q.snapshot().map((p) => [p.state, p.seq])).toEqual([['sent', 42]]);
    expect(q.complete(entry.clientMsgId, stored(42, entry.clientMsgId, 'hello'))).toBe(true);
    await expect(done).resolves.toMatchObject({ seq: 42, text: 'hello' });
    expect(q.size).toBe(0);
    // pending, the RECEIPT's `sent`, then delivery: the entry leaves `pending` and the app is told.
    expect(changes.map((c) => c.state)).toEqual(['pending', 'sent', 'sent']);
    expect(q.snapshot()).toEqual([]);
    // A late RECEIPT or a replayed copy finds nothing to do: the app saw it once.
    expect(q.complete(entry.clientMsgId, stored(42, entry.clientMsgId))).toBe(false);
  });

  it('fails a refused send with its typed error and keeps it visible until dismissed', async () => {
    const { q } = makeQueue();
    const { entry, done } = q.add('x');
    q.fail(entry.clientMsgId, new ParleyError('RATE_LIMITED', 'slow down'));
    await expect(done).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(q.snapshot().map((p) => p.state)).toEqual(['failed']);
    expect(q.size).toBe(0); // failed entries do not count against the bound
    expect(q.dismiss(entry.clientMsgId)).toBe(true);
    expect(q.snapshot()).toEqual([]);
  });

  it('failAll rejects every unconfirmed entry', async () => {
    const { q } = makeQueue();
    const a = q.add('a');
    const b = q.add('b');
    q.failAll(ParleyError.disconnected());
    await expect(a.done).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await expect(b.done).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });

  it('lists sent entries whose seq is already behind the delivered position', () => {
    const { q } = makeQueue();
    const a = q.add('a');
    const b = q.add('b');
    q.markSent(a.entry.clientMsgId, 5);
    q.markSent(b.entry.clientMsgId, 9);
    expect(q.sentUpTo(6).map((e) => e.text)).toEqual(['a']);
  });
});

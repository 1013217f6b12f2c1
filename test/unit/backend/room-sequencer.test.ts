import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { decodeBusMessage, encodeBusMessage } from '../../../backend/cluster/bus-codec.js';
import { RoomSequencer, messageSeq, type RoomHistory } from '../../../backend/cluster/room-sequencer.js';
import { PreparedMessage } from '../../../backend/stomp/frame.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const msg = (seq: number): PreparedMessage => new PreparedMessage('/topic/rooms/1', { 'x-type': 'message', 'x-seq': String(seq) }, `m${seq}`);
const typing = (): PreparedMessage => new PreparedMessage('/topic/rooms/1', { 'x-type': 'typing' }, '{}');

/** A database holding seqs 1..last. */
function history(last: () => number, reads: number[][] = []): RoomHistory {
  return {
    lastSeq: async () => last(),
    range: async (_room, after, upTo) => {
      reads.push([after, upTo]);
      const out: PreparedMessage[] = [];
      for (let s = after + 1; s <= Math.min(upTo, last()); s++) out.push(msg(s));
      return out;
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup(lastSeq: number) {
  let stored = lastSeq;
  const clock = new FakeClock();
  const got: string[] = [];
  const reads: number[][] = [];
  const seq = new RoomSequencer(1, (m) => got.push(m.headers.get('x-type') === 'message' ? String(messageSeq(m)) : m.headers.get('x-type')!), history(() => stored, reads), clock, pino({ level: 'silent' }), 100);
  return { seq, clock, got, reads, store: (n: number) => (stored = n) };
}

describe('RoomSequencer', () => {
  it('delivers out-of-order arrivals in seq order and drops repeats, without reading the database', async () => {
    const { seq, got, reads, store } = setup(10);
    await seq.start();
    store(14);
    for (const s of [12, 11, 11, 14, 13, 12]) seq.push(msg(s));
    expect(got).toEqual(['11', '12', '13', '14']);
    expect(reads).toEqual([]);
  });

  it('fills a hole that stays open from the database after the wait, then continues live', async () => {
    const { seq, clock, got, reads, store } = setup(0);
    await seq.start();
    store(3);
    seq.push(msg(1));
    seq.push(msg(3));
    seq.push(typing());
    expect(got).toEqual(['1', 'typing']);
    clock.advance(99);
    expect(reads).toEqual([]);
    clock.advance(1);
    await flush();
    expect(reads).toEqual([[1, 2]]);
    expect(got).toEqual(['1', 'typing', '2', '3']);
    seq.push(msg(4));
    expect(got.at(-1)).toBe('4');
  });

  it('holds frames that arrive before it knows the last seq, and catches up to the database on request', async () => {
    const { seq, got, store } = setup(5);
    seq.push(msg(5));
    seq.push(msg(6));
    await seq.start();
    expect(got).toEqual(['6']);
    // Publishes lost while Redis was down: nothing arrives, the catch-up reads them.
    store(9);
    await seq.catchUp();
    expect(got).toEqual(['6', '7', '8', '9']);
    seq.push(msg(8));
    seq.push(msg(10));
    expect(got).toEqual(['6', '7', '8', '9', '10']);
  });

  it('orders edits and deletes with messages by their own seq, and drops a repeated mutation', async () => {
    const clock = new FakeClock();
    const got: string[] = [];
    const sequencer = new RoomSequencer(1, (m) => got.push(`${m.headers.get('x-type')}:${messageSeq(m) ?? '-'}`), history(() => 5), clock, pino({ level: 'silent' }), 100);
    await sequencer.start();
    const entry = (type: string, s: number): PreparedMessage => new PreparedMessage('/topic/rooms/1', { 'x-type': type, 'x-seq': String(s) }, '{}');
    for (const m of [entry('message-deleted', 8), msg(6), entry('message-edited', 7), typing(), entry('message-edited', 7), msg(9)]) sequencer.push(m);
    expect(got).toEqual(['message:6', 'message-edited:7', 'message-deleted:8', 'typing:-', 'message:9']);
  });
});

describe('bus codec', () => {
  it('round-trips destination, headers and a binary body, and rejects garbage without throwing', () => {
    const body = Buffer.from([0, 1, 2, 255, 10, 0]);
    const m = new PreparedMessage('/topic/x', [['a', 'b:c'], ['x-seq', '7']], body);
    const decoded = decodeBusMessage(encodeBusMessage(m, { o: 'inst', s: 'inst-1' }))!;
    expect(decoded.meta).toEqual({ o: 'inst', s: 'inst-1' });
    expect(decoded.message.destination).toBe('/topic/x');
    expect([...decoded.message.headers]).toEqual([...m.headers]);
    expect(decoded.message.tail.equals(m.tail)).toBe(true);
    for (const bad of [Buffer.alloc(0), Buffer.from('xxxxxxxx'), Buffer.from([0, 0, 0, 2, 123, 125]), Buffer.from([0, 0, 0, 30, 1])]) {
      expect(decodeBusMessage(bad)).toBeNull();
    }
  });

});

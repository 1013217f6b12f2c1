import { describe, expect, it } from 'vitest';
import { AckTracker } from '../../../backend/stomp/ack-tracker.js';
import { makeFrame, PreparedMessage } from '../../../backend/stomp/frame.js';
import type { Subscription } from '../../../backend/stomp/subscription.js';
import { Transactions } from '../../../backend/stomp/transactions.js';

const sub = (id: string, ackMode: Subscription['ackMode']): Subscription => ({ id, ackMode }) as Subscription;
const msg = (n: number): PreparedMessage => new PreparedMessage('/queue/q', {}, `m${n}`);

function tracker(): { acks: AckTracker; requeued: string[] } {
  const requeued: string[] = [];
  const acks = new AckTracker((s, m) => requeued.push(`${s.id}:${m.destination}:${m.body.toString()}`));
  return { acks, requeued };
}

describe('AckTracker', () => {
  it('in client mode an ACK covers every earlier message of that subscription only', () => {
    const { acks, requeued } = tracker();
    const a = sub('a', 'client');
    const b = sub('b', 'client');
    acks.track('1', a, msg(1));
    acks.track('2', b, msg(2));
    acks.track('3', a, msg(3));
    acks.track('4', a, msg(4));
    acks.settle('3', true);
    expect(() => acks.settle('1', true)).toThrow(expect.objectContaining({ code: 'UNKNOWN_ACK' }));
    acks.release();
    expect(requeued.map((r) => r.split(':')[0])).toEqual(['b', 'a']);
  });

  it('in client-individual mode a NACK requeues just that message', () => {
    const { acks, requeued } = tracker();
    const a = sub('a', 'client-individual');
    acks.track('1', a, msg(1));
    acks.track('2', a, msg(2));
    acks.settle('2', false);
    expect(requeued).toHaveLength(1);
    acks.settle('1', true);
    acks.release(a);
    expect(requeued).toHaveLength(1);
  });

  it('releasing one subscription leaves the others pending', () => {
    const { acks, requeued } = tracker();
    const a = sub('a', 'client');
    const b = sub('b', 'client');
    acks.track('1', a, msg(1));
    acks.track('2', b, msg(2));
    acks.release(a);
    expect(requeued.map((r) => r.split(':')[0])).toEqual(['a']);
    acks.settle('2', true);
  });
});

describe('Transactions', () => {
  it('buffers frames until COMMIT and refuses unknown or repeated ids', () => {
    const tx = new Transactions({ maxFrames: 100, maxBytes: 1_000_000 });
    const f1 = makeFrame('SEND', [['destination', '/queue/a']], Buffer.from('1'));
    const f2 = makeFrame('ACK', [['id', 'x']], Buffer.alloc(0));
    tx.begin('t');
    expect(() => tx.begin('t')).toThrow(expect.objectContaining({ code: 'DUPLICATE_TRANSACTION' }));
    tx.buffer('t', f1);
    tx.buffer('t', f2);
    expect(tx.commit('t')).toEqual([f1, f2]);
    expect(() => tx.commit('t')).toThrow(expect.objectContaining({ code: 'UNKNOWN_TRANSACTION' }));
    expect(() => tx.buffer('u', f1)).toThrow(expect.objectContaining({ code: 'UNKNOWN_TRANSACTION' }));
    tx.begin('u');
    tx.abort('u');
    expect(() => tx.abort('u')).toThrow(expect.objectContaining({ code: 'UNKNOWN_TRANSACTION' }));
    tx.begin('v');
    tx.clear();
    expect(() => tx.commit('v')).toThrow(expect.objectContaining({ code: 'UNKNOWN_TRANSACTION' }));
  });

  it('caps frames and bytes summed over every open transaction, and frees them on COMMIT and ABORT', () => {
    const tx = new Transactions({ maxFrames: 4, maxBytes: 100 });
    const small = makeFrame('SEND', [['destination', '/q']], Buffer.from('x'));
    tx.begin('a');
    tx.begin('b');
    tx.buffer('a', small);
    tx.buffer('b', small);
    expect(() => tx.buffer('a', small)).toThrow(expect.objectContaining({ code: 'TRANSACTION_TOO_LARGE' }));
    tx.commit('a');
    tx.buffer('b', small);
    const big = makeFrame('SEND', [['destination', '/q']], Buffer.alloc(80));
    expect(() => tx.buffer('b', big)).toThrow(expect.objectContaining({ code: 'TRANSACTION_TOO_LARGE' }));
    tx.abort('b');
    tx.begin('c');
    tx.buffer('c', big);
  });
});

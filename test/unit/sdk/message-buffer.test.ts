import { describe, expect, it } from 'vitest';
import { MessageBuffer } from '../../../sdk/message-buffer.js';
import type { Message } from '../../../sdk/types.js';

function msg(seq: number, clientMsgId: string | null = null): Message {
  return {
    id: 1000 + seq,
    seq,
    roomId: 1,
    type: 'text',
    sender: { id: 'u_a', nickname: 'a' },
    text: `m${seq}`,
    clientMsgId,
    createdAt: new Date(0).toISOString(),
    editedAt: null,
    deleted: false,
  };
}
const seqs = (ms: readonly { seq: number }[]): number[] => ms.map((m) => m.seq);

describe('MessageBuffer', () => {
  it('delivers in seq order and drops duplicates', () => {
    const b = new MessageBuffer();
    expect(seqs(b.push([msg(1), msg(2)]))).toEqual([1, 2]);
    expect(seqs(b.push([msg(2), msg(1), msg(3)]))).toEqual([3]);
    expect(seqs(b.push([msg(3), msg(3)]))).toEqual([]);
    expect(b.lastSeq).toBe(3);
    expect(seqs(b.messages)).toEqual([1, 2, 3]);
  });

  it('holds messages beyond a gap until the gap is filled, then releases them in order', () => {
    const b = new MessageBuffer();
    b.setBaseline(10);
    expect(seqs(b.push([msg(13), msg(12)]))).toEqual([]);
    expect(b.heldCount).toBe(2);
    expect(b.gap()).toEqual({ afterSeq: 10, untilSeq: 11 });
    expect(seqs(b.push([msg(11)]))).toEqual([11, 12, 13]);
    expect(b.gap()).toBeNull();
    expect(b.heldCount).toBe(0);
  });

  it('reports a gap up to a known lastSeq even when nothing is held (truncated resume)', () => {
    const b = new MessageBuffer();
    b.setBaseline(5);
    b.expect(900);
    expect(b.gap()).toEqual({ afterSeq: 5, untilSeq: 900 });
    b.push([msg(901)]); // live frame after the resume point
    expect(b.gap()).toEqual({ afterSeq: 5, untilSeq: 900 });
    const page = Array.from({ length: 200 }, (_, i) => msg(6 + i));
    expect(b.push(page)).toHaveLength(200);
    expect(b.gap()).toEqual({ afterSeq: 205, untilSeq: 900 });
  });

  it('ignores everything at or below the baseline', () => {
    const b = new MessageBuffer();
    b.push([msg(7)]);
    b.setBaseline(6);
    expect(seqs(b.push([msg(5), msg(6), msg(8)]))).toEqual([7, 8]);
  });

  it('keeps only the newest maxMessagesInMemory messages', () => {
    const b = new MessageBuffer(500);
    for (let s = 1; s <= 10_000; s += 100) {
      b.push(Array.from({ length: 100 }, (_, i) => msg(s + i)));
    }
    expect(b.messages).toHaveLength(500);
    expect(b.oldestSeq).toBe(9501);
    expect(b.lastSeq).toBe(10_000);
    expect(b.bySeq(9501)?.seq).toBe(9501);
    expect(b.bySeq(9500)).toBeUndefined();
  });

  it('skipTo gives up on an unrecoverable gap and releases what follows', () => {
    const b = new MessageBuffer();
    b.push([msg(1), msg(4), msg(5)]);
    expect(b.gap()).toEqual({ afterSeq: 1, untilSeq: 3 });
    expect(seqs(b.skipTo(3))).toEqual([4, 5]);
  });

  it('returns a copy, so callers cannot corrupt the window', () => {
    const b = new MessageBuffer();
    b.push([msg(1)]);
    (b.messages as Message[]).pop();
    expect(b.messages).toHaveLength(1);
  });

  it('rejects a non-positive window size', () => {
    expect(() => new MessageBuffer(0)).toThrow(RangeError);
  });
});

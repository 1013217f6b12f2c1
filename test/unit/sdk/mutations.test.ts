import { describe, expect, it } from 'vitest';
import { MessageBuffer } from '../../../sdk/message-buffer.js';
import { resumeMachine } from '../../../sdk/resume-machine.js';
import type { ResumeOp } from '../../../sdk/resume-machine.js';
import type { Message, MessageMutation } from '../../../sdk/types.js';

function msg(seq: number, text = `m${seq}`): Message {
  return { id: 100 + seq, seq, roomId: 1, type: 'text', sender: { id: 'u_a', nickname: 'a' }, text, clientMsgId: null, createdAt: '', editedAt: null, deleted: false };
}
/** Mutation number `seq` of message `target`: an edit to `text`, or a delete (tombstone). */
function mut(seq: number, target: number, text?: string): MessageMutation {
  const message: Message = text === undefined ? { ...msg(target), text: '', deleted: true } : { ...msg(target), text, editedAt: '2026-12-01T00:00:00.000Z' };
  return { seq, roomId: 1, type: text === undefined ? 'deleted' : 'edited', message, by: { id: 'u_a', nickname: 'a' }, createdAt: '' };
}
const seqs = (xs: readonly { seq: number }[]): number[] => xs.map((x) => x.seq);
const delivered = (ops: readonly ResumeOp[]): number[] => ops.flatMap((o) => (o[0] === 'deliver' ? seqs(o[1]) : []));

describe('message buffer with mutations', () => {
  it('replaces the edited message in place and counts the mutation seq as delivered', () => {
    const b = new MessageBuffer();
    b.push([msg(1), msg(2), msg(3)]);
    const out = b.push([mut(4, 2, 'edited text')]);
    expect(seqs(out)).toEqual([4]);
    expect(b.lastSeq).toBe(4);
    expect(b.messages.map((m) => [m.seq, m.text])).toEqual([
      [1, 'm1'],
      [2, 'edited text'],
      [3, 'm3'],
    ]);
    expect(b.bySeq(2)?.editedAt).not.toBeNull();
    expect(b.gap()).toBeNull();
  });

  it('turns a deleted message into a tombstone with its seq kept', () => {
    const b = new MessageBuffer();
    b.push([msg(1), msg(2)]);
    b.push([mut(3, 1)]);
    expect(b.messages.map((m) => [m.seq, m.deleted, m.text])).toEqual([
      [1, true, ''],
      [2, false, 'm2'],
    ]);
  });

  it('delivers a mutation of a message it does not hold without inserting that message', () => {
    const b = new MessageBuffer();
    b.setBaseline(10);
    b.push([msg(11)]);
    expect(seqs(b.push([mut(12, 3, 'old one')]))).toEqual([12]);
    expect(seqs(b.messages)).toEqual([11]);
    expect(b.lastSeq).toBe(12);
  });

  it('holds entries behind a missing mutation seq and releases them when it arrives, without a gap left', () => {
    const b = new MessageBuffer();
    b.push([msg(1), msg(2)]);
    expect(b.push([msg(4)])).toEqual([]);
    expect(b.gap()).toEqual({ afterSeq: 2, untilSeq: 3 });
    expect(seqs(b.push([mut(3, 1, 'x')]))).toEqual([3, 4]);
    expect(b.gap()).toBeNull();
    expect(b.messages.map((m) => m.text)).toEqual(['x', 'm2', 'm4']);
  });

  it('ignores a duplicate mutation (same seq) from the topic after the REST answer', () => {
    const b = new MessageBuffer();
    b.push([msg(1)]);
    expect(seqs(b.push([mut(2, 1, 'a')]))).toEqual([2]);
    expect(b.push([mut(2, 1, 'a')])).toEqual([]);
  });
});

describe('resume machine with mutations', () => {
  it('takes a first page whose mutations have the lowest seq as the baseline: no gap, no page request', () => {
    const m = resumeMachine(500, 10_000);
    // Stream 1..10; the page holds messages 8, 10 and mutations 7 (of an older message) and 9 (of 8).
    const ops = m.history({ messages: [msg(8, 'edited'), msg(10)], mutations: [mut(7, 2, 'x'), mut(9, 8, 'edited')], lastSeq: 10 });
    expect(delivered(ops)).toEqual([7, 8, 9, 10]);
    expect(m.buffer.lastSeq).toBe(10);
    expect(seqs(m.buffer.messages)).toEqual([8, 10]);
    m.subscribed();
    const resumed = m.resume({ sinceSeq: 10, lastSeq: 10, truncated: false });
    expect(resumed.map((o) => o[0])).toEqual(['wait', 'resumed']);
  });

  it('resumes from a seq with a replay of messages and mutations, asking no page for the mutation seqs', () => {
    const m = resumeMachine(500, 10_000);
    m.history({ messages: [msg(1), msg(2), msg(3)], mutations: [], lastSeq: 3 });
    m.subscribed();
    const all: ResumeOp[] = [];
    // The server's replay (an edit of 1, a new message, a delete of 2), then its resume frame (§5 Resume).
    all.push(...m.received([mut(4, 1, 'edited')]));
    all.push(...m.received([msg(5)]));
    all.push(...m.received([mut(6, 2)]));
    all.push(...m.resume({ sinceSeq: 3, lastSeq: 6, truncated: false }));
    expect(all.filter((o) => o[0] === 'fetch')).toEqual([]);
    expect(delivered(all)).toEqual([4, 5, 6]);
    expect(all.at(-1)?.[0]).toBe('resumed');
    expect(m.buffer.messages.map((x) => [x.seq, x.text, x.deleted])).toEqual([
      [1, 'edited', false],
      [2, '', true],
      [3, 'm3', false],
      [5, 'm5', false],
    ]);
  });

  it('fills a truncated resume from pages that mix messages and mutations, and stops paging once covered', () => {
    const m = resumeMachine(500, 10_000);
    m.history({ messages: [msg(1), msg(2)], mutations: [], lastSeq: 2 });
    m.subscribed();
    let ops = m.resume({ sinceSeq: 2, lastSeq: 5, truncated: true });
    expect(ops.at(-1)).toEqual(['fetch', 2]);
    ops = m.paged([msg(3), msg(5), mut(4, 1, 'e')]);
    expect(delivered(ops)).toEqual([3, 4, 5]);
    expect(ops.filter((o) => o[0] === 'fetch')).toEqual([]);
    expect(ops.at(-1)?.[0]).toBe('resumed');
    expect(m.buffer.bySeq(1)?.text).toBe('e');
  });
});

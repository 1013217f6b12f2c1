import { describe, expect, it } from 'vitest';
import { PAGE_RETRY_MS, resumeMachine } from '../../../sdk/resume-machine.js';
import type { ResumeOp } from '../../../sdk/resume-machine.js';
import type { Message } from '../../../sdk/types.js';

function msg(seq: number): Message {
  return { id: 100 + seq, seq, roomId: 1, type: 'text', sender: { id: 'u_a', nickname: 'a' }, text: `m${seq}`, clientMsgId: null, createdAt: '', editedAt: null, deleted: false };
}
const range = (from: number, to: number): Message[] => Array.from({ length: to - from + 1 }, (_, i) => msg(from + i));
/** The seqs delivered by a step, in order. */
const delivered = (ops: readonly ResumeOp[]): number[] => ops.flatMap((o) => (o[0] === 'deliver' ? o[1].map((m) => m.seq) : []));
const kinds = (ops: readonly ResumeOp[]): string[] => ops.map((o) => o[0]);

/** A machine that joined a room whose newest page ended at `lastSeq`, then subscribed. */
function joined(lastSeq: number) {
  const m = resumeMachine(500, 10_000);
  m.history({ messages: range(Math.max(1, lastSeq - 2), lastSeq), mutations: [], lastSeq });
  expect(m.subscribed()).toEqual([['wait', 10_000]]);
  expect(m.phase).toBe('awaiting');
  return m;
}

describe('resume machine', () => {
  it('reports a resume at once when nothing was missed', () => {
    const m = joined(5);
    const ops = m.resume({ sinceSeq: 5, lastSeq: 5, truncated: false });
    expect(ops).toEqual([
      ['wait', null],
      ['resumed', { sinceSeq: 5, lastSeq: 5, truncated: false, recovered: 0 }],
    ]);
    expect(m.phase).toBe('live');
  });

  it('pages a truncated resume over REST, one page at a time, then reports what it recovered', () => {
    const m = joined(5);
    let ops = m.resume({ sinceSeq: 5, lastSeq: 12, truncated: true });
    expect(ops.at(-1)).toEqual(['fetch', 5]);
    expect(m.phase).toBe('catching-up');
    // A live message beyond the gap is held, not delivered, and starts no second request.
    ops = m.received([msg(13)]);
    expect(ops).toEqual([]);
    ops = m.paged(range(6, 9));
    expect(delivered(ops)).toEqual([6, 7, 8, 9]);
    expect(ops.at(-1)).toEqual(['fetch', 9]);
    ops = m.paged(range(10, 12));
    // 13 was held behind the gap: it follows 12 in the same delivery.
    expect(delivered(ops)).toEqual([10, 11, 12, 13]);
    expect(ops.at(-1)).toEqual(['resumed', { sinceSeq: 5, lastSeq: 12, truncated: true, recovered: 8 }]);
    expect(m.buffer.lastSeq).toBe(13);
  });

  it('delivers each message once when a replay, a page and live frames overlap across two resumes', () => {
    const m = joined(3);
    const seen: number[] = [...m.buffer.messages.map((x) => x.seq)];
    const take = (ops: readonly ResumeOp[]) => seen.push(...delivered(ops));
    take(m.resume({ sinceSeq: 3, lastSeq: 6, truncated: false }));
    take(m.received(range(4, 6))); // the server's replay
    take(m.received([msg(6), msg(5)])); // duplicates on the live topic
    expect(m.phase).toBe('catching-up'); // the page asked for is still awaited
    take(m.paged(range(4, 6))); // …and only repeats what the replay delivered
    expect(m.phase).toBe('live');
    // The connection drops and comes back: the new subscription resumes from 6.
    m.reset();
    expect(m.phase).toBe('idle');
    take(m.subscribed());
    take(m.received(range(5, 9))); // a replay that starts too early
    take(m.resume({ sinceSeq: 6, lastSeq: 10, truncated: true }));
    take(m.paged(range(4, 10)));
    expect(seen).toEqual(range(1, 10).map((x) => x.seq));
    expect(m.phase).toBe('live');
  });

  it('retries a failed page after PAGE_RETRY_MS and ignores a late answer of an older subscription', () => {
    const m = joined(2);
    m.resume({ sinceSeq: 2, lastSeq: 4, truncated: true });
    expect(m.pageFailed()).toEqual([['wait', PAGE_RETRY_MS]]);
    // Live messages meanwhile do not start a second request.
    expect(kinds(m.received([msg(9)]))).toEqual([]);
    expect(m.waited()).toEqual([['fetch', 2]]);
    m.reset();
    expect(m.paged(range(3, 4))).toEqual([]);
    expect(m.buffer.lastSeq).toBe(2);
  });

  it('gives up a gap the server keeps answering empty: two waits, then missing, and moves on', () => {
    const m = joined(2);
    m.resume({ sinceSeq: 2, lastSeq: 6, truncated: true });
    m.received([msg(7)]);
    expect(m.paged([])).toEqual([['wait', 100]]);
    expect(m.waited()).toEqual([['fetch', 2]]);
    expect(m.paged([])).toEqual([['wait', 200]]);
    m.waited();
    const ops = m.paged([]);
    expect(ops[0]).toEqual(['missing', { afterSeq: 2, untilSeq: 6 }]);
    expect(delivered(ops)).toEqual([7]);
    expect(ops.at(-1)).toEqual(['resumed', expect.objectContaining({ recovered: 1 })]);
  });

  it('times out when no resume frame comes, and only then', () => {
    const m = joined(1);
    expect(m.waited()).toEqual([['timeout', 10_000]]);
    m.resume({ sinceSeq: 1, lastSeq: 1, truncated: false });
    expect(m.waited()).toEqual([]);
  });

  it('pages a gap that appears after the resume without reporting a second resume', () => {
    const m = joined(1);
    m.resume({ sinceSeq: 1, lastSeq: 1, truncated: false });
    let ops = m.received([msg(4)]);
    expect(ops).toEqual([['fetch', 1]]);
    ops = m.paged(range(2, 3));
    expect(delivered(ops)).toEqual([2, 3, 4]);
    expect(kinds(ops)).not.toContain('resumed');
  });
});

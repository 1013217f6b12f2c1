import { MessageBuffer, pageEntries } from './message-buffer.js';
import type { SeqGap, StreamEntry } from './message-buffer.js';
import type { HistoryPage, ResumeInfo } from './types.js';
import type { ResumeBody } from './protocol/shapes.js';

/**
 * Resume and gap filling of one room, as a pure state machine: no I/O, no timers. Its driver
 * (`resume-driver.ts`) feeds it one input at a time (one method call) and performs the operations it returns, in
 * order. It orders and de-duplicates through a {@link MessageBuffer}, pages a known gap over REST
 * (`docs/protocol.md` §5, `x-type: resume`), and reports the resume once caught up.
 *
 * - `idle`: no subscription (before the join, or the connection is gone).
 * - `awaiting`: subscribed with `x-since-seq`, no `resume` frame yet (a deadline is armed).
 * - `catching-up`: the frame named the room's last seq; missing messages are being paged.
 * - `live`: everything up to that seq was delivered and the resume reported. A gap seen later
 *   (a message held behind a missing seq) is paged the same way, without a second report.
 * @internal
 */
export type ResumePhase = 'idle' | 'awaiting' | 'catching-up' | 'live';

/**
 * What the driver must do, in order: an operation and its argument. The driver keeps a table of
 * handlers keyed by operation (like stompjs' frame handlers keyed by command).
 * @internal
 */
export type ResumeOp =
  /** Hand these entries (messages and mutations) to the application (each once, in seq order). */
  | readonly ['deliver', readonly StreamEntry[]]
  /** `GET /api/rooms/:id/messages?after=<seq>&limit=200`, answered by `paged` or `pageFailed`. */
  | readonly ['fetch', number]
  /** Arm the one timer for this many ms (replacing an armed one), answered by `waited`; `null` disarms it. */
  | readonly ['wait', number | null]
  /** No `resume` frame in time: the join failed on this connection. */
  | readonly ['timeout', number]
  /** The server has nothing for this range: report it; delivery moved past it. */
  | readonly ['missing', SeqGap]
  /** Caught up: report the resume. */
  | readonly ['resumed', ResumeInfo];

/**
 * The resume machine of one room: one method per input, each returning the operations to
 * perform. Pure: see {@link ResumePhase}. @internal
 */
export interface ResumeMachine {
  /** The room's ordered, de-duplicated messages. */
  readonly buffer: MessageBuffer;
  /** Where the resume stands. */
  readonly phase: ResumePhase;
  /** The first page of a fresh join: everything before it counts as known. */
  history(page: HistoryPage): ResumeOp[];
  /** The room topic was (re)subscribed from `buffer.lastSeq`. */
  subscribed(): ResumeOp[];
  /** The server's `resume` frame. */
  resume(body: ResumeBody): ResumeOp[];
  /** Live messages and mutations (or the server's replay) from the topic. */
  received(messages: readonly StreamEntry[]): ResumeOp[];
  /** The answer to the last `fetch`: its messages and mutations. */
  paged(messages: readonly StreamEntry[]): ResumeOp[];
  /** The last `fetch` failed. */
  pageFailed(): ResumeOp[];
  /** The timer of the last `wait` fired. */
  waited(): ResumeOp[];
  /** The connection is gone. */
  reset(): ResumeOp[];
}

/** Wait after a failed page before asking again, ms. */
export const PAGE_RETRY_MS = 1000;
/** Empty pages for a known gap before the gap is given up. */
const EMPTY_PAGES = 3;

/**
 * @param maxMessagesInMemory - the buffer's window
 * @param deadlineMs - how long a subscription may wait for its `resume` frame
 * @internal
 */
export function resumeMachine(maxMessagesInMemory: number, deadlineMs: number): ResumeMachine {
  const buffer = new MessageBuffer(maxMessagesInMemory);
  let phase: ResumePhase = 'idle';
  /** What the machine waits for from the driver besides frames: nothing, a page, or its timer. */
  let pending: 'none' | 'page' | 'timer' = 'none';
  let frame: ResumeBody | undefined;
  let recovered = 0;
  let empty = 0;
  let ops: ResumeOp[];

  const enter = (next: 'idle' | 'awaiting'): void => {
    phase = next;
    pending = 'none';
    frame = undefined;
    recovered = empty = 0;
  };

  /** Messages that became deliverable become a `deliver` op (an empty one only when `always`). Returns how many. */
  const deliver = (out: StreamEntry[], always?: boolean): number => {
    if (phase !== 'live') recovered += out.length;
    if (out.length > 0 || always) ops.push(['deliver', out]);
    return out.length;
  };
  const push = (messages: readonly StreamEntry[]): number => deliver(buffer.push(messages));

  const wait = (ms: number): void => {
    pending = 'timer';
    ops.push(['wait', ms]);
  };

  /** Once the frame is known and nothing else is awaited: page the first gap, or report the resume. */
  const check = (): void => {
    if (!frame || pending !== 'none') return;
    const gap = buffer.gap();
    if (gap) {
      pending = 'page';
      ops.push(['fetch', gap.afterSeq]);
    } else if (phase !== 'live') {
      phase = 'live';
      ops.push(['resumed', { ...frame, truncated: frame.truncated === true, recovered }]);
    }
  };

  // Every input starts a fresh list of operations.
  const step =
    <A extends unknown[]>(f: (...args: A) => void) =>
    (...args: A): ResumeOp[] => {
      ops = [];
      f(...args);
      return ops;
    };

  return {
    buffer,
    get phase() {
      return phase;
    },
    history: step((page: HistoryPage) => {
      // The page's entries cover its range without holes: everything below its lowest seq is known.
      const entries = pageEntries(page);
      buffer.setBaseline(entries.length ? Math.min(...entries.map((e) => e.seq)) - 1 : page.lastSeq);
      push(entries);
    }),
    subscribed: step(() => {
      enter('awaiting');
      ops.push(['wait', deadlineMs]);
    }),
    resume: step((body: ResumeBody) => {
      if (phase !== 'awaiting') return;
      frame = body;
      phase = 'catching-up';
      buffer.expect(body.lastSeq);
      ops.push(['wait', null]);
      check();
    }),
    received: step((messages: readonly StreamEntry[]) => {
      push(messages);
      check();
    }),
    paged: step((messages: readonly StreamEntry[]) => {
      if (pending !== 'page') return;
      pending = 'none';
      // An empty answer while the gap is still open: ask again a little later, a few times.
      if (push(messages) > 0 || !buffer.gap()) empty = 0;
      else if (++empty < EMPTY_PAGES) wait(100 * empty);
      else {
        // The server keeps answering nothing for the gap: report it and move on.
        empty = 0;
        const gap = buffer.gap();
        if (gap) {
          ops.push(['missing', gap]);
          // Delivered even when empty: sends whose seq is now behind `lastSeq` settle with it.
          deliver(buffer.skipTo(gap.untilSeq), true);
        }
      }
      check();
    }),
    pageFailed: step(() => {
      if (pending !== 'page') return;
      empty = 0;
      wait(PAGE_RETRY_MS);
    }),
    waited: step(() => {
      if (phase === 'awaiting') ops.push(['timeout', deadlineMs]);
      else if (pending === 'timer') {
        pending = 'none';
        check();
      }
    }),
    reset: step(() => enter('idle')),
  };
}

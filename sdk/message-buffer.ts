import type { HistoryPage, Message, MessageMutation } from './types.js';

/**
 * One entry of a room's stream: a message, or a mutation of an earlier one. Both take a seq
 * (`docs/protocol.md` §5), so both count in ordering and gap detection. @internal
 */
export type StreamEntry = Message | MessageMutation;

/** Whether an entry is a mutation (it carries the changed `message`). @internal */
export const isMutation = (e: StreamEntry): e is MessageMutation => 'message' in e;

/** A history page's entries, messages and mutations alike. @internal */
export const pageEntries = (page: HistoryPage): StreamEntry[] => [...page.messages, ...(page.mutations ?? [])];

/** A range of seqs known to be missing: `afterSeq < seq <= untilSeq`. */
export interface SeqGap {
  /** Last seq delivered in order. */
  readonly afterSeq: number;
  /** Highest seq known to exist that is not yet delivered (exclusive of held messages above it). */
  readonly untilSeq: number;
}

/**
 * Orders a room's stream entries by seq, drops duplicates, holds entries that arrive ahead of a gap
 * until the gap is filled, and keeps a bounded window of the newest delivered messages. A delivered
 * mutation replaces its message in the window (when the window holds it); it is not a message itself.
 *
 * `push` returns exactly the entries that became deliverable, each once and in seq order.
 * @internal
 */
export class MessageBuffer {
  #window: Message[] = [];
  readonly #held = new Map<number, StreamEntry>();
  #delivered = 0;
  #target = 0;
  #baseline = false;

  /** @param maxMessagesInMemory - size of the window of delivered messages kept (default 500) */
  readonly #maxMessagesInMemory: number;

  constructor(maxMessagesInMemory = 500) {
    this.#maxMessagesInMemory = maxMessagesInMemory;
    if (!Number.isInteger(maxMessagesInMemory) || maxMessagesInMemory < 1) {
      throw new RangeError('maxMessagesInMemory < 1');
    }
  }

  /** Last seq delivered in order (0 before any). */
  get lastSeq(): number {
    return this.#delivered;
  }

  /** Seq of the oldest message still in memory, or `undefined` when none. */
  get oldestSeq(): number | undefined {
    return this.#window[0]?.seq;
  }

  /** Whether {@link MessageBuffer.setBaseline} has been called. */
  get hasBaseline(): boolean {
    return this.#baseline;
  }

  /** Messages held back because an earlier seq is missing. */
  get heldCount(): number {
    return this.#held.size;
  }

  /** The window of delivered messages, oldest first (a copy). */
  get messages(): readonly Message[] {
    return this.#window.slice();
  }

  /**
   * Declares that everything up to `seq` is already known (a fresh join starts from the latest
   * history page). Held messages at or below `seq` are dropped.
   */
  setBaseline(seq: number): void {
    this.#baseline = true;
    if (seq > this.#delivered) this.#delivered = seq;
    for (const s of this.#held.keys()) if (s <= this.#delivered) this.#held.delete(s);
  }

  /** Records that the room has at least `seq` messages (from a `resume` frame). */
  expect(seq: number): void {
    if (seq > this.#target) this.#target = seq;
  }

  /**
   * Adds entries in any order, with duplicates; returns those that became deliverable, in order.
   * @param messages - messages and mutations from the topic, a replay or a history page
   */
  push(messages: readonly StreamEntry[]): StreamEntry[] {
    for (const m of messages) {
      if (m.seq > this.#delivered && !this.#held.has(m.seq)) this.#held.set(m.seq, m);
    }
    return this.#drain();
  }

  /**
   * The first missing range, or `null` when nothing is missing. A gap exists when a held message
   * or a known `lastSeq` lies beyond the next expected seq.
   */
  gap(): SeqGap | null {
    let until = this.#target;
    if (this.#held.size > 0) {
      let min = Infinity;
      for (const s of this.#held.keys()) if (s < min) min = s;
      until = min - 1;
    }
    return until > this.#delivered ? { afterSeq: this.#delivered, untilSeq: until } : null;
  }

  /**
   * Gives up on missing seqs up to `seq` (they cannot be recovered) and delivers what follows.
   * @returns the entries that became deliverable
   */
  skipTo(seq: number): StreamEntry[] {
    if (seq > this.#delivered) this.#delivered = seq;
    for (const s of this.#held.keys()) if (s <= this.#delivered) this.#held.delete(s);
    return this.#drain();
  }

  /** Finds a delivered message still in memory by seq. */
  bySeq(seq: number): Message | undefined {
    const first = this.#window[0];
    if (!first) return undefined;
    const m = this.#window[seq - first.seq];
    return m && m.seq === seq ? m : this.#window.find((x) => x.seq === seq);
  }

  #drain(): StreamEntry[] {
    const out: StreamEntry[] = [];
    const w = this.#window;
    for (;;) {
      const next = this.#held.get(this.#delivered + 1);
      if (!next) break;
      this.#held.delete(next.seq);
      this.#delivered = next.seq;
      out.push(next);
      if (!isMutation(next)) w.push(next);
      else {
        // In place, so the window stays in seq order; a message no longer (or never) held is not inserted.
        const i = w.findIndex((m) => m.seq === next.message.seq);
        if (i >= 0) w[i] = next.message;
      }
    }
    const excess = w.length - this.#maxMessagesInMemory;
    if (excess > 0) w.splice(0, excess);
    return out;
  }
}

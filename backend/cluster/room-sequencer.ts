import type { Logger } from '../logger.js';
import type { Clock } from '../stomp/clock.js';
import type { PreparedMessage } from '../stomp/frame.js';
import { messageSeq } from '../messages/message-view.js';

export { messageSeq };

/** Where a sequencer refills gaps: the database, which is the truth. */
export interface RoomHistory {
  lastSeq(roomId: number): Promise<number>;
  /** Stream entries (messages and mutations) with afterSeq < seq ≤ upToSeq, ascending, prepared for the room topic. */
  range(roomId: number, afterSeq: number, upToSeq: number): Promise<PreparedMessage[]>;
}

/**
 * Puts one room's stream entries (messages, edits, deletes: every frame with an `x-seq`) back in
 * seq order on a receiving instance. Writers on different
 * instances publish independently, so seq 12 may arrive before seq 11; a lost publish (Redis
 * restart, a writer killed between commit and publish) leaves a hole. Messages are delivered
 * when contiguous; a hole still open after `gapWaitMs` is filled from the database, which holds
 * every seq below any committed seq (a writer only tries seq n+1 after reading n). Frames
 * without a seq pass straight through; a seq already delivered is dropped.
 */
export class RoomSequencer {
  private next = 0;
  private started = false;
  private readonly early: PreparedMessage[] = [];
  private readonly pending = new Map<number, PreparedMessage>();
  private timer: unknown = undefined;
  private filling: Promise<void> | undefined = undefined;
  private fillAgain: 'gap' | 'all' | undefined = undefined;
  private stopped = false;

  constructor(
    private readonly roomId: number,
    private readonly deliver: (m: PreparedMessage) => void,
    private readonly history: RoomHistory,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly gapWaitMs: number,
  ) {}

  /** Call once the bus delivers: starts after the last stored seq, then sorts what came early. */
  async start(): Promise<void> {
    this.next = (await this.history.lastSeq(this.roomId)) + 1;
    this.started = true;
    for (const m of this.early.splice(0)) this.push(m);
  }

  push(m: PreparedMessage): void {
    if (this.stopped) return;
    if (!this.started) {
      this.early.push(m);
      return;
    }
    const seq = messageSeq(m);
    if (seq === undefined) {
      this.deliver(m);
      return;
    }
    if (seq < this.next) return;
    if (seq > this.next) {
      this.pending.set(seq, m);
      this.arm();
      return;
    }
    this.deliver(m);
    this.next = seq + 1;
    this.drain();
  }

  /** Refills everything up to the database's last seq (after Redis came back, or on a marker). */
  catchUp(): Promise<void> {
    return this.fill('all');
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private drain(): void {
    for (let m = this.pending.get(this.next); m !== undefined; m = this.pending.get(this.next)) {
      this.pending.delete(this.next);
      this.deliver(m);
      this.next++;
    }
    for (const seq of this.pending.keys()) if (seq < this.next) this.pending.delete(seq);
    if (this.pending.size === 0 && this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private arm(): void {
    if (this.timer !== undefined) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.fill('gap');
    }, this.gapWaitMs);
  }

  private async fill(kind: 'gap' | 'all'): Promise<void> {
    if (this.filling !== undefined) {
      if (this.fillAgain !== 'all') this.fillAgain = kind;
      return this.filling;
    }
    this.filling = this.fillOnce(kind)
      .catch((e: unknown) => {
        this.logger.warn({ err: e, roomId: this.roomId }, 'refilling a room from the database failed');
        if (this.pending.size > 0) this.arm();
      })
      .finally(() => {
        this.filling = undefined;
        const again = this.fillAgain;
        this.fillAgain = undefined;
        if (again !== undefined && !this.stopped) void this.fill(again);
      });
    return this.filling;
  }

  private async fillOnce(kind: 'gap' | 'all'): Promise<void> {
    if (!this.started || this.stopped) return;
    let upTo = this.pending.size === 0 ? 0 : Math.max(...this.pending.keys()) - 1;
    if (kind === 'all') upTo = Math.max(upTo, await this.history.lastSeq(this.roomId));
    if (upTo < this.next) return;
    for (const m of await this.history.range(this.roomId, this.next - 1, upTo)) {
      if (this.stopped) return;
      const seq = messageSeq(m);
      if (seq === undefined || seq < this.next) continue;
      this.pending.delete(seq);
      this.deliver(m);
      this.next = seq + 1;
      this.drain();
    }
    // The database had no row for the hole (deleted room?): skip it rather than stall the room.
    if (this.pending.size > 0 && !this.pending.has(this.next)) {
      this.next = Math.min(...this.pending.keys());
      this.drain();
    }
  }
}

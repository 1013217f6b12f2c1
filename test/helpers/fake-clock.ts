import type { Clock } from '../../backend/stomp/clock.js';

/**
 * A manual clock for the backend's injectable time. Pass it to `startTestServer({ clock })` and
 * leave grace, typing expiry, heart-beats, rate limits and token expiry move only when a test
 * calls {@link advance}, so those tests neither sleep nor fail on a busy machine.
 */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void; every: number | undefined }>();

  /**
   * @param startMs - the initial time; defaults to the wall clock's so tokens, history pages and
   *   seeded rows a test builds from `Date.now()` are not years away from the server's time.
   */
  constructor(startMs: number = Date.now()) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn, every: undefined });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  setInterval(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn, every: ms });
    return id;
  }

  clearInterval(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Runs due timers in time order, including ones they schedule. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextAt = Infinity;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && timer.at < nextAt) {
          nextAt = timer.at;
          nextId = id;
        }
      }
      if (nextId === undefined) break;
      const timer = this.timers.get(nextId)!;
      this.t = timer.at;
      if (timer.every === undefined) this.timers.delete(nextId);
      else timer.at += timer.every;
      timer.fn();
    }
    this.t = end;
  }
}

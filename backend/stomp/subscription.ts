import type { PreparedMessage } from './frame.js';
import { SubscriberHead } from './subscriber-head.js';

export type AckMode = 'auto' | 'client' | 'client-individual';

/** What a subscription needs from its session to put a MESSAGE on the wire. */
export interface SubscriptionOwner {
  readonly id: string;
  deliver(subscription: Subscription, message: PreparedMessage): void;
}

/**
 * One SUBSCRIBE. While held (during a resume replay) live messages are buffered so the
 * replay and the live stream meet without a gap; `release` flushes them, skipping the ones
 * the replay already covered.
 */
export class Subscription {
  private held: PreparedMessage[] | null = null;
  private skip: ((message: PreparedMessage) => boolean) | undefined = undefined;
  private head: SubscriberHead | undefined = undefined;

  constructor(
    readonly id: string,
    readonly destination: string,
    readonly ackMode: AckMode,
    readonly owner: SubscriptionOwner,
    /** Headers of the SUBSCRIBE frame (e.g. `x-since-seq`), for destination hooks. */
    readonly headers: ReadonlyMap<string, string>,
  ) {}

  /** This subscription's encoded MESSAGE head, built on the first delivery (the session's encoding is fixed by then). */
  wireHead(sessionId: string, encoding: 'escape' | 'stomp10'): SubscriberHead {
    return (this.head ??= new SubscriberHead(this.id, sessionId, this.ackMode !== 'auto', encoding));
  }

  hold(): void {
    this.held ??= [];
  }

  get isHeld(): boolean {
    return this.held !== null;
  }

  /**
   * Flushes the held messages except those `skip` matches. `skipAfter`: keep dropping live
   * messages it matches until it returns 'stop' (a bus that delivers late can still bring a
   * message the replay covered).
   */
  release(skip?: (message: PreparedMessage) => boolean, skipAfter?: (message: PreparedMessage) => boolean | 'stop'): void {
    const held = this.held;
    this.held = null;
    if (skipAfter !== undefined) {
      this.skip = (m) => {
        const r = skipAfter(m);
        if (r === 'stop') this.skip = undefined;
        return r === true;
      };
    }
    if (held === null) return;
    for (const message of held) {
      if (skip === undefined || !skip(message)) this.deliver(message);
    }
  }

  /** Live delivery: buffered while held. */
  deliver(message: PreparedMessage): void {
    if (this.held !== null) this.held.push(message);
    else if (this.skip === undefined || !this.skip(message)) this.owner.deliver(this, message);
  }

  /** Bypasses the hold: used by the replay itself. */
  deliverNow(message: PreparedMessage): void {
    this.owner.deliver(this, message);
  }
}

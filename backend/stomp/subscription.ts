import type { PreparedMessage } from './frame.js';

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

  constructor(
    readonly id: string,
    readonly destination: string,
    readonly ackMode: AckMode,
    readonly owner: SubscriptionOwner,
    /** Headers of the SUBSCRIBE frame (e.g. `x-since-seq`), for destination hooks. */
    readonly headers: ReadonlyMap<string, string>,
  ) {}

  hold(): void {
    this.held ??= [];
  }

  get isHeld(): boolean {
    return this.held !== null;
  }

  release(skip?: (message: PreparedMessage) => boolean): void {
    const held = this.held;
    this.held = null;
    if (held === null) return;
    for (const message of held) {
      if (skip === undefined || !skip(message)) this.owner.deliver(this, message);
    }
  }

  /** Live delivery: buffered while held. */
  deliver(message: PreparedMessage): void {
    if (this.held !== null) this.held.push(message);
    else this.owner.deliver(this, message);
  }

  /** Bypasses the hold: used by the replay itself. */
  deliverNow(message: PreparedMessage): void {
    this.owner.deliver(this, message);
  }
}

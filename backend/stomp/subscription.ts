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
  private covered: ((message: PreparedMessage) => boolean) | undefined;

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
    // A message committed before the replay read its range can be published after the release
    // (on MySQL another pooled connection sees the commit first): the replay sent it, so it is
    // skipped when it arrives live too, not only while held.
    this.covered = skip;
    for (const message of held) {
      if (skip === undefined || !skip(message)) this.owner.deliver(this, message);
    }
  }

  /** Live delivery: buffered while held. */
  deliver(message: PreparedMessage): void {
    if (this.held !== null) this.held.push(message);
    else if (this.covered === undefined || !this.covered(message)) this.owner.deliver(this, message);
  }

  /** Bypasses the hold: used by the replay itself. */
  deliverNow(message: PreparedMessage): void {
    this.owner.deliver(this, message);
  }
}

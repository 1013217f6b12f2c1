import { ParleyError } from '../errors.js';
import type { PreparedMessage } from './frame.js';
import type { Subscription } from './subscription.js';

interface PendingAck {
  subscription: Subscription;
  message: PreparedMessage;
}

/**
 * Messages delivered in `client` or `client-individual` mode that the client has not acked yet.
 * An un-acked message goes back to the broker (`requeue`) when NACKed or when its subscription
 * or session ends. https://stomp.github.io/stomp-specification-1.2.html#ACK
 */
export class AckTracker {
  // Insertion order is delivery order, which `client` mode's cumulative ACK relies on.
  private readonly pending = new Map<string, PendingAck>();

  constructor(private readonly requeue: (subscription: Subscription, message: PreparedMessage) => void) {}

  track(ackId: string, subscription: Subscription, message: PreparedMessage): void {
    this.pending.set(ackId, { subscription, message });
  }

  /** ACK (`positive`) or NACK of `ackId`; in `client` mode it covers every earlier message of that subscription. */
  settle(ackId: string, positive: boolean): void {
    const target = this.pending.get(ackId);
    if (target === undefined) throw new ParleyError('UNKNOWN_ACK', `No pending message "${ackId}"`);
    const covered: string[] = [];
    if (target.subscription.ackMode === 'client') {
      for (const [id, p] of this.pending) {
        if (p.subscription === target.subscription) covered.push(id);
        if (id === ackId) break;
      }
    } else {
      covered.push(ackId);
    }
    for (const id of covered) {
      const p = this.pending.get(id)!;
      this.pending.delete(id);
      if (!positive) this.requeue(p.subscription, p.message);
    }
  }

  /** Hands every un-acked message of `subscription` (of all subscriptions when omitted) back. */
  release(subscription?: Subscription): void {
    for (const [id, p] of [...this.pending]) {
      if (subscription !== undefined && p.subscription !== subscription) continue;
      this.pending.delete(id);
      this.requeue(p.subscription, p.message);
    }
  }
}

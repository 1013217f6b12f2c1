import type { PreparedMessage } from './frame.js';
import type { Subscription } from './subscription.js';

interface QueueState {
  consumers: Subscription[];
  next: number;
  backlog: PreparedMessage[];
}

/**
 * Point-to-point `/queue/**`: each message goes to one consumer, round-robin. Messages sent
 * while nobody consumes wait in a bounded backlog (oldest dropped first).
 */
export class QueueDispatcher {
  private readonly queues = new Map<string, QueueState>();

  constructor(private readonly maxBacklog = 10_000) {}

  send(destination: string, message: PreparedMessage, exclude?: Subscription): void {
    const q = this.state(destination);
    // A NACK with no other consumer waits in the backlog rather than bouncing straight back.
    const candidates = exclude === undefined ? q.consumers : q.consumers.filter((c) => c !== exclude);
    if (candidates.length === 0) {
      q.backlog.push(message);
      if (q.backlog.length > this.maxBacklog) q.backlog.shift();
      return;
    }
    const consumer = candidates[q.next++ % candidates.length]!;
    consumer.deliver(message);
  }

  addConsumer(sub: Subscription): void {
    const q = this.state(sub.destination);
    q.consumers.push(sub);
    const backlog = q.backlog.splice(0);
    for (const m of backlog) this.send(sub.destination, m);
  }

  removeConsumer(sub: Subscription): void {
    const q = this.queues.get(sub.destination);
    if (q === undefined) return;
    q.consumers = q.consumers.filter((c) => c !== sub);
    if (q.consumers.length === 0 && q.backlog.length === 0) this.queues.delete(sub.destination);
  }

  /** A NACKed or abandoned message: to another consumer when there is one. */
  requeue(sub: Subscription, message: PreparedMessage): void {
    this.send(sub.destination, message, sub);
  }

  private state(destination: string): QueueState {
    let q = this.queues.get(destination);
    if (q === undefined) {
      q = { consumers: [], next: 0, backlog: [] };
      this.queues.set(destination, q);
    }
    return q;
  }
}

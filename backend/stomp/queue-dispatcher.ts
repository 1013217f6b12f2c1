import type { Clock } from './clock.js';
import type { PreparedMessage } from './frame.js';
import type { Subscription } from './subscription.js';

/** How much one `/queue/**` destination may hold while nobody consumes it. */
export interface QueueLimits {
  /** Most messages waiting; past it the oldest is dropped. */
  maxMessages: number;
  /** Most bytes waiting (encoded frames); past it the oldest are dropped. */
  maxBytes: number;
  /** A message waiting longer than this is dropped, whether or not anyone looks at the queue. */
  ttlMs: number;
}

export const DEFAULT_QUEUE_LIMITS: QueueLimits = Object.freeze({ maxMessages: 1000, maxBytes: 4 * 1024 * 1024, ttlMs: 300_000 });

interface Waiting {
  message: PreparedMessage;
  expiresAt: number;
}

interface QueueState {
  consumers: Subscription[];
  next: number;
  backlog: Waiting[];
  backlogBytes: number;
  /** Fires when the oldest waiting message expires. */
  expiry: unknown;
}

/**
 * Point-to-point `/queue/**`: each message goes to one consumer, round-robin. Messages sent
 * while nobody consumes wait in a backlog bounded by {@link QueueLimits}: the oldest are dropped
 * first (the sender has had its RECEIPT; a queue is a buffer, not a store), and expired ones go
 * on a timer so an abandoned queue frees its memory by itself.
 */
export class QueueDispatcher {
  private readonly queues = new Map<string, QueueState>();

  constructor(private readonly limits: QueueLimits, private readonly clock: Clock) {}

  send(destination: string, message: PreparedMessage, exclude?: Subscription): void {
    const q = this.state(destination);
    // A NACK with no other consumer waits in the backlog rather than bouncing straight back.
    const candidates = exclude === undefined ? q.consumers : q.consumers.filter((c) => c !== exclude);
    if (candidates.length === 0) {
      this.enqueue(destination, q, message);
      return;
    }
    const consumer = candidates[q.next++ % candidates.length]!;
    consumer.deliver(message);
  }

  addConsumer(sub: Subscription): void {
    const q = this.state(sub.destination);
    q.consumers.push(sub);
    this.expire(q);
    const backlog = q.backlog.splice(0);
    q.backlogBytes = 0;
    this.clearExpiry(q);
    for (const w of backlog) this.send(sub.destination, w.message);
  }

  removeConsumer(sub: Subscription): void {
    const q = this.queues.get(sub.destination);
    if (q === undefined) return;
    q.consumers = q.consumers.filter((c) => c !== sub);
    this.forgetIfIdle(sub.destination, q);
  }

  /** A NACKed or abandoned message: to another consumer when there is one. */
  requeue(sub: Subscription, message: PreparedMessage): void {
    this.send(sub.destination, message, sub);
  }

  /** Bytes waiting in every backlog. */
  backlogBytes(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.backlogBytes;
    return n;
  }

  private enqueue(destination: string, q: QueueState, message: PreparedMessage): void {
    q.backlog.push({ message, expiresAt: this.clock.now() + this.limits.ttlMs });
    q.backlogBytes += message.tailBytes;
    while (q.backlog.length > this.limits.maxMessages || (q.backlogBytes > this.limits.maxBytes && q.backlog.length > 0)) this.dropOldest(q);
    if (q.expiry === undefined && q.backlog.length > 0) this.scheduleExpiry(destination, q);
    this.forgetIfIdle(destination, q);
  }

  private dropOldest(q: QueueState): void {
    const w = q.backlog.shift()!;
    q.backlogBytes -= w.message.tailBytes;
  }

  private expire(q: QueueState): void {
    const now = this.clock.now();
    while (q.backlog.length > 0 && q.backlog[0]!.expiresAt <= now) this.dropOldest(q);
  }

  private scheduleExpiry(destination: string, q: QueueState): void {
    const oldest = q.backlog[0]!;
    q.expiry = this.clock.setTimeout(() => {
      q.expiry = undefined;
      this.expire(q);
      if (q.backlog.length > 0) this.scheduleExpiry(destination, q);
      this.forgetIfIdle(destination, q);
    }, Math.max(0, oldest.expiresAt - this.clock.now()));
  }

  private clearExpiry(q: QueueState): void {
    if (q.expiry !== undefined) this.clock.clearTimeout(q.expiry);
    q.expiry = undefined;
  }

  private forgetIfIdle(destination: string, q: QueueState): void {
    if (q.consumers.length > 0 || q.backlog.length > 0) return;
    this.clearExpiry(q);
    if (this.queues.get(destination) === q) this.queues.delete(destination);
  }

  private state(destination: string): QueueState {
    let q = this.queues.get(destination);
    if (q === undefined) {
      q = { consumers: [], next: 0, backlog: [], backlogBytes: 0, expiry: undefined };
      this.queues.set(destination, q);
    }
    return q;
  }
}

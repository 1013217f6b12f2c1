import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { BrokerMetrics } from './stomp/broker.js';

/** A registry per app, so several apps in one test process do not collide. */
export class Metrics implements BrokerMetrics {
  readonly registry = new Registry();
  private readonly connectionsGauge = new Gauge({ name: 'parley_connections', help: 'Open STOMP connections', registers: [this.registry] });
  private readonly subscriptionsGauge = new Gauge({ name: 'parley_subscriptions', help: 'Active subscriptions', registers: [this.registry] });
  /** Frames counted in plain Maps on the hot path (one per delivery), handed to prom-client when scraped. */
  private readonly pendingFrames = { in: new Map<string, number>(), out: new Map<string, number>() };
  private readonly frames = new Counter({
    name: 'parley_frames_total',
    help: 'STOMP frames by direction and command',
    labelNames: ['direction', 'command'],
    registers: [this.registry],
    collect: () => this.flushFrames(),
  });
  private readonly stored = new Counter({ name: 'parley_messages_stored_total', help: 'Chat and system messages stored', registers: [this.registry] });
  private readonly clashes = new Counter({ name: 'parley_seq_clashes_total', help: 'Seqs another instance took first (each retried)', registers: [this.registry] });
  private clashCount = 0;
  private readonly groupCommitCounter = new Counter({ name: 'parley_group_commits_total', help: 'INSERTs that stored the messages of several rooms at once', registers: [this.registry] });
  private readonly groupCommitRooms = new Counter({ name: 'parley_group_commit_rooms_total', help: 'Room batches stored by multi-room INSERTs', registers: [this.registry] });
  private readonly groupCommitCounts = { statements: 0, rooms: 0 };
  private readonly errors = new Counter({ name: 'parley_errors_total', help: 'Errors and refusals by code', labelNames: ['code'], registers: [this.registry] });

  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry });
  }

  frame(direction: 'in' | 'out', command: string): void {
    const counts = this.pendingFrames[direction];
    counts.set(command, (counts.get(command) ?? 0) + 1);
  }

  private flushFrames(): void {
    for (const direction of ['in', 'out'] as const) {
      const counts = this.pendingFrames[direction];
      for (const [command, n] of counts) this.frames.inc({ direction, command }, n);
      counts.clear();
    }
  }

  refusal(code: string): void {
    this.errors.inc({ code });
  }

  connections(delta: number): void {
    this.connectionsGauge.inc(delta);
  }

  subscriptions(delta: number): void {
    this.subscriptionsGauge.inc(delta);
  }

  messageStored(): void {
    this.stored.inc();
  }

  seqClash(): void {
    this.clashes.inc();
    this.clashCount++;
  }

  /** One INSERT stored the messages of `rooms` rooms (cross-room group commit). */
  groupCommit(rooms: number): void {
    this.groupCommitCounter.inc();
    this.groupCommitRooms.inc(rooms);
    this.groupCommitCounts.statements++;
    this.groupCommitCounts.rooms += rooms;
  }

  /** Multi-room INSERTs so far and the room batches they carried (tests, the bench). */
  groupCommits(): { statements: number; rooms: number } {
    return { ...this.groupCommitCounts };
  }

  /** Seq clashes so far (tests and the bench read it without parsing the exposition). */
  seqClashes(): number {
    return this.clashCount;
  }
}

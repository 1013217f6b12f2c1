import type { Logger } from '../logger.js';
import type { Clock } from '../stomp/clock.js';
import type { PreparedMessage } from '../stomp/frame.js';
import type { PubSubBus } from '../stomp/pubsub-bus.js';
import type { RedisBus } from './redis-bus.js';
import { RoomSequencer, type RoomHistory } from './room-sequencer.js';

const ROOM_TOPIC = /^\/topic\/rooms\/([1-9]\d{0,15})$/;

/**
 * The Redis bus with each room topic passed through a {@link RoomSequencer}, so every
 * subscriber on this instance sees a room's messages in seq order without gaps or repeats.
 * Other destinations go straight through.
 */
export class SequencedBus implements PubSubBus {
  private readonly sequencers = new Map<string, RoomSequencer>();

  /** `history` is read late: the message service that answers it is built after the bus. */
  constructor(
    private readonly inner: RedisBus,
    private readonly history: () => RoomHistory,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly gapWaitMs: number,
  ) {
    inner.onResync((destination) => void this.sequencers.get(destination)?.catchUp());
  }

  publish(destination: string, message: PreparedMessage): void {
    this.inner.publish(destination, message);
  }

  async subscribe(destination: string, listener: (message: PreparedMessage) => void): Promise<() => void> {
    const room = ROOM_TOPIC.exec(destination);
    if (room === null) return this.inner.subscribe(destination, listener);
    const sequencer = new RoomSequencer(Number(room[1]), listener, this.history(), this.clock, this.logger, this.gapWaitMs);
    const unsubscribe = await this.inner.subscribe(destination, (m) => sequencer.push(m));
    try {
      await sequencer.start();
    } catch (e: unknown) {
      unsubscribe();
      throw e;
    }
    this.sequencers.set(destination, sequencer);
    return () => {
      unsubscribe();
      sequencer.stop();
      if (this.sequencers.get(destination) === sequencer) this.sequencers.delete(destination);
    };
  }

  /** Refills every room with local subscribers from the database (Redis came back). */
  async catchUpAll(): Promise<void> {
    await Promise.all([...this.sequencers.values()].map((s) => s.catchUp()));
  }

  /** Asks every instance to refill a room (its last writer may have died before publishing). */
  requestResync(destination: string): void {
    this.inner.requestResync(destination);
  }

  async close(): Promise<void> {
    for (const s of this.sequencers.values()) s.stop();
    this.sequencers.clear();
    await this.inner.close();
  }
}

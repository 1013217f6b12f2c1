import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { PreparedMessage } from '../stomp/frame.js';
import type { PubSubBus } from '../stomp/pubsub-bus.js';
import { decodeBusMessage, encodeBusMessage } from './bus-codec.js';
import type { RedisKeys } from './redis-keys.js';

type Listener = (message: PreparedMessage) => void;

/** Body of the control message that asks every instance to refill a room from the database. */
const RESYNC = Buffer.from('parley:resync');

/**
 * `/topic/**` fan-out over Redis pub/sub: one channel per destination, one Redis SUBSCRIBE per
 * destination with local subscribers, one PUBLISH per message. Every instance, the publisher
 * included, receives through Redis, so all see one order per publisher.
 *
 * Redis pub/sub is at-most-once. A publish that fails (Redis down) is remembered, and once the
 * publisher is back a resync marker goes out on that destination so receivers refill the gap
 * from the database (see `SequencedBus`).
 */
export class RedisBus implements PubSubBus {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly resyncListeners: ((destination: string) => void)[] = [];
  private readonly failed = new Set<string>();
  /** The SUBSCRIBE of each destination, so a second subscriber waits for the same one. */
  private readonly subscribing = new Map<string, Promise<unknown>>();

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
  ) {
    sub.on('messageBuffer', (channel: Buffer, data: Buffer) => this.receive(channel.toString('utf8'), data));
    pub.on('ready', () => this.flushResyncs());
  }

  publish(destination: string, message: PreparedMessage): void {
    this.pub.publish(this.keys.bus(destination), encodeBusMessage(message)).catch((e: unknown) => {
      this.failed.add(destination);
      this.logger.debug({ err: e, destination }, 'bus publish failed');
    });
  }

  /** Tells every instance to refill `destination` from the database. */
  requestResync(destination: string): void {
    this.pub.publish(this.keys.bus(destination), RESYNC).catch(() => this.failed.add(destination));
  }

  /** `listener` hears resync markers (after a lost publish or a dead instance). */
  onResync(listener: (destination: string) => void): void {
    this.resyncListeners.push(listener);
  }

  /** Destinations with local subscribers. */
  destinations(): string[] {
    return [...this.listeners.keys()];
  }

  async subscribe(destination: string, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(destination);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(destination, set);
      this.subscribing.set(destination, this.sub.subscribe(this.keys.bus(destination)));
    }
    try {
      await this.subscribing.get(destination);
    } catch (e: unknown) {
      if (this.listeners.get(destination) === set && set.size === 0) {
        this.listeners.delete(destination);
        this.subscribing.delete(destination);
      }
      throw e;
    }
    set.add(listener);
    const own = set;
    return () => {
      own.delete(listener);
      if (own.size > 0 || this.listeners.get(destination) !== own) return;
      this.listeners.delete(destination);
      this.subscribing.delete(destination);
      this.sub.unsubscribe(this.keys.bus(destination)).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private receive(channel: string, data: Buffer): void {
    const prefix = this.keys.bus('');
    if (!channel.startsWith(prefix)) return;
    const destination = channel.slice(prefix.length);
    const set = this.listeners.get(destination);
    if (set === undefined) return;
    if (data.equals(RESYNC)) {
      for (const l of this.resyncListeners) l(destination);
      return;
    }
    const decoded = decodeBusMessage(data);
    if (decoded === null) {
      this.logger.warn({ destination }, 'malformed bus message dropped');
      return;
    }
    for (const l of set) l(decoded.message);
  }

  private flushResyncs(): void {
    const list = [...this.failed];
    this.failed.clear();
    for (const d of list) this.requestResync(d);
  }
}

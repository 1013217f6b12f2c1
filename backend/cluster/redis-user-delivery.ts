import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { PreparedMessage } from '../stomp/frame.js';
import type { StompSession } from '../stomp/session.js';
import { LocalUserDelivery, type UserDelivery } from '../stomp/user-delivery.js';
import { decodeBusMessage, encodeBusMessage } from './bus-codec.js';
import { instanceOfSession, type RedisKeys } from './redis-keys.js';

/**
 * `/user/queue/**` across instances. Each instance subscribes to the channel of every user
 * with a session here and to its own node channel. A frame for a user is delivered to local
 * sessions at once and published once for the other instances; a frame for one session goes
 * straight to it when local, else to the node channel of the instance named in its id.
 */
export class RedisUserDelivery implements UserDelivery {
  private readonly local = new LocalUserDelivery();
  private readonly sessionsPerUser = new Map<string, number>();

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly keys: RedisKeys,
    private readonly instanceId: string,
    private readonly logger: Logger,
  ) {
    sub.on('messageBuffer', (channel: Buffer, data: Buffer) => this.receive(channel.toString('utf8'), data));
  }

  /** Subscribes to this instance's node channel. */
  async start(): Promise<void> {
    await this.sub.subscribe(this.keys.node(this.instanceId));
  }

  /** After a reconnect: a user channel whose SUBSCRIBE failed while Redis was down is not in ioredis's resubscribe list. */
  async resubscribeUsers(): Promise<void> {
    const channels = [...this.sessionsPerUser.keys()].map((u) => this.keys.user(u));
    if (channels.length > 0) await this.sub.subscribe(...channels);
  }

  add(session: StompSession): void {
    this.local.add(session);
    const userId = session.user?.id;
    if (userId === undefined) return;
    const n = (this.sessionsPerUser.get(userId) ?? 0) + 1;
    this.sessionsPerUser.set(userId, n);
    if (n === 1) this.sub.subscribe(this.keys.user(userId)).catch((e: unknown) => this.logger.warn({ err: e }, 'user channel subscribe failed'));
  }

  remove(session: StompSession): void {
    this.local.remove(session);
    const userId = session.user?.id;
    if (userId === undefined) return;
    const n = (this.sessionsPerUser.get(userId) ?? 0) - 1;
    if (n > 0) {
      this.sessionsPerUser.set(userId, n);
      return;
    }
    this.sessionsPerUser.delete(userId);
    this.sub.unsubscribe(this.keys.user(userId)).catch(() => undefined);
  }

  toUser(userId: string, destination: string, message: PreparedMessage): void {
    this.local.toUser(userId, destination, message);
    this.send(this.keys.user(userId), message, { o: this.instanceId });
  }

  toSession(sessionId: string, destination: string, message: PreparedMessage): void {
    const instance = instanceOfSession(sessionId);
    if (instance === this.instanceId || instance === '') {
      this.local.toSession(sessionId, destination, message);
      return;
    }
    this.send(this.keys.node(instance), message, { o: this.instanceId, s: sessionId });
  }

  private send(channel: string, message: PreparedMessage, meta: { o: string; s?: string }): void {
    this.pub.publish(channel, encodeBusMessage(message, meta)).catch((e: unknown) => this.logger.debug({ err: e, channel }, 'user delivery publish failed'));
  }

  private receive(channel: string, data: Buffer): void {
    const userPrefix = this.keys.user('');
    const isNode = channel === this.keys.node(this.instanceId);
    if (!isNode && !channel.startsWith(userPrefix)) return;
    const decoded = decodeBusMessage(data);
    if (decoded === null || decoded.meta.o === this.instanceId) return;
    const { message, meta } = decoded;
    if (isNode) {
      if (meta.s !== undefined) this.local.toSession(meta.s, message.destination, message);
      return;
    }
    this.local.toUser(channel.slice(userPrefix.length), message.destination, message);
  }
}

import { randomBytes } from 'node:crypto';
import { ParleyError } from '../errors.js';
import type { AuthUser } from '../auth/auth-user.js';
import { classifyDestination, RouteTable } from './destinations.js';
import { PreparedMessage, type Frame } from './frame.js';
import type { PubSubBus } from './pubsub-bus.js';
import { DEFAULT_QUEUE_LIMITS, QueueDispatcher, type QueueLimits } from './queue-dispatcher.js';
import { StompSession, type SessionHost, type SessionSettings } from './session.js';
import type { Subscription } from './subscription.js';
import type { TransportConnection } from './transport.js';
import type { UserDelivery } from './user-delivery.js';
import { ERRORS_QUEUE, LOBBY_TOPIC, ROOM_TOPIC_PREFIX } from '../../sdk/protocol/destinations.js';
import { HEADER_ERROR_CODE, HEADER_RETRY_AFTER_MS } from '../../sdk/protocol/frames.js';

/** What an `/app/**` handler sees. */
export interface AppSendContext {
  session: StompSession;
  user: AuthUser;
  params: Record<string, string>;
  frame: Frame;
}
/**
 * Runs before a SEND is handled (limits): returns to let it through, throws a ParleyError to refuse.
 * Synchronous when it can be, so pipelined frames reach their handler in order.
 */
export type SendGuard = (ctx: { session: StompSession; user: AuthUser; destination: string }) => void | Promise<void>;

/** Resolves with extra RECEIPT headers; throws a ParleyError to refuse. */
export type AppSendHandler = (ctx: AppSendContext) => Promise<Record<string, string> | void>;

export interface TopicSubscribeContext {
  session: StompSession;
  user: AuthUser;
  params: Record<string, string>;
  subscription: Subscription;
}
/**
 * Guards a reserved topic. `authorize` throws a refusal or returns; `afterRegistered` runs once
 * the subscription receives live messages (held, if it called `subscription.hold()` in authorize).
 */
export interface TopicHook {
  authorize(ctx: TopicSubscribeContext): Promise<void>;
  afterRegistered?(ctx: TopicSubscribeContext): Promise<void>;
}

export interface BrokerMetrics {
  frame(direction: 'in' | 'out', command: string): void;
  refusal(code: string): void;
  connections(delta: number): void;
  subscriptions(delta: number): void;
}

export interface BrokerOptions extends SessionSettings {
  bus: PubSubBus;
  users: UserDelivery;
  /** `session`: the session being opened (the application may remember the token's expiry for it). */
  authenticate: (connect: Frame, session: StompSession) => Promise<AuthUser>;
  metrics: BrokerMetrics;
  openDestinations: boolean;
  /** Prefix of every session id; user delivery across instances routes by it. Default: random. */
  instanceId?: string;
  /** Bounds on each `/queue/**` backlog; {@link DEFAULT_QUEUE_LIMITS} when absent. */
  queueLimits?: QueueLimits;
}

/** Topics only the server may publish to; they may still be subscribed through a hook. */
const RESERVED_TOPICS = [ROOM_TOPIC_PREFIX, LOBBY_TOPIC];

interface TopicEntry {
  subs: Set<Subscription>;
  /** Settles once the bus delivers to this instance; holds the bus's unsubscribe function. */
  ready: Promise<(() => void) | undefined>;
}

/**
 * Routes frames between sessions: `/app/**` to handlers, `/topic/**` through the bus,
 * `/queue/**` to one consumer, `/user/queue/**` through user delivery.
 */
export class Broker implements SessionHost {
  private readonly sessions = new Map<string, StompSession>();
  private readonly topics = new Map<string, TopicEntry>();
  private readonly queues: QueueDispatcher;
  private readonly appRoutes = new RouteTable<{ handler: AppSendHandler; pipelined: boolean }>();
  private readonly topicHooks = new RouteTable<TopicHook>();
  private readonly appGuards = new RouteTable<SendGuard>();
  private openSendGuard: SendGuard | undefined;
  private readonly closeListeners: ((session: StompSession) => void)[] = [];
  private readonly instance: string;
  private sessionCounter = 0;

  constructor(private readonly options: BrokerOptions) {
    this.instance = options.instanceId ?? randomBytes(3).toString('hex');
    this.queues = new QueueDispatcher(options.queueLimits ?? DEFAULT_QUEUE_LIMITS, options.clock);
  }

  // --- application wiring ---------------------------------------------------

  /**
   * `pipelined`: the handler starts its work synchronously in frame order (e.g. enqueues into a
   * room lane) so later frames need not wait for it; RECEIPTs still go out in order.
   */
  onSend(pattern: string, handler: AppSendHandler, options: { pipelined?: boolean } = {}): this {
    this.appRoutes.add(pattern, { handler, pipelined: options.pipelined ?? false });
    return this;
  }

  isPipelined(frame: Frame): boolean {
    const destination = frame.headers.get('destination');
    return destination !== undefined && destination.startsWith('/app/') && this.appRoutes.match(destination)?.value.pipelined === true;
  }

  /** A guard for `/app/**` SENDs matching `pattern` (one per pattern), run before the handler. */
  guardSend(pattern: string, guard: SendGuard): this {
    this.appGuards.add(pattern, guard);
    return this;
  }

  /** A guard for client SENDs to open `/topic/**` and `/queue/**` destinations. */
  guardOpenSend(guard: SendGuard): this {
    this.openSendGuard = guard;
    return this;
  }

  onTopic(pattern: string, hook: TopicHook): this {
    this.topicHooks.add(pattern, hook);
    return this;
  }

  onSessionClosed(listener: (session: StompSession) => void): void {
    this.closeListeners.push(listener);
  }

  /** Encodes once; every subscriber on every instance gets the same bytes plus its own head. */
  publish(destination: string, headers: Record<string, string | undefined>, body: string | Buffer): PreparedMessage {
    const message = this.prepare(destination, headers, body);
    this.options.bus.publish(destination, message);
    return message;
  }

  prepare(destination: string, headers: Record<string, string | undefined>, body: string | Buffer): PreparedMessage {
    return new PreparedMessage(destination, headers, body);
  }

  publishPrepared(message: PreparedMessage): void {
    this.options.bus.publish(message.destination, message);
  }

  toUser(userId: string, destination: string, headers: Record<string, string | undefined>, body: string): void {
    this.options.users.toUser(userId, destination, new PreparedMessage(destination, headers, body));
  }

  toSession(sessionId: string, destination: string, headers: Record<string, string | undefined>, body: string): void {
    this.options.users.toSession(sessionId, destination, new PreparedMessage(destination, headers, body));
  }

  allSessions(): IterableIterator<StompSession> {
    return this.sessions.values();
  }

  /** Drops every subscription to `destination` (a deleted room). */
  dropDestination(destination: string): void {
    const entry = this.topics.get(destination);
    if (entry === undefined) return;
    for (const sub of [...entry.subs]) {
      const session = this.sessions.get(sub.owner.id);
      session?.dropSubscription(sub);
    }
  }

  /** Drops one session's subscriptions to `destination` (it left the room). */
  dropSessionDestination(session: StompSession, destination: string): void {
    for (const sub of session.subscriptionsTo(destination)) session.dropSubscription(sub);
  }

  /** A new session over a transport; the transport feeds it with `receive`. */
  createSession(transport: TransportConnection): StompSession {
    return new StompSession({ ...this.options, id: `${this.instance}-${(++this.sessionCounter).toString(36)}`, transport, host: this });
  }

  closeAll(): void {
    for (const session of [...this.sessions.values()]) session.close();
  }

  // --- SessionHost ----------------------------------------------------------

  authenticate(connect: Frame, session: StompSession): Promise<AuthUser> {
    return this.options.authenticate(connect, session);
  }

  sessionOpened(session: StompSession): void {
    this.sessions.set(session.id, session);
    this.options.users.add(session);
    this.options.metrics.connections(1);
  }

  async send(session: StompSession, frame: Frame): Promise<Record<string, string> | void> {
    const destination = frame.headers.get('destination');
    if (destination === undefined) throw new ParleyError('MISSING_HEADER', 'SEND needs a "destination" header');
    const user = session.user!;
    switch (classifyDestination(destination)) {
      case 'app': {
        const route = this.appRoutes.match(destination);
        if (route === undefined) throw new ParleyError('UNKNOWN_DESTINATION', `No handler for ${destination}`);
        const handle = (): Promise<Record<string, string> | void> => route.value.handler({ session, user, params: route.params, frame });
        const passed = this.appGuards.match(destination)?.value({ session, user, destination });
        return passed === undefined ? handle() : passed.then(handle);
      }
      case 'topic':
        if (this.isReserved(destination) || !this.options.openDestinations) throw forbidden(destination);
        await this.openSendGuard?.({ session, user, destination });
        this.options.bus.publish(destination, new PreparedMessage(destination, passOnHeaders(frame), frame.body));
        return undefined;
      case 'queue':
        if (!this.options.openDestinations) throw forbidden(destination);
        await this.openSendGuard?.({ session, user, destination });
        this.queues.send(destination, new PreparedMessage(destination, passOnHeaders(frame), frame.body));
        return undefined;
      case 'user':
        throw forbidden(destination);
      case 'unknown':
        throw new ParleyError('UNKNOWN_DESTINATION', `No destination ${destination}`);
    }
  }

  async subscribe(session: StompSession, sub: Subscription): Promise<void> {
    const destination = sub.destination;
    const user = session.user!;
    switch (classifyDestination(destination)) {
      case 'topic': {
        const hook = this.topicHooks.match(destination);
        if (hook !== undefined) {
          const ctx: TopicSubscribeContext = { session, user, params: hook.params, subscription: sub };
          await hook.value.authorize(ctx);
          await this.addTopicSubscription(sub);
          try {
            await hook.value.afterRegistered?.(ctx);
          } catch (e: unknown) {
            sub.release();
            this.unsubscribe(session, sub);
            throw e;
          }
          return;
        }
        if (this.isReserved(destination) || !this.options.openDestinations) throw forbidden(destination);
        await this.addTopicSubscription(sub);
        return;
      }
      case 'queue':
        if (!this.options.openDestinations) throw forbidden(destination);
        this.options.metrics.subscriptions(1);
        this.queues.addConsumer(sub);
        return;
      case 'user':
        // Found by destination at delivery time (user delivery scans the session's subscriptions).
        this.options.metrics.subscriptions(1);
        return;
      case 'app':
        throw forbidden(destination);
      case 'unknown':
        throw new ParleyError('UNKNOWN_DESTINATION', `No destination ${destination}`);
    }
  }

  unsubscribe(_session: StompSession, sub: Subscription): void {
    this.options.metrics.subscriptions(-1);
    const kind = classifyDestination(sub.destination);
    if (kind === 'queue') {
      this.queues.removeConsumer(sub);
      return;
    }
    if (kind !== 'topic') return;
    const entry = this.topics.get(sub.destination);
    if (entry === undefined) return;
    entry.subs.delete(sub);
    if (entry.subs.size === 0) {
      this.topics.delete(sub.destination);
      void entry.ready.then((unsubscribe) => unsubscribe?.());
    }
  }

  requeue(sub: Subscription, message: PreparedMessage): void {
    // Topic messages are fire-and-forget; only queue messages get another chance.
    if (classifyDestination(sub.destination) === 'queue') this.queues.requeue(sub, message);
  }

  refuse(session: StompSession, error: ParleyError, frame: Frame): void {
    this.options.metrics.refusal(error.code);
    const receiptId = frame.headers.get('receipt');
    // Set by limits that know when the frame would pass (docs/protocol.md §2).
    const retryAfterMs = error.details?.['retryAfterMs'];
    const body = JSON.stringify({
      code: error.code,
      message: error.message,
      receiptId: receiptId ?? null,
      destination: frame.headers.get('destination') ?? null,
      command: frame.command,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
    const message = new PreparedMessage(
      ERRORS_QUEUE,
      {
        [HEADER_ERROR_CODE]: error.code,
        'receipt-id': receiptId,
        'content-type': 'application/json',
        [HEADER_RETRY_AFTER_MS]: retryAfterMs === undefined ? undefined : String(retryAfterMs),
      },
      body,
    );
    this.options.users.toSession(session.id, ERRORS_QUEUE, message);
  }

  sessionClosed(session: StompSession): void {
    if (!this.sessions.delete(session.id)) return;
    this.options.users.remove(session);
    this.options.metrics.connections(-1);
    for (const listener of this.closeListeners) {
      try {
        listener(session);
      } catch (e: unknown) {
        this.options.logger.error({ err: e }, 'session close listener failed');
      }
    }
  }

  countFrame(direction: 'in' | 'out', command: string): void {
    this.options.metrics.frame(direction, command);
  }

  countError(code: string): void {
    this.options.metrics.refusal(code);
  }

  // --- internals ------------------------------------------------------------

  private isReserved(destination: string): boolean {
    // `/topic/lobby` itself (and below it), not every name that merely starts with "lobby".
    return RESERVED_TOPICS.some((p) => destination === p || destination.startsWith(p.endsWith('/') ? p : `${p}/`));
  }

  /**
   * Resolves once the bus delivers the destination here, so a resume that reads the database
   * afterwards cannot miss a message published in between.
   */
  private async addTopicSubscription(sub: Subscription): Promise<void> {
    this.options.metrics.subscriptions(1);
    let entry = this.topics.get(sub.destination);
    if (entry === undefined) {
      const subs = new Set<Subscription>();
      const ready = this.options.bus
        .subscribe(sub.destination, (message) => {
          for (const s of subs) s.deliver(message);
        })
        .catch((e: unknown) => {
          this.options.logger.warn({ err: e, destination: sub.destination }, 'bus subscribe failed');
          if (this.topics.get(sub.destination) === created) this.topics.delete(sub.destination);
          return undefined;
        });
      const created: TopicEntry = { subs, ready };
      entry = created;
      this.topics.set(sub.destination, entry);
    }
    entry.subs.add(sub);
    if ((await entry.ready) !== undefined) return;
    entry.subs.delete(sub);
    this.options.metrics.subscriptions(-1);
    throw new ParleyError('UNAVAILABLE', 'The message bus is not reachable');
  }
}

function forbidden(destination: string): ParleyError {
  return new ParleyError('DESTINATION_FORBIDDEN', `Clients may not use ${destination} this way`);
}

/** User-defined SEND headers pass on to MESSAGE; frame-control headers do not. */
function passOnHeaders(frame: Frame): [string, string][] {
  const skip = new Set(['destination', 'receipt', 'transaction', 'content-length', 'subscription', 'message-id', 'ack']);
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const [k, v] of frame.rawHeaders) {
    if (skip.has(k) || seen.has(k)) continue;
    seen.add(k);
    out.push([k, v]);
  }
  return out;
}

import { ParleyError, isParleyError } from '../errors.js';
import type { AuthUser } from '../auth/auth-user.js';
import { encodeFrame, makeFrame, type Frame, type PreparedMessage, type StompCommand } from './frame.js';
import { HeartbeatMonitor, negotiateHeartbeat } from './heartbeat.js';
import { FrameParser } from './parser.js';
import { AckTracker } from './ack-tracker.js';
import { Subscription, type AckMode } from './subscription.js';
import { Transactions } from './transactions.js';
import { negotiateVersion } from './version.js';
import type { SessionHost, SessionSettings } from './session-host.js';
import type { TransportConnection } from './transport.js';
import { HEADER_ERROR_CODE } from '../../sdk/protocol/frames.js';

export type { SessionHost, SessionSettings };

export interface SessionOptions extends SessionSettings {
  id: string;
  transport: TransportConnection;
  host: SessionHost;
}

type Handler = (session: StompSession, frame: Frame) => Promise<Record<string, string> | void>;

/** Frames run back to back before the session lets other I/O in. */
const FRAMES_PER_TURN = 32;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Frames that may stand in a transaction. */
const TRANSACTIONAL = new Set<StompCommand>(['SEND', 'ACK', 'NACK']);

/**
 * One STOMP connection: parses bytes, runs frames one at a time (so RECEIPTs go out in
 * order), keeps subscriptions, acks, transactions and heart-beats.
 */
export class StompSession {
  readonly id: string;
  user: AuthUser | undefined = undefined;
  version: string = '1.2';
  private state: 'new' | 'connected' | 'closed' = 'new';
  private readonly parser: FrameParser;
  private chain: Promise<void> = Promise.resolve();
  private completions: Promise<void> = Promise.resolve();
  /** The parser failed: the ERROR is queued behind the frames already received. */
  private streamBroken = false;
  private queued = 0;
  private readonly subscriptions = new Map<string, Subscription>();
  /** Ids the server refused or dropped: a later UNSUBSCRIBE of them is not an error. */
  private retiredIds: Set<string> | undefined = undefined;
  private readonly acks: AckTracker;
  private readonly transactions: Transactions;
  private heartbeat: HeartbeatMonitor | undefined = undefined;
  private connectTimer: unknown = undefined;
  private messageCounter = 0;
  /** Extra per-session data for the application layer (rooms joined, rate limit state…). */
  readonly attachments = new Map<string, unknown>();
  /** One table for every session (no closures per connection): https://stomp.github.io/stomp-specification-1.2.html#Client_Frames */
  private static readonly handlers: Readonly<Record<string, Handler>> = {
    CONNECT: (s, f) => s.onConnect(f),
    STOMP: (s, f) => s.onConnect(f),
    SEND: (s, f) => s.options.host.send(s, f),
    SUBSCRIBE: (s, f) => s.onSubscribe(f),
    UNSUBSCRIBE: (s, f) => s.onUnsubscribe(f),
    ACK: (s, f) => s.onAck(f, true),
    NACK: (s, f) => s.onAck(f, false),
    BEGIN: (s, f) => s.onBegin(f),
    COMMIT: (s, f) => s.onCommit(f),
    ABORT: (s, f) => s.onAbort(f),
    DISCONNECT: async () => undefined,
  };

  constructor(private readonly options: SessionOptions) {
    this.id = options.id;
    this.parser = new FrameParser({ ...options.limits, pauseAfterConnect: true });
    this.acks = new AckTracker((subscription, message) => options.host.requeue(subscription, message));
    this.transactions = new Transactions({ maxFrames: options.maxTxFrames, maxBytes: options.maxTxBytes });
    if (options.connectTimeoutMs > 0) {
      this.connectTimer = options.clock.setTimeout(() => {
        this.connectTimer = undefined;
        if (this.state === 'new') this.fail(new ParleyError('NOT_CONNECTED', 'No CONNECT frame in time'), undefined);
      }, options.connectTimeoutMs);
    }
  }

  get transport(): TransportConnection {
    return this.options.transport;
  }

  get isOpen(): boolean {
    return this.state !== 'closed';
  }

  subscriptionsTo(destination: string): Subscription[] {
    const out: Subscription[] = [];
    for (const s of this.subscriptions.values()) if (s.destination === destination) out.push(s);
    return out;
  }

  /** Bytes from the transport. */
  receive(chunk: Buffer | string): void {
    if (this.state === 'closed' || this.streamBroken) return;
    this.heartbeat?.sawIncoming();
    try {
      let frames = this.parser.push(chunk);
      for (;;) {
        this.enqueue(frames);
        if (!this.parser.isPaused) break;
        // The version decides how the frames after CONNECT are parsed (1.0 has no escaping), so it
        // is negotiated here, before they are read, not when the CONNECT's turn comes.
        frames = this.parser.resume(escapesHeaders(frames[frames.length - 1]!));
      }
    } catch (e: unknown) {
      // Frames received before the bad bytes are still processed (their RECEIPTs go out) first;
      // anything after them is ignored: the stream position is lost.
      this.streamBroken = true;
      const error = isParleyError(e) ? e : new ParleyError('MALFORMED_HEADER', String(e));
      this.chain = this.chain.then(() => this.completions).then(() => this.fail(error, undefined));
    }
  }

  private enqueue(frames: Frame[]): void {
    frames.forEach((frame, i) => {
      this.options.host.countFrame('in', frame.command);
      this.queued++;
      // Frames that settle at once run as microtasks; without a turn of the event loop now and
      // then, one message packed with thousands of frames would starve every other client.
      if (i > 0 && i % FRAMES_PER_TURN === 0) this.chain = this.chain.then(nextTurn);
      this.chain = this.chain.then(() => this.process(frame));
    });
  }

  /** How this session writes headers: STOMP 1.0 knows no escapes. */
  private get encoding(): 'escape' | 'stomp10' {
    return this.version === '1.0' ? 'stomp10' : 'escape';
  }

  /** The transport closed under us. */
  transportClosed(): void {
    this.shutdown();
  }

  /** Server-initiated close without an ERROR (shutdown). */
  close(): void {
    if (this.state === 'closed') return;
    this.shutdown();
    this.options.transport.close();
  }

  /** Resolves once every frame received so far has been processed. */
  idle(): Promise<void> {
    return this.chain.then(() => this.completions);
  }

  /** Drops a subscription from the server side (left room, room deleted). */
  dropSubscription(subscription: Subscription): void {
    if (this.subscriptions.get(subscription.id) !== subscription) return;
    this.removeSubscription(subscription);
    (this.retiredIds ??= new Set()).add(subscription.id);
  }

  deliver(subscription: Subscription, message: PreparedMessage): void {
    if (this.state !== 'connected') return;
    const n = ++this.messageCounter;
    const head = subscription.wireHead(this.id, this.encoding);
    if (subscription.ackMode !== 'auto') this.acks.track(head.messageId(n), subscription, message);
    const transport = this.options.transport;
    if (transport.textOnly) transport.send(head.text(message, n));
    else transport.send(head.frame(message, n), message.isUtf8);
    this.wrote('MESSAGE');
    if (transport.bufferedBytes() > this.options.slowConsumerBytes) this.fail(new ParleyError('SLOW_CONSUMER'), undefined);
  }

  /** Sends a server frame (RECEIPT, ERROR, CONNECTED). */
  sendFrame(command: StompCommand, headers: Record<string, string | undefined>, body?: string): void {
    if (this.state === 'closed') return;
    const bytes = encodeFrame(command, headers, body, this.encoding);
    this.write(this.options.transport.textOnly ? bytes.toString('utf8') : bytes, command);
  }

  private write(data: Buffer | string, command: string): void {
    this.options.transport.send(data);
    this.wrote(command);
  }

  private wrote(command: string): void {
    this.heartbeat?.sawOutgoing();
    this.options.host.countFrame('out', command);
  }

  private async process(frame: Frame): Promise<void> {
    this.queued--;
    if (this.state === 'closed') return;
    const receipt = frame.command === 'CONNECT' || frame.command === 'STOMP' ? undefined : frame.headers.get('receipt');
    if (this.state === 'connected' && frame.command === 'SEND' && !frame.headers.has('transaction') && this.options.host.isPipelined(frame)) {
      // Chat messages may overlap so the room can store them in one batch; their RECEIPTs
      // (and refusals) still go out in frame order through `completions`.
      // The outcome is attached at once, not when its turn comes: a refusal that settles before
      // the frames ahead of it must not count as an unhandled rejection (issue 11).
      const outcome = this.options.host.send(this, frame).then(
        (extra) => () => {
          if (receipt !== undefined && this.state === 'connected') this.sendFrame('RECEIPT', { 'receipt-id': receipt, ...(extra ?? {}) });
        },
        (e: unknown) => () => this.handleFailure(e, frame),
      );
      this.completions = this.completions.then(() => outcome.then((finish) => finish()));
      return;
    }
    // Any other frame waits for the overlapping ones: a SUBSCRIBE or DISCONNECT after a SEND
    // sees the message stored, and its RECEIPT confirms everything before it.
    await this.completions;
    if (!this.isOpen) return;
    try {
      if (this.state === 'new' && frame.command !== 'CONNECT' && frame.command !== 'STOMP') {
        throw new ParleyError('NOT_CONNECTED');
      }
      if (this.state === 'connected' && (frame.command === 'CONNECT' || frame.command === 'STOMP')) {
        throw new ParleyError('ALREADY_CONNECTED');
      }
      const tx = frame.headers.get('transaction');
      let extra: Record<string, string> | void = undefined;
      if (tx !== undefined && TRANSACTIONAL.has(frame.command)) {
        this.transactions.buffer(tx, frame);
      } else {
        const handler = StompSession.handlers[frame.command];
        if (handler === undefined) throw new ParleyError('BAD_COMMAND', `Unexpected ${frame.command}`);
        extra = await handler(this, frame);
      }
      if (receipt !== undefined && this.state === 'connected') {
        this.sendFrame('RECEIPT', { 'receipt-id': receipt, ...(extra ?? {}) });
      }
      if (frame.command === 'DISCONNECT') this.close();
    } catch (e: unknown) {
      this.handleFailure(e, frame);
    }
  }

  private handleFailure(e: unknown, frame: Frame): void {
    if (isParleyError(e) && e.isProtocolError) {
      this.fail(e, frame.headers.get('receipt'));
      return;
    }
    const error = isParleyError(e) ? e : new ParleyError('INTERNAL', undefined, { cause: e });
    // A refusal is the client's mistake, not ours: debug only (the refusal metric counts it).
    if (isParleyError(e)) this.options.logger.debug({ session: this.id, code: e.code, command: frame.command }, 'frame refused');
    else this.options.logger.error({ err: e, session: this.id, command: frame.command }, 'frame handler failed');
    if (this.state === 'connected') this.options.host.refuse(this, error, frame);
    // Before CONNECTED there is no /user/queue/errors: a failed CONNECT (e.g. TOKEN_EXPIRED) is ERROR, then close.
    else this.fail(error, frame.headers.get('receipt'));
  }

  /** ERROR, then close: https://stomp.github.io/stomp-specification-1.2.html#ERROR */
  fail(error: ParleyError, receiptId: string | undefined): void {
    if (this.state === 'closed') return;
    const headers: Record<string, string | undefined> = {
      message: error.message,
      [HEADER_ERROR_CODE]: error.code,
      'receipt-id': receiptId,
      'content-type': 'text/plain',
    };
    for (const [k, v] of Object.entries(error.details ?? {})) headers[k] = String(v);
    this.sendFrame('ERROR', headers, `${error.code}: ${error.message}`);
    this.options.host.countError(error.code);
    this.options.logger.debug({ session: this.id, code: error.code }, 'protocol error');
    this.shutdown();
    this.options.transport.close();
  }

  private shutdown(): void {
    if (this.state === 'closed') return;
    const wasConnected = this.state === 'connected';
    this.heartbeat?.stop();
    this.clearConnectTimer();
    this.transactions.clear();
    // Every subscription leaves the broker before any un-acked message is requeued: otherwise a
    // message could be handed to another subscription of this very session and be lost with it.
    for (const sub of [...this.subscriptions.values()]) {
      this.subscriptions.delete(sub.id);
      this.options.host.unsubscribe(this, sub);
    }
    this.state = 'closed';
    this.acks.release();
    if (wasConnected) this.options.host.sessionClosed(this);
  }

  private removeSubscription(sub: Subscription): void {
    this.subscriptions.delete(sub.id);
    this.options.host.unsubscribe(this, sub);
    // Unacked queue messages go to another consumer; the subscription is gone first so it is not picked.
    this.acks.release(sub);
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== undefined) this.options.clock.clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  // --- frame handlers -------------------------------------------------------

  private async onConnect(frame: Frame): Promise<void> {
    const version = negotiateVersion(frame);
    const user = await this.options.host.authenticate(frame, this);
    if (this.state === 'closed') return;
    this.user = user;
    this.version = version;
    this.clearConnectTimer();
    const plan = negotiateHeartbeat(frame.headers.get('heart-beat'), this.options.heartbeatOutMs, this.options.heartbeatInMs);
    this.state = 'connected';
    this.options.host.sessionOpened(this);
    this.sendFrame('CONNECTED', {
      version,
      'heart-beat': `${plan.sendEveryMs},${plan.expectEveryMs}`,
      server: this.options.serverName,
      session: this.id,
      'user-name': user.id,
    });
    this.heartbeat = new HeartbeatMonitor(
      plan,
      this.options.heartbeatTolerance,
      this.options.clock,
      () => this.options.transport.send('\n'),
      () => this.fail(new ParleyError('HEARTBEAT_TIMEOUT'), undefined),
    );
    this.heartbeat.start();
  }

  private async onSubscribe(frame: Frame): Promise<void> {
    const destination = required(frame, 'destination');
    const id = this.version === '1.0' ? frame.headers.get('id') ?? destination : required(frame, 'id');
    if (this.subscriptions.has(id)) throw new ParleyError('DUPLICATE_SUBSCRIPTION', `Subscription "${id}" already exists`);
    if (this.subscriptions.size >= this.options.maxSubscriptions) throw new ParleyError('TOO_MANY_SUBSCRIPTIONS');
    const ack = frame.headers.get('ack') ?? 'auto';
    if (ack !== 'auto' && ack !== 'client' && ack !== 'client-individual') {
      throw new ParleyError('BAD_HEADER', `Unknown ack mode "${ack}"`);
    }
    const sub = new Subscription(id, destination, ack as AckMode, this, frame.headers);
    this.retiredIds?.delete(id);
    this.subscriptions.set(id, sub);
    try {
      await this.options.host.subscribe(this, sub);
    } catch (e: unknown) {
      this.subscriptions.delete(id);
      (this.retiredIds ??= new Set()).add(id);
      throw e;
    }
  }

  private async onUnsubscribe(frame: Frame): Promise<void> {
    const id = this.version === '1.0' ? frame.headers.get('id') ?? required(frame, 'destination') : required(frame, 'id');
    const sub = this.subscriptions.get(id);
    if (sub === undefined) {
      if (this.retiredIds?.delete(id) === true) return;
      throw new ParleyError('UNKNOWN_SUBSCRIPTION', `No subscription "${id}"`);
    }
    this.removeSubscription(sub);
  }

  private async onAck(frame: Frame, positive: boolean): Promise<void> {
    // 1.2 names the ack by `id`; 1.1 and 1.0 by `message-id`.
    const id = frame.headers.get('id') ?? frame.headers.get('message-id');
    if (id === undefined) throw new ParleyError('MISSING_HEADER', `${frame.command} needs an id header`);
    this.acks.settle(id, positive);
  }

  private async onBegin(frame: Frame): Promise<void> {
    this.transactions.begin(required(frame, 'transaction'));
  }

  private async onCommit(frame: Frame): Promise<void> {
    for (const f of this.transactions.commit(required(frame, 'transaction'))) {
      const headers = f.rawHeaders.filter(([k]) => k !== 'transaction' && k !== 'receipt');
      const plain = makeFrame(f.command, headers, f.body);
      try {
        await StompSession.handlers[plain.command]!(this, plain);
      } catch (e: unknown) {
        this.handleFailure(e, f);
        if (this.state === 'closed') return;
      }
    }
  }

  private async onAbort(frame: Frame): Promise<void> {
    this.transactions.abort(required(frame, 'transaction'));
  }
}

/** Whether the frames after this CONNECT escape their headers; an unusable CONNECT fails on its own turn. */
function escapesHeaders(connect: Frame): boolean {
  try {
    return negotiateVersion(connect) !== '1.0';
  } catch {
    return true;
  }
}

function required(frame: Frame, name: string): string {
  const v = frame.headers.get(name);
  if (v === undefined) throw new ParleyError('MISSING_HEADER', `${frame.command} needs a "${name}" header`);
  return v;
}

import type { CallSession, CallSessionOptions } from './call/call-session.js';
import type { CallBridge } from './call/room-call-signalling.js';
import type { CallSnapshot, IceServersResponse, IncomingSignal } from './call/types.js';
import { ParleyError } from './errors.js';
import { TypedEmitter } from './events.js';
import type { RoomEvents, Unsubscribe } from './events.js';
import { MessageBuffer } from './message-buffer.js';
import { historyPath } from './rooms-api.js';
import { SendQueue } from './send-queue.js';
import type { QueuedSend } from './send-queue.js';
import type { FrameHeaders, StompConnection } from './stomp-connection.js';
import type { StompSubscription } from '@stomp/stompjs';
import type {
  Clock,
  HistoryPage,
  HistoryQuery,
  Message,
  PendingMessage,
  PresenceEvent,
  PresenceUser,
  ResumeInfo,
  TypingEvent,
} from './types.js';
import { roomAction, roomTopic } from './protocol/destinations.js';
import { HEADER_SEQ, HEADER_SINCE_SEQ, HEADER_TYPE, type RoomFrameType } from './protocol/frames.js';

/** What a {@link RoomHandle} needs from its client. @internal */
export interface RoomHost {
  readonly clock: Clock;
  readonly requestTimeoutMs: number;
  readonly maxQueuedMessages: number;
  readonly maxMessagesInMemory: number;
  readonly typingRefreshMs: number;
  newId(): string;
  userId(): string | undefined;
  rest<T>(method: 'GET', path: string, body: undefined, auth: true): Promise<T>;
  reportError(error: ParleyError): void;
  /** Drop the connection and reconnect (a rejoin that cannot complete on this connection). */
  recycle(error: ParleyError): void;
  forget(room: RoomHandle): void;
  /** Signals addressed to this client for one room (`/user/queue/signal`). */
  watchSignals(roomId: number, listener: (signal: IncomingSignal) => void): Unsubscribe;
}

const MAX_SEND_ATTEMPTS_ON_ONE_CONNECTION = 3;
const RETRY_MS = 1000;
const INITIAL_PAGE = 50;
const GAP_PAGE = 200;

// Codes that mean "this will not work by retrying": the handle closes with them.
const FATAL_JOIN_CODES = new Set(['BAD_PASSWORD', 'ROOM_FULL', 'ROOM_NOT_FOUND', 'VALIDATION_FAILED', 'NOT_MEMBER', 'INVALID_BODY', 'DESTINATION_FORBIDDEN', 'UNKNOWN_DESTINATION', 'AUTH_FAILED']);
// Send failures that are worth another attempt with the same clientMsgId.
const TRANSIENT_CODES = new Set(['DISCONNECTED', 'TIMEOUT', 'NETWORK', 'UNAVAILABLE']);

/**
 * A joined room. Obtain one with `client.join(roomId, { password })`.
 *
 * The handle survives reconnects: it re-joins (with the remembered password, kept in memory
 * only), resubscribes from the last seq it delivered, fetches any gap over REST, and delivers
 * every message exactly once and in seq order through the `message` event. It keeps at most
 * `maxMessagesInMemory` messages; older ones are read with {@link RoomHandle.history}.
 *
 * Events: see {@link RoomEvents}. All listeners are removed when the handle closes
 * ({@link RoomHandle.leave}, `client.disconnect()`, room deleted).
 */
export class RoomHandle extends TypedEmitter<RoomEvents> {
  /** The room id. */
  readonly id: number;
  readonly #host: RoomHost;
  #password: string | undefined;
  readonly #buffer: MessageBuffer;
  readonly #queue: SendQueue;
  readonly #memberMap = new Map<string, PresenceUser>();
  #count = 0;
  #generation = 0;
  #conn: StompConnection | undefined;
  #joinedOn: StompConnection | undefined;
  #subscription: StompSubscription | undefined;
  readonly #timeouts = new Map<string, number>();
  #resumeFrame: { sinceSeq: number; lastSeq: number; truncated: boolean } | undefined;
  #recovered = 0;
  #resuming = false;
  #ready = false;
  #everReady = false;
  #filling = false;
  #closedWith: ParleyError | undefined;
  #attachAttempts = 0;
  #resumeTimer: unknown;
  #retryTimer: unknown;
  #typingTimer: unknown;
  #typingOn = false;
  #readyWaiters: Array<{ resolve(): void; reject(e: ParleyError): void }> = [];
  #joinedWaiters: Array<{ resolve(conn: StompConnection): void; reject(e: ParleyError): void }> = [];
  #callState: CallSnapshot | undefined;

  /** @internal */
  constructor(host: RoomHost, roomId: number, password: string | undefined) {
    super();
    this.#host = host;
    this.id = roomId;
    this.#password = password;
    this.#buffer = new MessageBuffer(host.maxMessagesInMemory);
    this.#queue = new SendQueue({
      roomId,
      maxQueuedMessages: host.maxQueuedMessages,
      newId: () => host.newId(),
      now: () => host.clock.now(),
      onChange: (m) => this.emit('pendingChanged', m),
    });
  }

  /** The newest delivered messages, oldest first, at most `maxMessagesInMemory` (a copy). */
  get messages(): readonly Message[] {
    return this.#buffer.messages;
  }

  /** Seq of the oldest message in memory (pass it as `before` to {@link RoomHandle.history}); `undefined` when none. */
  get oldestSeq(): number | undefined {
    return this.#buffer.oldestSeq;
  }

  /** The last seq delivered (0 before any). Everything up to it was delivered, in order. */
  get lastSeq(): number {
    return this.#buffer.lastSeq;
  }

  /** Messages sent by this client and not yet delivered back (`pending`, `sent`), plus failed ones until dismissed. */
  get pending(): readonly PendingMessage[] {
    return this.#queue.snapshot();
  }

  /** Users present in the room (from presence events). */
  get members(): readonly PresenceUser[] {
    return [...this.#memberMap.values()];
  }

  /** Distinct users in the room, as last reported by the server. */
  get userCount(): number {
    return this.#count;
  }

  /** Whether the room is joined on the current connection and caught up. */
  get isLive(): boolean {
    return this.#ready && this.#closedWith === undefined;
  }

  /** Whether the handle was closed (left, deleted, client disconnected); it cannot be reused. */
  get closed(): boolean {
    return this.#closedWith !== undefined;
  }

  /** Who is in the room's call, as last announced (`undefined` until the first announcement). */
  get callState(): CallSnapshot | undefined {
    return this.#callState;
  }

  /**
   * A call in this room: in `video` rooms, or started from a chat room. The call layer (WebRTC,
   * browser only) is loaded on first use, so chat-only apps never download it. Each call returns
   * a new, not yet joined session; see `docs/video.md`.
   *
   * @example
   * ```ts
   * const call = await room.call();
   * call.on('trackAdded', (participantId, track, stream) => attach(participantId, stream));
   * await call.join({ audio: true, video: true });
   * ```
   * @param options - everything of `CallSessionOptions` but the signalling (`maxParticipants`, `iceTransportPolicy`, constraints…)
   */
  async call(options: Omit<CallSessionOptions, 'signalling'> = {}): Promise<CallSession> {
    if (this.#closedWith) throw ParleyError.disconnected('The room handle is closed', this.#closedWith);
    const layer = await import('./call/index.js');
    return new layer.CallSession({ clock: this.#host.clock, ...options, signalling: new layer.RoomCallSignalling(this.#callBridge()) });
  }

  /**
   * Sends a text message. While disconnected it is queued (bounded by `maxQueuedMessages`)
   * and sent after the room is re-joined, always with the same clientMsgId so that it is
   * stored once. Resolves with the stored message once it is durable and delivered.
   *
   * @param text - 1 to `MAX_MESSAGE_CHARS` (server, default 2000) code points
   * @returns the stored message
   * @throws TypeError/RangeError at once for a non-string or blank text
   * Rejects with `QUEUE_FULL`, a server refusal (`RATE_LIMITED`, `MESSAGE_TOO_LONG`, `NOT_MEMBER`…),
   * `TIMEOUT` (no receipt after repeated attempts on a live connection) or `DISCONNECTED`.
   */
  send(text: string): Promise<Message> {
    if (typeof text !== 'string') throw new TypeError('send: text must be a string');
    if (text.trimEnd().length === 0) throw new RangeError('send: text is empty');
    if (this.#closedWith) return Promise.reject(ParleyError.disconnected('The room handle is closed', this.#closedWith));
    let added: { done: Promise<Message> };
    try {
      added = this.#queue.add(text);
    } catch (error) {
      return Promise.reject(ParleyError.from(error));
    }
    // The server ends our typing indicator itself when a message arrives.
    this.#stopTypingTimer();
    this.#pump();
    return added.done;
  }

  /**
   * Forgets a failed message from {@link RoomHandle.pending}.
   * @param clientMsgId - its id
   * @returns whether it was there
   */
  dismiss(clientMsgId: string): boolean {
    return this.#queue.dismiss(clientMsgId);
  }

  /**
   * Reads a page of history over REST; does not change {@link RoomHandle.messages}.
   * @param query - `before` (e.g. {@link RoomHandle.oldestSeq}) or `after`, and `limit` (1–200, default 50)
   */
  history(query: HistoryQuery = {}): Promise<HistoryPage> {
    const path = historyPath(this.id, query);
    return this.#host.rest<HistoryPage>('GET', path, undefined, true);
  }

  /**
   * Shows or hides your typing indicator. While `true`, it is refreshed every 3 s
   * (`typingRefreshMs`); sending a message ends it. Dropped silently while offline.
   * @param typing - whether the user is typing
   */
  setTyping(typing: boolean): void {
    if (this.#closedWith) return;
    if (typing) {
      if (this.#typingOn) return;
      this.#typingOn = true;
      this.#publishTyping(true);
      this.#scheduleTyping();
    } else if (this.#typingOn) {
      this.#stopTypingTimer();
      this.#publishTyping(false);
    }
  }

  /**
   * Leaves the room: tells the server (best effort), unsubscribes, rejects unsent messages with
   * `DISCONNECTED`, clears the handle's timers and removes its listeners.
   */
  async leave(): Promise<void> {
    if (this.#closedWith) return;
    const conn = this.#joinedOn;
    this.close(ParleyError.disconnected('Left the room'));
    if (conn?.isOpen) {
      await conn.request(roomAction(this.id, 'leave'), '{}').then(
        () => undefined,
        () => undefined,
      );
    }
  }

  // ---- internal: driven by ChatClient ----

  /** Resolves when the first join completed (messages up to date); rejects if the handle closes first. @internal */
  whenReady(): Promise<void> {
    if (this.#everReady) return Promise.resolve();
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    return new Promise((resolve, reject) => this.#readyWaiters.push({ resolve, reject }));
  }

  /** Remembers a new password for later re-joins. @internal */
  setPassword(password: string | undefined): void {
    if (password !== undefined) this.#password = password;
  }

  /** (Re)joins on a fresh connection. @internal */
  attach(conn: StompConnection): void {
    if (this.#closedWith) return;
    this.detach();
    this.#conn = conn;
    const gen = this.#generation;
    void this.#join(gen, conn);
  }

  /** The connection is gone: stop everything tied to it; queued sends wait for the next attach. @internal */
  detach(): void {
    this.#generation++;
    this.#conn = undefined;
    this.#joinedOn = undefined;
    this.#subscription = undefined;
    this.#ready = false;
    this.#resuming = false;
    this.#filling = false;
    this.#resumeFrame = undefined;
    this.#host.clock.clearTimeout(this.#resumeTimer);
    this.#host.clock.clearTimeout(this.#retryTimer);
    this.#resumeTimer = this.#retryTimer = undefined;
    this.#timeouts.clear();
    this.#stopTypingTimer();
  }

  /** Closes the handle for good. @internal */
  close(error: ParleyError): void {
    if (this.#closedWith) return;
    const sub = this.#subscription;
    const conn = this.#conn;
    this.detach();
    this.#closedWith = error;
    if (sub && conn?.isOpen) {
      try {
        sub.unsubscribe();
      } catch {
        // socket already gone
      }
    }
    this.#queue.failAll(error.code === 'DISCONNECTED' ? error : ParleyError.disconnected(error.message, error));
    for (const w of this.#readyWaiters.splice(0)) w.reject(error);
    for (const w of this.#joinedWaiters.splice(0)) w.reject(error);
    this.#host.forget(this);
    this.removeAllListeners();
  }

  #stale(gen: number): boolean {
    return gen !== this.#generation || this.#closedWith !== undefined;
  }

  async #join(gen: number, conn: StompConnection): Promise<void> {
    try {
      const body = this.#password !== undefined ? JSON.stringify({ password: this.#password }) : '{}';
      await conn.request(roomAction(this.id, 'join'), body);
      if (this.#stale(gen)) return;
      if (!this.#buffer.hasBaseline) {
        // A fresh join shows the latest page, then continues live from its last seq: no gap.
        const page = await this.#host.rest<HistoryPage>('GET', historyPath(this.id, { limit: INITIAL_PAGE }), undefined, true);
        if (this.#stale(gen)) return;
        const first = page.messages[0];
        this.#buffer.setBaseline(first ? first.seq - 1 : page.lastSeq);
        this.#deliver(this.#buffer.push(page.messages));
      }
      const since = this.#buffer.lastSeq;
      this.#recovered = 0;
      this.#resuming = true;
      const sub = conn.subscribe(roomTopic(this.id), (h, b) => this.#onFrame(gen, h, b), {
        [HEADER_SINCE_SEQ]: String(since),
      });
      if (!sub) throw ParleyError.disconnected('Connection lost');
      this.#subscription = sub;
      this.#joinedOn = conn;
      for (const w of this.#joinedWaiters.splice(0)) w.resolve(conn);
      this.#resumeTimer = this.#host.clock.setTimeout(() => {
        this.#resumeTimer = undefined;
        if (!this.#stale(gen) && !this.#resumeFrame) this.#joinFailed(gen, conn, ParleyError.timeout('resume', this.#host.requestTimeoutMs));
      }, this.#host.requestTimeoutMs);
      this.#pump();
    } catch (error) {
      if (!this.#stale(gen)) this.#joinFailed(gen, conn, ParleyError.from(error));
    }
  }

  #joinFailed(gen: number, conn: StompConnection, error: ParleyError): void {
    if (FATAL_JOIN_CODES.has(error.code)) {
      if (this.#everReady) this.#host.reportError(error);
      this.emit('error', error);
      this.close(error);
      return;
    }
    if (!conn.isOpen) return; // the client re-attaches after reconnecting
    this.#attachAttempts++;
    if (this.#attachAttempts > 3) {
      this.#attachAttempts = 0;
      if (!this.#everReady) this.close(error);
      else this.#host.recycle(error);
      return;
    }
    const sub = this.#subscription;
    if (gen === this.#generation) this.detach();
    this.#conn = conn;
    if (sub) conn.unsubscribe(sub);
    const next = this.#generation;
    this.#retryTimer = this.#host.clock.setTimeout(() => {
      this.#retryTimer = undefined;
      if (!this.#stale(next)) void this.#join(next, conn);
    }, RETRY_MS);
  }

  #onFrame(gen: number, headers: FrameHeaders, body: string): void {
    if (this.#stale(gen)) return;
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      return;
    }
    switch (headers[HEADER_TYPE] as RoomFrameType | undefined) {
      case 'message':
        this.#receive(gen, [data as Message]);
        break;
      case 'presence':
        this.#onPresence(data as PresenceEvent);
        break;
      case 'typing':
        this.emit('typing', data as TypingEvent);
        break;
      case 'resume': {
        const r = data as { sinceSeq: number; lastSeq: number; truncated: boolean };
        this.#resumeFrame = { sinceSeq: r.sinceSeq, lastSeq: r.lastSeq, truncated: r.truncated === true };
        this.#host.clock.clearTimeout(this.#resumeTimer);
        this.#resumeTimer = undefined;
        this.#buffer.expect(r.lastSeq);
        this.#checkGap(gen);
        break;
      }
      case 'call':
        this.#callState = data as CallSnapshot;
        this.emit('call', this.#callState);
        break;
      case 'room-deleted':
        this.emit('deleted', this.id);
        this.close(new ParleyError('ROOM_NOT_FOUND', 'The room was deleted'));
        break;
      default:
        break;
    }
  }

  #onPresence(p: PresenceEvent): void {
    if (p.kind === 'snapshot') {
      this.#memberMap.clear();
      for (const u of p.users) this.#memberMap.set(u.id, u);
    } else if (p.kind === 'joined') {
      this.#memberMap.set(p.user.id, p.user);
    } else {
      this.#memberMap.delete(p.user.id);
    }
    this.#count = p.userCount;
    this.emit('presence', p);
  }

  #receive(gen: number, messages: readonly Message[]): void {
    this.#deliver(this.#buffer.push(messages));
    if (this.#resumeFrame) this.#checkGap(gen);
  }

  #deliver(messages: readonly Message[]): void {
    for (const m of messages) {
      if (this.#resuming) this.#recovered++;
      if (m.clientMsgId) this.#queue.complete(m.clientMsgId, m);
      this.emit('message', m);
      if (this.#closedWith) return;
    }
    // A RECEIPT may name a seq that is already behind us (a duplicate of a message delivered
    // before this client knew it was its own): settle it from memory.
    for (const e of this.#queue.sentUpTo(this.#buffer.lastSeq)) {
      const m = e.seq !== undefined ? this.#buffer.bySeq(e.seq) : undefined;
      this.#queue.complete(e.clientMsgId, m ?? this.#synthesize(e));
    }
  }

  #synthesize(e: QueuedSend): Message {
    return {
      id: 0,
      seq: e.seq ?? 0,
      roomId: this.id,
      type: 'text',
      sender: { id: this.#host.userId() ?? '', nickname: '' },
      text: e.text,
      clientMsgId: e.clientMsgId,
      createdAt: new Date(e.createdAt).toISOString(),
    };
  }

  /** Fills a known gap over REST (one loop at a time), then reports the resume once caught up. */
  #checkGap(gen: number): void {
    if (this.#stale(gen) || this.#filling) return;
    if (!this.#buffer.gap()) {
      this.#markReady(gen);
      return;
    }
    this.#filling = true;
    void this.#fill(gen).finally(() => {
      if (!this.#stale(gen)) this.#filling = false;
    });
  }

  async #fill(gen: number): Promise<void> {
    let empty = 0;
    for (;;) {
      const gap = this.#buffer.gap();
      if (!gap) break;
      let page: HistoryPage;
      try {
        page = await this.#host.rest<HistoryPage>(
          'GET',
          historyPath(this.id, { after: gap.afterSeq, limit: GAP_PAGE }),
          undefined,
          true,
        );
      } catch (error) {
        if (this.#stale(gen)) return;
        this.#host.reportError(ParleyError.from(error));
        // Try again later on this connection; a reconnect restarts the resume anyway.
        this.#retryTimer = this.#host.clock.setTimeout(() => {
          this.#retryTimer = undefined;
          if (!this.#stale(gen)) {
            this.#filling = false;
            this.#checkGap(gen);
          }
        }, RETRY_MS);
        return;
      }
      if (this.#stale(gen)) return;
      const delivered = this.#buffer.push(page.messages);
      this.#deliver(delivered);
      if (this.#stale(gen)) return;
      if (delivered.length === 0) {
        // The server has nothing for the gap: after a few tries, report it and move on.
        if (++empty >= 3) {
          this.#host.reportError(new ParleyError('INTERNAL', `Messages ${gap.afterSeq + 1}–${gap.untilSeq} are missing on the server`));
          this.#deliver(this.#buffer.skipTo(gap.untilSeq));
        } else {
          await new Promise<void>((resolve) => {
            this.#retryTimer = this.#host.clock.setTimeout(resolve, 100 * empty);
          });
          if (this.#stale(gen)) return;
        }
      } else {
        empty = 0;
      }
    }
    this.#filling = false;
    this.#markReady(gen);
  }

  #markReady(gen: number): void {
    if (this.#stale(gen) || this.#ready || !this.#resumeFrame) return;
    this.#ready = true;
    this.#resuming = false;
    this.#attachAttempts = 0;
    const r = this.#resumeFrame;
    const info: ResumeInfo = { sinceSeq: r.sinceSeq, lastSeq: r.lastSeq, truncated: r.truncated, recovered: this.#recovered };
    if (!this.#everReady) {
      this.#everReady = true;
      for (const w of this.#readyWaiters.splice(0)) w.resolve();
    }
    this.emit('resumed', info);
  }

  /** Transmits every queued message not yet sent on the joined connection, in order. */
  #pump(): void {
    const conn = this.#joinedOn;
    if (!conn || !conn.isOpen || this.#closedWith) return;
    for (const e of this.#queue.takeForSend(conn)) this.#transmit(conn, e);
  }

  #transmit(conn: StompConnection, e: QueuedSend): void {
    const id = e.clientMsgId;
    conn.request(roomAction(this.id, 'messages'), JSON.stringify({ text: e.text, clientMsgId: id })).then(
      (receipt) => {
        const seq = Number(receipt.headers[HEADER_SEQ]);
        this.#timeouts.delete(id);
        if (!this.#queue.get(id) || !Number.isSafeInteger(seq)) return;
        this.#queue.markSent(id, seq);
        // Normally the message was already delivered (broadcast precedes the RECEIPT).
        if (seq <= this.#buffer.lastSeq) this.#deliver([]);
      },
      (error: unknown) => {
        const err = ParleyError.from(error);
        const entry = this.#queue.get(id);
        if (!entry || entry.state !== 'pending' || this.#closedWith) return;
        if (!TRANSIENT_CODES.has(err.code)) {
          this.#queue.fail(id, err);
          return;
        }
        // Never a second message: the retry carries the same clientMsgId.
        this.#queue.release(id);
        if (conn.isOpen && conn === this.#joinedOn) {
          const n = (this.#timeouts.get(id) ?? 0) + 1;
          this.#timeouts.set(id, n);
          if (n >= MAX_SEND_ATTEMPTS_ON_ONE_CONNECTION) {
            this.#timeouts.delete(id);
            this.#queue.fail(id, err);
          } else this.#pump();
        }
      },
    );
  }

  /** The connection the room is joined on; after a reconnect, once the room is joined again. */
  #whenJoined(): Promise<StompConnection> {
    const conn = this.#joinedOn;
    if (conn?.isOpen) return Promise.resolve(conn);
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    return new Promise((resolve, reject) => this.#joinedWaiters.push({ resolve, reject }));
  }

  #callBridge(): CallBridge {
    const room = this;
    return {
      roomId: this.id,
      request: async (destination, body) => (await (await this.#whenJoined()).request(destination, body)).headers,
      get callState() {
        return room.#callState;
      },
      onCallState: (listener) => this.on('call', listener),
      onSignal: (listener) => this.#host.watchSignals(this.id, listener),
      iceServers: () => this.#host.rest<IceServersResponse>('GET', '/api/ice-servers', undefined, true),
    };
  }

  #publishTyping(typing: boolean): void {
    const conn = this.#joinedOn;
    if (conn?.isOpen) conn.publish(roomAction(this.id, 'typing'), JSON.stringify({ typing }));
  }

  #scheduleTyping(): void {
    this.#typingTimer = this.#host.clock.setTimeout(() => {
      this.#typingTimer = undefined;
      if (!this.#typingOn || this.#closedWith) return;
      this.#publishTyping(true);
      this.#scheduleTyping();
    }, this.#host.typingRefreshMs);
  }

  #stopTypingTimer(): void {
    this.#typingOn = false;
    this.#host.clock.clearTimeout(this.#typingTimer);
    this.#typingTimer = undefined;
  }
}

import type { CallSession, CallSessionOptions } from './call/call-session.js';
import type { CallSnapshot } from './call/types.js';
import type { RoomHost } from './room-host.js';
import { applyPresence } from './members.js';
import { StateHolder } from './connection-state.js';
import { ParleyError } from './errors.js';
import { TypedEmitter } from './events.js';
import type { RoomEvents } from './events.js';
import { isMutation } from './message-buffer.js';
import type { MessageBuffer, StreamEntry } from './message-buffer.js';
import type { RoomModeration } from './room-moderation.js';
import { resumeDriver } from './resume-driver.js';
import type { ResumeDriver } from './resume-driver.js';
import { roomCallLink } from './room-call-link.js';
import type { RoomCallLink } from './room-call-link.js';
import { roomSender } from './room-sender.js';
import type { RoomSender } from './room-sender.js';
import { historyPath } from './rooms-api.js';
import type { FrameHeaders, StompConnection, StompSubscription } from './stomp-connection.js';
import { typingIndicator } from './typing.js';
import type { TypingIndicator } from './typing.js';
import type { HistoryPage, HistoryQuery, KickedBody, Message, MessageMutation, PendingMessage, PresenceEvent, PresenceUser, TypingEvent } from './types.js';
import { waiters } from './waiters.js';
import { roomAction, roomTopic } from './protocol/destinations.js';
import { isRetryable } from './protocol/errors.js';
import { HEADER_SINCE_SEQ, HEADER_TYPE, type RoomFrameType } from './protocol/frames.js';
import type { EditMessageInput, ResumeBody } from './protocol/shapes.js';

export type { RoomHost } from './room-host.js';

const checkSeq = (seq: unknown): void => {
  if (!Number.isSafeInteger(seq) || (seq as number) < 1) throw new TypeError(`bad seq ${String(seq)}`);
};

/**
 * The lifecycle of a {@link RoomHandle}, changed in one place.
 * - `joining`: the first join is under way (`client.join()` has not resolved yet).
 * - `live`: joined on the current connection and caught up.
 * - `rejoining`: was live; the connection dropped or the room is being joined and resumed again.
 * - `closed`: left, deleted, refused or the client disconnected; the handle cannot be reused.
 */
export type RoomState = 'joining' | 'live' | 'rejoining' | 'closed';

const JOIN_RETRY_MS = 1000;
const JOIN_ATTEMPTS = 3;

/**
 * A joined room. Obtain one with `client.join(roomId, { password })`.
 *
 * The handle survives reconnects: it re-joins (with the remembered password, kept in memory
 * only), resubscribes from the last seq it delivered, fetches any gap over REST, and delivers
 * every message exactly once and in seq order through the `message` event. It keeps at most
 * `maxMessagesInMemory` messages; older ones are read with {@link RoomHandle.history}.
 *
 * It is a facade: resume and gap filling (`resume-machine.ts` and its driver), sending
 * (`room-sender.ts`), typing (`typing.ts`) and the call bridge (`room-call-link.ts`) are parts
 * with one job each; the handle joins, routes frames and owns the lifecycle ({@link RoomState}).
 *
 * Events: see {@link RoomEvents}. All listeners are removed when the handle closes
 * ({@link RoomHandle.leave}, `client.disconnect()`, room deleted).
 */
export class RoomHandle extends TypedEmitter<RoomEvents> {
  /** The room id. */
  readonly id: number;
  readonly #host: RoomHost;
  #password: string | undefined;
  readonly #state = new StateHolder<RoomState>('joining');
  #closedWith: ParleyError | undefined;
  readonly #resume: ResumeDriver;
  readonly #buffer: MessageBuffer;
  readonly #sender: RoomSender;
  readonly #typing: TypingIndicator;
  readonly #call: RoomCallLink;
  readonly #ready = waiters<void>();
  readonly #memberMap = new Map<string, PresenceUser>();
  #count = 0;
  /** Bumped whenever the connection's work is dropped: answers of an older generation are ignored. */
  #generation = 0;
  #conn: StompConnection | undefined;
  #joinedOn: StompConnection | undefined;
  #subscription: StompSubscription | undefined;
  #joinAttempts = 0;
  #retryTimer: unknown;

  /** @internal */
  constructor(host: RoomHost, roomId: number, password: string | undefined) {
    super();
    this.#host = host;
    this.id = roomId;
    this.#password = password;
    const joinedOn = (): StompConnection | undefined => this.#joinedOn;
    const resume = (this.#resume = resumeDriver(
      host,
      roomId,
      (entries) => this.#deliver(entries),
      (error) => this.#joinFailed(this.#generation, this.#joinedOn!, error),
      (info) => {
        this.#joinAttempts = 0;
        const first = this.state === 'joining';
        this.#state.set('live');
        if (first) this.#ready.resolve();
        this.emit('resumed', info);
      },
    ));
    this.#buffer = resume.machine.buffer;
    this.#sender = roomSender(host, roomId, this.#buffer, joinedOn, (m) => this.emit('pendingChanged', m));
    this.#typing = typingIndicator(host.clock, host.typingRefreshMs, (typing) => joinedOn()?.publish(roomAction(roomId, 'typing'), JSON.stringify({ typing })));
    this.#call = roomCallLink(host, roomId, joinedOn, (listener) => this.on('call', listener));
  }

  /** Where the handle is in its lifecycle (see {@link RoomState}). */
  get state(): RoomState {
    return this.#state.state;
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
    return this.#sender.queue.snapshot();
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
    return this.state === 'live';
  }

  /** Whether the handle was closed (left, deleted, client disconnected); it cannot be reused. */
  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Who is in the room's call, as last announced (`undefined` until the first announcement). */
  get callState(): CallSnapshot | undefined {
    return this.#call.snapshot;
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
   * @param options - everything of `CallSessionOptions` but the signalling (`maxParticipants`, `iceTransportPolicy`, `rejoinPolicy`, constraints…)
   */
  async call(options: Omit<CallSessionOptions, 'signalling'> = {}): Promise<CallSession> {
    this.#open();
    const layer = await import('./call/index.js');
    return new layer.CallSession({ clock: this.#host.clock, ...options, signalling: new layer.RoomCallSignalling(this.#call.bridge()) });
  }

  /**
   * Moderation of this room (kick, ban, mute, moderators; see `RoomModeration`). Loaded on first use,
   * like {@link RoomHandle.call}, so apps that never moderate don't download it.
   */
  async moderation(): Promise<RoomModeration> {
    this.#open();
    const { roomModeration } = await import('./room-moderation.js');
    return roomModeration(this.#host.rest, this.id);
  }

  /**
   * Edits one of your messages (`PATCH /api/rooms/:id/messages/:seq`), within the server's edit window.
   * Resolves with the mutation once stored; it is applied to {@link RoomHandle.messages} and emitted as
   * `messageChanged` once, in stream order, whether the answer or the room topic brings it first.
   * Rejects with `NOT_SENDER`, `EDIT_WINDOW_CLOSED`, `MESSAGE_NOT_FOUND`, `NOT_EDITABLE` (system
   * messages), `MESSAGE_DELETED`, `MESSAGE_TOO_LONG`, `VALIDATION_FAILED`, `MUTED`…
   * @param seq - the message's seq
   * @param text - the new text, same rules as {@link RoomHandle.send}
   * @throws TypeError at once for a seq that is not a positive integer or a blank text
   */
  edit(seq: number, text: string): Promise<MessageMutation> {
    checkSeq(seq);
    if (typeof text !== 'string' || !text.trimEnd()) throw new TypeError('edit: empty text');
    const body: EditMessageInput = { text };
    return this.#messageRest<MessageMutation>('PATCH', seq, body).then((mutation) => {
      // Through the buffer like a frame, so whichever of the answer and the topic frame comes second is a
      // duplicate; only when it is the next entry: beyond a gap the stream brings it in order anyway, and
      // holding it would page the gap over REST for entries the topic is about to deliver.
      if (!this.#closedWith && mutation.seq === this.lastSeq + 1) this.#resume.run(this.#resume.machine.received([mutation]));
      return mutation;
    });
  }

  /**
   * Deletes a message (`DELETE /api/rooms/:id/messages/:seq`): yours, or anyone's if you moderate the
   * room. It stays as a tombstone (`deleted: true`, empty text); the change arrives as `messageChanged`.
   * Rejects with `NOT_MODERATOR`, `MESSAGE_NOT_FOUND`, `NOT_EDITABLE`…
   * @param seq - the message's seq
   * @throws TypeError at once for a seq that is not a positive integer
   */
  delete(seq: number): Promise<void> {
    checkSeq(seq);
    return this.#messageRest<unknown>('DELETE', seq).then(() => undefined);
  }

  async #messageRest<T>(method: 'PATCH' | 'DELETE', seq: number, body?: unknown): Promise<T> {
    this.#open();
    return this.#host.rest<T>(method, `/api/rooms/${this.id}/messages/${seq}`, body, true);
  }

  /**
   * Sends a text message. While disconnected it is queued (bounded by `maxQueuedMessages`)
   * and sent after the room is re-joined, always with the same clientMsgId so that it is
   * stored once. Resolves with the stored message once it is durable and delivered; its
   * `clientMsgId` is the one in {@link RoomHandle.pending}.
   *
   * @param text - 1 to `MAX_MESSAGE_CHARS` (server, default 2000) code points
   * @param options - `clientMsgId`: the idempotency key, 1–64 of `[A-Za-z0-9_-]` (default: a fresh random id).
   *   Reusing the key of a `failed` message retries it (and dismisses the failed entry).
   * @returns the stored message
   * @throws TypeError/RangeError at once for a non-string or blank text, a malformed
   *   `clientMsgId`, or one that is already pending.
   * Rejects with `QUEUE_FULL`, a server refusal (`MESSAGE_TOO_LONG`, `NOT_MEMBER`…; `RATE_LIMITED`
   * only after `sendRetryTimeoutMs` of paced retries), `TIMEOUT` (no receipt after repeated
   * attempts on a live connection) or `DISCONNECTED`.
   */
  send(text: string, options: { clientMsgId?: string } = {}): Promise<Message> {
    if (typeof text !== 'string') throw new TypeError('send: text not a string');
    if (text.trimEnd().length === 0) throw new RangeError('send: text is empty');
    const id = options.clientMsgId;
    if (id !== undefined && (!/^[\w-]{1,64}$/.test(id) || this.#sender.queue.get(id))) throw new TypeError('send: bad or pending clientMsgId');
    try {
      this.#open();
    } catch (error) {
      return Promise.reject(error);
    }
    // The server ends our typing indicator itself when a message arrives.
    this.#typing.stop();
    return this.#sender.send(text, id);
  }

  /**
   * Forgets a failed message from {@link RoomHandle.pending}.
   * @param clientMsgId - its id
   * @returns whether it was there
   */
  dismiss(clientMsgId: string): boolean {
    return this.#sender.queue.dismiss(clientMsgId);
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
    if (!this.#closedWith) this.#typing.set(typing);
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
      await conn.request(roomAction(this.id, 'leave'), '{}').catch(() => undefined);
    }
  }

  // ---- internal: driven by ChatClient ----

  /** Resolves when the first join completed (messages up to date); rejects if the handle closes first. @internal */
  whenReady(): Promise<void> {
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    return this.state === 'joining' ? this.#ready.wait() : Promise.resolve();
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
    void this.#join(this.#generation, conn);
  }

  /** The connection is gone: stop everything tied to it; queued sends wait for the next attach. @internal */
  detach(): void {
    this.#generation++;
    this.#conn = this.#joinedOn = this.#subscription = undefined;
    if (this.state === 'live') this.#state.set('rejoining');
    this.#resume.reset();
    this.#host.clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#sender.reset();
    this.#typing.stop();
  }

  /** Closes the handle for good. @internal */
  close(error: ParleyError): void {
    if (this.#closedWith) return;
    const sub = this.#subscription;
    const conn = this.#conn;
    this.detach();
    this.#closedWith = error;
    this.#state.set('closed');
    if (sub) conn?.unsubscribe(sub);
    this.#sender.queue.failAll(error.code === 'DISCONNECTED' ? error : ParleyError.disconnected(error.message, error));
    this.#ready.reject(error);
    this.#call.close(error);
    this.#host.forget(this);
    this.removeAllListeners();
  }

  /** Throws `DISCONNECTED` once the handle is closed. */
  #open(): void {
    if (this.#closedWith) throw ParleyError.disconnected('Room closed', this.#closedWith);
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
        const page = await this.#host.rest<HistoryPage>('GET', historyPath(this.id, { limit: 50 }), undefined, true);
        if (this.#stale(gen)) return;
        this.#resume.run(this.#resume.machine.history(page));
      }
      const sub = conn.subscribe(roomTopic(this.id), (h, b) => this.#onFrame(gen, h, b), {
        [HEADER_SINCE_SEQ]: String(this.lastSeq),
      });
      if (!sub) throw ParleyError.disconnected('Connection lost');
      this.#subscription = sub;
      this.#joinedOn = conn;
      this.#call.joined(conn);
      this.#resume.run(this.#resume.machine.subscribed());
      this.#sender.pump();
    } catch (error) {
      if (!this.#stale(gen)) this.#joinFailed(gen, conn, ParleyError.from(error));
    }
  }

  #joinFailed(gen: number, conn: StompConnection, error: ParleyError): void {
    if (!conn.isOpen) return; // the client re-attaches after reconnecting
    // Retried: the protocol's retryable codes, and INTERNAL (a server fault, or a code newer than
    // this SDK) that may pass. Anything else will not work by retrying: the handle closes with it.
    if (!isRetryable(error.code) && error.code !== 'INTERNAL') {
      if (this.state !== 'joining') this.#host.reportError(error);
      this.emit('error', error);
      this.close(error);
      return;
    }
    if (++this.#joinAttempts > JOIN_ATTEMPTS) {
      this.#joinAttempts = 0;
      if (this.state === 'joining') this.close(error);
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
    }, JOIN_RETRY_MS);
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
      case 'message-edited':
      case 'message-deleted':
        this.#resume.run(this.#resume.machine.received([data as StreamEntry]));
        break;
      case 'presence':
        this.#count = applyPresence(this.#memberMap, data as PresenceEvent);
        this.emit('presence', data as PresenceEvent);
        break;
      case 'typing':
        this.emit('typing', data as TypingEvent);
        break;
      case 'resume':
        this.#resume.run(this.#resume.machine.resume(data as ResumeBody));
        break;
      case 'call':
        this.#call.snapshot = data as CallSnapshot;
        this.emit('call', data as CallSnapshot);
        break;
      case 'room-deleted':
        this.emit('deleted', this.id);
        this.close(new ParleyError('ROOM_NOT_FOUND', 'Room deleted'));
        break;
      case 'kicked': {
        // The server ends the subscription and the join: re-joining by ourselves would undo the kick.
        const info = data as KickedBody;
        this.emit('kicked', info);
        this.close(info.reason === 'ban' ? new ParleyError('BANNED', 'Banned from the room') : new ParleyError('NOT_MEMBER', 'Removed from the room'));
        break;
      }
      default:
        break;
    }
  }

  #deliver(entries: readonly StreamEntry[]): void {
    for (const e of entries) {
      if (isMutation(e)) this.emit('messageChanged', e);
      else {
        this.#sender.delivered(e);
        this.emit('message', e);
      }
      if (this.#closedWith) return;
    }
    this.#sender.settle();
  }
}

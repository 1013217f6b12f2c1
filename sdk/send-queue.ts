import { ParleyError } from './errors.js';
import type { Message, PendingMessage, PendingState } from './types.js';

/** One queued send and its promise callbacks. @internal */
export interface QueuedSend {
  readonly clientMsgId: string;
  readonly text: string;
  readonly createdAt: number;
  state: PendingState;
  attempts: number;
  /** The connection (any identity) the current attempt went out on; `undefined` when not in flight. */
  inFlightOn: object | undefined;
  seq: number | undefined;
  error: ParleyError | undefined;
  resolve(message: Message): void;
  reject(error: ParleyError): void;
}

/** Options of {@link SendQueue}. @internal */
export interface SendQueueOptions {
  /** Room the messages go to. */
  roomId: number;
  /** Bound on messages not yet confirmed (`pending`). */
  maxQueuedMessages: number;
  /** Makes a fresh clientMsgId. */
  newId: () => string;
  /** Clock for `createdAt`. */
  now: () => number;
  /** Called after every state change of an entry. */
  onChange?: (message: PendingMessage) => void;
}

/**
 * The bounded, ordered queue of a room's unconfirmed sends. An entry keeps its clientMsgId for
 * every attempt, so a retry after a lost receipt is de-duplicated by the server.
 * Entries leave the queue once delivered or `failed`; failed ones stay visible in
 * {@link SendQueue.snapshot} (at most `maxQueuedMessages` of them) until dismissed.
 * @internal
 */
export class SendQueue {
  #entries: QueuedSend[] = [];
  // Failed sends stay visible (bounded) until dismissed; they do not count against the bound.
  #failed: QueuedSend[] = [];

  /** @param options - see {@link SendQueueOptions} */
  readonly #options: SendQueueOptions;

  constructor(options: SendQueueOptions) {
    // `maxQueuedMessages` was checked by the client's options (`client-options.ts`).
    this.#options = options;
  }

  /** Entries not yet confirmed, in send order. */
  get size(): number {
    return this.#entries.length;
  }

  /**
   * Queues a text. A failed entry with the same clientMsgId is dismissed: this is its retry.
   * @param clientMsgId - the idempotency key; default a fresh one from `newId`
   * @throws ParleyError `QUEUE_FULL` when `maxQueuedMessages` entries are already waiting
   */
  add(text: string, clientMsgId = this.#options.newId()): { entry: QueuedSend; done: Promise<Message> } {
    if (this.#entries.length >= this.#options.maxQueuedMessages) {
      throw ParleyError.queueFull(this.#options.maxQueuedMessages);
    }
    this.dismiss(clientMsgId);
    let resolve!: (m: Message) => void;
    let reject!: (e: ParleyError) => void;
    const done = new Promise<Message>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const entry: QueuedSend = {
      clientMsgId,
      text,
      createdAt: this.#options.now(),
      state: 'pending',
      attempts: 0,
      inFlightOn: undefined,
      seq: undefined,
      error: undefined,
      resolve,
      reject,
    };
    this.#entries.push(entry);
    this.#changed(entry);
    return { entry, done };
  }

  /**
   * The entries to transmit on `connection`, in order: pending entries not already in flight on that
   * connection, as many as keep at most `window` in flight there. Each returned entry is marked in
   * flight and its attempt counted.
   */
  takeForSend(connection: object, window = Infinity): QueuedSend[] {
    const out: QueuedSend[] = [];
    for (const e of this.#entries) if (e.state === 'pending' && e.inFlightOn === connection) window--;
    for (const e of this.#entries) {
      if (out.length >= window) break;
      if (e.state === 'pending' && e.inFlightOn !== connection) {
        e.inFlightOn = connection;
        e.attempts++;
        out.push(e);
      }
    }
    return out;
  }

  /** Marks an attempt as lost (no receipt); the entry will go out again on the next {@link SendQueue.takeForSend}. */
  release(clientMsgId: string): void {
    const e = this.get(clientMsgId);
    if (e) e.inFlightOn = undefined;
  }

  /** Looks up an unconfirmed entry. */
  get(clientMsgId: string): QueuedSend | undefined {
    return this.#entries.find((e) => e.clientMsgId === clientMsgId);
  }

  /** Records the seq from a RECEIPT (state `sent`); the entry stays until {@link SendQueue.complete}. */
  markSent(clientMsgId: string, seq: number): void {
    const e = this.get(clientMsgId);
    if (e?.state === 'pending') this.#set(e, 'sent', seq);
  }

  /** The message was delivered: resolves the send and removes the entry. */
  complete(clientMsgId: string, message: Message): boolean {
    const e = this.#take(clientMsgId);
    // Always told, even when it was already `sent`: leaving `pending` is a change the app must see.
    if (e) e.resolve(this.#set(e, 'sent', message.seq) && message);
    return !!e;
  }

  /** Refuses a send: state `failed`, rejects, removes the entry. */
  fail(clientMsgId: string, error: ParleyError): boolean {
    const e = this.#take(clientMsgId);
    if (e) {
      e.error = error;
      if (this.#failed.push(e) > this.#options.maxQueuedMessages) this.#failed.shift();
      e.reject(this.#set(e, 'failed', e.seq) && error);
    }
    return !!e;
  }

  /** Sets an entry's state and seq, ends its attempt, reports the change; returns true. */
  #set(e: QueuedSend, state: PendingState, seq: number | undefined): true {
    e.state = state;
    e.seq = seq;
    e.inFlightOn = undefined;
    this.#changed(e);
    return true;
  }

  /** Removes an unconfirmed entry from the queue and returns it. */
  #take(clientMsgId: string): QueuedSend | undefined {
    const e = this.get(clientMsgId);
    if (e) this.#entries.splice(this.#entries.indexOf(e), 1);
    return e;
  }

  /** Fails every entry (room left, client disconnected for good). */
  failAll(error: ParleyError): void {
    for (const e of [...this.#entries]) this.fail(e.clientMsgId, error);
  }

  /** Entries whose RECEIPT gave a seq at or below `seq` but whose message was not delivered. */
  sentUpTo(seq: number): QueuedSend[] {
    return this.#entries.filter((e) => e.state === 'sent' && e.seq !== undefined && e.seq <= seq);
  }

  /**
   * Forgets a failed entry.
   * @returns whether it was there
   */
  dismiss(clientMsgId: string): boolean {
    const i = this.#failed.findIndex((e) => e.clientMsgId === clientMsgId);
    if (i < 0) return false;
    this.#failed.splice(i, 1);
    return true;
  }

  /** Snapshots of the unconfirmed and the failed entries, in send order. */
  snapshot(): readonly PendingMessage[] {
    return [...this.#failed, ...this.#entries]
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((e) => this.#view(e));
  }

  #changed(e: QueuedSend): void {
    this.#options.onChange?.(this.#view(e));
  }

  #view({ clientMsgId, text, state, seq, error, attempts, createdAt }: QueuedSend): PendingMessage {
    return { clientMsgId, roomId: this.#options.roomId, text, state, seq, error, attempts, createdAt };
  }
}

import { Parser } from '@stomp/stompjs';
import { ParleyError } from './errors.js';
import type { WebSocketLike } from './transport.js';
import type { Clock } from './types.js';
import { ERRORS_QUEUE } from './protocol/destinations.js';
import { HEADER_ERROR_CODE } from './protocol/frames.js';

/** @internal */
export interface StompConnectionOptions {
  socketFactory: () => WebSocketLike;
  token: string;
  clock: Clock;
  requestTimeoutMs: number;
  heartbeatMs: number;
  /** Called once when an established connection ends (not on `close()`). */
  onLost: (error: ParleyError) => void;
  /** A refusal that matched no pending operation. */
  onUnroutedRefusal: (error: ParleyError) => void;
}

/** Headers of a frame as a plain record. @internal */
export type FrameHeaders = Readonly<Record<string, string | undefined>>;

/** A received frame (RECEIPT of a request). @internal */
export interface StompFrame {
  readonly command: string;
  readonly headers: FrameHeaders;
  readonly body: string;
}

/** A subscription, ended with {@link StompConnection.unsubscribe}. @internal */
export interface StompSubscription {
  readonly id: string;
}

interface PendingRequest {
  resolve(frame: StompFrame): void;
  reject(error: ParleyError): void;
  timer: unknown;
}

type MessageListener = (headers: FrameHeaders, body: string) => void;

// STOMP 1.2 §"Value Encoding": every frame but CONNECT/CONNECTED escapes \ CR LF and ':' in header values.
const escape = (v: string): string => v.replace(/[\\\r\n:]/g, (c) => ({ '\\': '\\\\', '\r': '\\r', '\n': '\\n', ':': '\\c' })[c]!);
const unescape = (v: string): string => v.replace(/\\([\\rnc])/g, (_, c: string) => ({ '\\': '\\', r: '\r', n: '\n', c: ':' })[c]!);
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * One STOMP 1.2 session over one socket (the client side of `docs/protocol.md` §5). It never
 * reconnects: the {@link ChatClient} opens a new one. Receipts and refusals are routed to the
 * operation that sent the frame.
 *
 * It speaks STOMP itself (stompjs' byte `Parser` only): the SDK needs CONNECT, SEND, SUBSCRIBE,
 * UNSUBSCRIBE, DISCONNECT and heart-beats, and stompjs' `Client` (reconnects, transactions, acks,
 * compat modes) cost a third of the SDK bundle for features the SDK owns or never uses.
 * @internal
 */
export class StompConnection {
  readonly #options: StompConnectionOptions;
  readonly #requests = new Map<string, PendingRequest>();
  readonly #subs = new Map<string, MessageListener>();
  #socket: WebSocketLike | undefined;
  #counter = 0;
  #connected = false;
  #ended = false;
  #stompError: ParleyError | undefined;
  #closed: (() => void) | undefined;
  #beats: ReturnType<typeof setInterval>[] = [];
  #lastIn = 0;
  #onConnected: ((headers: FrameHeaders) => void) | undefined;
  #onClose: (() => void) | undefined;
  /** The user id the server put in CONNECTED (`user-name`). */
  userId: string | undefined;

  private constructor(options: StompConnectionOptions) {
    this.#options = options;
  }

  /**
   * Opens a connection; resolves once CONNECTED arrived and `/user/queue/errors` is subscribed.
   * Rejects with the server's code (`AUTH_FAILED`, `TOKEN_EXPIRED`, …), `NETWORK` or `TIMEOUT`.
   */
  static open(options: StompConnectionOptions): Promise<StompConnection> {
    return new StompConnection(options).#start();
  }

  /** Whether the STOMP session is up. */
  get isOpen(): boolean {
    return this.#connected && !this.#ended;
  }

  #start(): Promise<StompConnection> {
    const { clock, requestTimeoutMs, heartbeatMs } = this.#options;
    return new Promise<StompConnection>((resolve, reject) => {
      let settled = false;
      const timer = clock.setTimeout(() => {
        if (settled) return;
        settled = true;
        this.#stompError = ParleyError.timeout('connect', requestTimeoutMs);
        this.#drop();
        reject(this.#stompError);
      }, requestTimeoutMs);
      this.#onConnected = (headers) => {
        if (settled) return;
        settled = true;
        clock.clearTimeout(timer);
        this.#connected = true;
        this.userId = headers['user-name'];
        this.#heartbeat(headers['heart-beat']);
        this.subscribe(ERRORS_QUEUE, (h, b) => this.#onRefusal(h, b));
        resolve(this);
      };
      this.#onClose = () => {
        const wasConnected = this.#connected;
        const error = this.#stompError ?? (wasConnected ? ParleyError.disconnected('Connection lost') : ParleyError.network());
        this.#connected = false;
        clock.clearTimeout(timer);
        this.#failAll(error.code === 'TIMEOUT' ? ParleyError.disconnected('Connection lost', error) : error);
        if (!settled) {
          settled = true;
          this.#ended = true;
          reject(error);
          return;
        }
        if (this.#ended) return;
        this.#ended = true;
        this.#options.onLost(error);
      };
      let socket: WebSocketLike;
      try {
        socket = this.#socket = this.#options.socketFactory();
      } catch (error) {
        settled = true;
        clock.clearTimeout(timer);
        reject(ParleyError.network(error));
        return;
      }
      const parser = new Parser(
        (raw) => this.#onFrame(raw.command!, raw.headers, raw.binaryBody!),
        () => undefined,
      );
      socket.binaryType = 'arraybuffer';
      socket.onmessage = ((e: { data: string | ArrayBuffer }) => {
        this.#lastIn = Date.now();
        parser.parseChunk(e.data);
      }) as never;
      socket.onopen = (() =>
        this.#write('CONNECT', {
          'accept-version': '1.2',
          'heart-beat': `${heartbeatMs},${heartbeatMs}`,
          Authorization: `Bearer ${this.#options.token}`,
        })) as never;
      socket.onclose = (() => this.#gone()) as never;
      // The close that follows reports the failure; without a listener Node's `ws` rethrows the error.
      socket.onerror = (() => undefined) as never;
    });
  }

  /** Arms heart-beats as negotiated (STOMP 1.2 §"Heart-beating"): each side's max of the two wishes. */
  #heartbeat(server: string | undefined): void {
    const [sx = 0, sy = 0] = (server ?? '0,0').split(',').map(Number);
    const mine = this.#options.heartbeatMs;
    // Real timers, as before: the injected clock of a test may jump ahead, which must not look like silence.
    if (mine && sy) this.#beats.push(setInterval(() => this.#send('\n'), Math.max(mine, sy)));
    if (mine && sx) {
      const ttl = Math.max(mine, sx);
      this.#lastIn = Date.now();
      this.#beats.push(
        setInterval(() => {
          // Twice the interval of silence: the server (or the path to it) is gone.
          if (Date.now() - this.#lastIn > ttl * 2) this.#drop();
        }, ttl),
      );
    }
  }

  #onFrame(command: string, list: [string, string][], bytes: Uint8Array): void {
    const headers: Record<string, string> = {};
    // A repeated header: the first one counts (STOMP 1.2 §"Repeated Header Entries").
    for (const [k, v] of list.reverse()) headers[k] = command === 'CONNECTED' ? v : unescape(v);
    const body = decoder.decode(bytes);
    const receiptId = headers['receipt-id'];
    if (command === 'CONNECTED') this.#onConnected?.(headers);
    else if (command === 'MESSAGE') this.#subs.get(headers.subscription!)?.(headers, body);
    else if (command === 'RECEIPT') {
      if (receiptId === 'disconnect') this.#drop();
      else this.#settle(receiptId, { command, headers, body }, undefined);
    } else if (command === 'ERROR') {
      // An unknown code becomes INTERNAL, as in a refusal body.
      this.#stompError = ParleyError.fromServer({ code: headers[HEADER_ERROR_CODE], message: headers.message });
      this.#settle(receiptId, undefined, this.#stompError);
      // The server closes after ERROR; make sure of it.
      this.#drop();
    }
  }

  #send(data: string): boolean {
    try {
      this.#socket!.send(data);
      return true;
    } catch {
      return false;
    }
  }

  #write(command: string, headers: Record<string, string>, body = ''): boolean {
    let head = `${command}\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}:${command === 'CONNECT' ? v : escape(v)}\n`;
    if (body) head += `content-length:${encoder.encode(body).length}\n`;
    return this.#send(`${head}\n${body}\0`);
  }

  /**
   * Sends a frame with a receipt; resolves with the RECEIPT, rejects with the refusal,
   * `TIMEOUT` after `requestTimeoutMs`, or `DISCONNECTED` if the connection ends first.
   */
  request(destination: string, body: string, headers: Record<string, string> = {}): Promise<StompFrame> {
    if (!this.isOpen) return Promise.reject(ParleyError.disconnected());
    const receipt = `r-${++this.#counter}`;
    const { clock, requestTimeoutMs } = this.#options;
    return new Promise<StompFrame>((resolve, reject) => {
      const timer = clock.setTimeout(() => {
        this.#requests.delete(receipt);
        reject(ParleyError.timeout(destination, requestTimeoutMs));
      }, requestTimeoutMs);
      this.#requests.set(receipt, { resolve, reject, timer });
      if (!this.#write('SEND', { ...headers, destination, receipt, 'content-type': 'application/json' }, body)) {
        this.#settle(receipt, undefined, ParleyError.disconnected('Connection lost'));
      }
    });
  }

  /** Sends a frame without waiting for anything (best effort). */
  publish(destination: string, body: string): boolean {
    return this.isOpen && this.#write('SEND', { destination, 'content-type': 'application/json' }, body);
  }

  /** Subscribes; `undefined` when the connection is not open. */
  subscribe(destination: string, onMessage: MessageListener, headers: Record<string, string> = {}): StompSubscription | undefined {
    if (!this.isOpen) return undefined;
    const id = `s-${++this.#counter}`;
    this.#subs.set(id, onMessage);
    this.#write('SUBSCRIBE', { ...headers, id, destination });
    return { id };
  }

  /** Unsubscribes when still open. */
  unsubscribe(subscription: StompSubscription): void {
    if (this.#subs.delete(subscription.id) && this.isOpen) this.#write('UNSUBSCRIBE', { id: subscription.id });
  }

  /**
   * Ends the session: DISCONNECT (waiting up to `graceMs` for its RECEIPT), then drops the socket.
   * Never calls `onLost`. Pending requests reject with `DISCONNECTED`.
   */
  async close(graceMs = 1000): Promise<void> {
    if (this.#ended) return;
    const wasConnected = this.#connected;
    this.#ended = true;
    this.#failAll(ParleyError.disconnected('Client disconnected'));
    const { clock } = this.#options;
    let timer: unknown;
    if (wasConnected && graceMs > 0 && this.#write('DISCONNECT', { receipt: 'disconnect' })) {
      await new Promise<void>((resolve) => {
        this.#closed = resolve;
        timer = clock.setTimeout(resolve, graceMs);
      });
    }
    clock.clearTimeout(timer);
    this.#drop();
  }

  /** Drops the socket now (covers a server that never answers DISCONNECT); the close is reported once. */
  #drop(): void {
    const socket = this.#socket;
    if (!socket) return;
    try {
      socket.close();
    } catch {
      // already closing
    }
    this.#gone();
  }

  #gone(): void {
    const socket = this.#socket;
    if (!socket) return;
    this.#socket = undefined;
    socket.onmessage = socket.onclose = socket.onopen = null;
    for (const t of this.#beats) clearInterval(t);
    this.#subs.clear();
    this.#closed?.();
    this.#onClose?.();
  }

  #onRefusal(headers: FrameHeaders, text: string): void {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = { code: headers[HEADER_ERROR_CODE], message: text };
    }
    const rec = (body ?? {}) as { destination?: unknown; receiptId?: unknown };
    const destination = typeof rec.destination === 'string' ? rec.destination : undefined;
    const error = ParleyError.fromServer(body, { destination });
    const receiptId = headers['receipt-id'] ?? (typeof rec.receiptId === 'string' ? rec.receiptId : undefined);
    if (!this.#settle(receiptId, undefined, error)) this.#options.onUnroutedRefusal(error);
  }

  #settle(receiptId: string | undefined, frame: StompFrame | undefined, error: ParleyError | undefined): boolean {
    const req = receiptId === undefined ? undefined : this.#requests.get(receiptId);
    if (!req) return false;
    this.#requests.delete(receiptId!);
    this.#options.clock.clearTimeout(req.timer);
    if (error) req.reject(error);
    else req.resolve(frame!);
    return true;
  }

  #failAll(error: ParleyError): void {
    for (const id of [...this.#requests.keys()]) this.#settle(id, undefined, error);
  }
}

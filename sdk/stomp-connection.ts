import { Client } from '@stomp/stompjs';
import type { IFrame, IMessage, IStompSocket, StompHeaders, StompSubscription } from '@stomp/stompjs';
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

interface PendingRequest {
  resolve(frame: IFrame): void;
  reject(error: ParleyError): void;
  timer: unknown;
}

/** Headers of a MESSAGE as a plain record. @internal */
export type FrameHeaders = Readonly<Record<string, string | undefined>>;

/**
 * One STOMP session over one socket. It never reconnects: the {@link ChatClient} opens a new one.
 * Receipts and refusals are routed to the operation that sent the frame.
 * @internal
 */
export class StompConnection {
  readonly #client: Client;
  readonly #requests = new Map<string, PendingRequest>();
  #counter = 0;
  #connected = false;
  #ended = false;
  #stompError: ParleyError | undefined;
  /** The user id the server put in CONNECTED (`user-name`). */
  userId: string | undefined;

  readonly #options: StompConnectionOptions;

  private constructor(options: StompConnectionOptions) {
    this.#options = options;
    this.#client = new Client({
      webSocketFactory: () => options.socketFactory() as unknown as IStompSocket,
      connectHeaders: { Authorization: `Bearer ${options.token}` },
      heartbeatIncoming: options.heartbeatMs,
      heartbeatOutgoing: options.heartbeatMs,
      // The ChatClient owns reconnection (one timer, a replaceable policy).
      reconnectDelay: 0,
      onUnhandledReceipt: (frame) => this.#settle(frame.headers['receipt-id'], frame, undefined),
    });
  }

  /**
   * Opens a connection; resolves once CONNECTED arrived and `/user/queue/errors` is subscribed.
   * Rejects with the server's code (`AUTH_FAILED`, `TOKEN_EXPIRED`, …), `NETWORK` or `TIMEOUT`.
   */
  static open(options: StompConnectionOptions): Promise<StompConnection> {
    const conn = new StompConnection(options);
    return conn.#start();
  }

  /** Whether the STOMP session is up. */
  get isOpen(): boolean {
    return this.#connected && !this.#ended;
  }

  #start(): Promise<StompConnection> {
    const { clock, requestTimeoutMs } = this.#options;
    return new Promise<StompConnection>((resolve, reject) => {
      let settled = false;
      const timer = clock.setTimeout(() => {
        if (settled) return;
        settled = true;
        this.#stompError = ParleyError.timeout('connect', requestTimeoutMs);
        this.#shutdown();
        reject(this.#stompError);
      }, requestTimeoutMs);
      const client = this.#client;
      client.onConnect = (frame) => {
        if (settled) return;
        settled = true;
        clock.clearTimeout(timer);
        this.#connected = true;
        this.userId = frame.headers['user-name'];
        client.subscribe(ERRORS_QUEUE, (m) => this.#onRefusal(m));
        resolve(this);
      };
      client.onStompError = (frame) => {
        // An unknown code becomes INTERNAL, as in a refusal body.
        this.#stompError = ParleyError.fromServer({ code: frame.headers[HEADER_ERROR_CODE], message: frame.headers.message });
        const receiptId = frame.headers['receipt-id'];
        if (receiptId) this.#settle(receiptId, undefined, this.#stompError);
        // The server closes after ERROR; make sure of it.
        client.forceDisconnect();
      };
      client.onWebSocketClose = () => {
        const wasConnected = this.#connected;
        const error = this.#stompError ?? (wasConnected ? ParleyError.disconnected('Connection lost') : ParleyError.network());
        this.#connected = false;
        clock.clearTimeout(timer);
        this.#failAll(error.code === 'TIMEOUT' ? ParleyError.disconnected('Connection lost', error) : error);
        void client.deactivate();
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
      client.activate();
    });
  }

  /**
   * Sends a frame with a receipt; resolves with the RECEIPT, rejects with the refusal,
   * `TIMEOUT` after `requestTimeoutMs`, or `DISCONNECTED` if the connection ends first.
   */
  request(destination: string, body: string, headers: StompHeaders = {}): Promise<IFrame> {
    if (!this.isOpen) return Promise.reject(ParleyError.disconnected());
    const receipt = `r-${++this.#counter}`;
    const { clock, requestTimeoutMs } = this.#options;
    return new Promise<IFrame>((resolve, reject) => {
      const timer = clock.setTimeout(() => {
        this.#requests.delete(receipt);
        reject(ParleyError.timeout(destination, requestTimeoutMs));
      }, requestTimeoutMs);
      this.#requests.set(receipt, { resolve, reject, timer });
      try {
        this.#client.publish({ destination, body, headers: { ...headers, receipt, 'content-type': 'application/json' } });
      } catch (error) {
        this.#settle(receipt, undefined, ParleyError.disconnected('Connection lost', error));
      }
    });
  }

  /** Sends a frame without waiting for anything (best effort). */
  publish(destination: string, body: string): boolean {
    if (!this.isOpen) return false;
    try {
      this.#client.publish({ destination, body, headers: { 'content-type': 'application/json' } });
      return true;
    } catch {
      return false;
    }
  }

  /** Subscribes; `undefined` when the connection is not open. */
  subscribe(
    destination: string,
    onMessage: (headers: FrameHeaders, body: string) => void,
    headers: StompHeaders = {},
  ): StompSubscription | undefined {
    if (!this.isOpen) return undefined;
    return this.#client.subscribe(destination, (m: IMessage) => onMessage(m.headers, m.body), headers);
  }

  /** Unsubscribes when still open. */
  unsubscribe(subscription: StompSubscription): void {
    if (this.isOpen) {
      try {
        subscription.unsubscribe();
      } catch {
        // Already gone with the socket.
      }
    }
  }

  /**
   * Ends the session: DISCONNECT (waiting up to `graceMs` for its RECEIPT), then drops the socket.
   * Never calls `onLost`. Pending requests reject with `DISCONNECTED`.
   */
  async close(graceMs = 1000): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    this.#failAll(ParleyError.disconnected('Client disconnected'));
    const { clock } = this.#options;
    let timer: unknown;
    await Promise.race([
      this.#client.deactivate(),
      new Promise<void>((resolve) => {
        timer = clock.setTimeout(resolve, graceMs);
      }),
    ]);
    clock.clearTimeout(timer);
    this.#shutdown();
  }

  #shutdown(): void {
    // Force: drop the socket without waiting (covers a server that never answers DISCONNECT).
    void this.#client.deactivate({ force: true });
  }

  #onRefusal(message: IMessage): void {
    let body: unknown;
    try {
      body = JSON.parse(message.body);
    } catch {
      body = { code: message.headers[HEADER_ERROR_CODE], message: message.body };
    }
    const rec = (body ?? {}) as { destination?: unknown; receiptId?: unknown };
    const destination = typeof rec.destination === 'string' ? rec.destination : undefined;
    const error = ParleyError.fromServer(body, { destination });
    const receiptId = message.headers['receipt-id'] ?? (typeof rec.receiptId === 'string' ? rec.receiptId : undefined);
    if (!receiptId || !this.#settle(receiptId, undefined, error)) this.#options.onUnroutedRefusal(error);
  }

  #settle(receiptId: string | undefined, frame: IFrame | undefined, error: ParleyError | undefined): boolean {
    if (receiptId === undefined) return false;
    const req = this.#requests.get(receiptId);
    if (!req) return false;
    this.#requests.delete(receiptId);
    this.#options.clock.clearTimeout(req.timer);
    if (error) req.reject(error);
    else if (frame) req.resolve(frame);
    return true;
  }

  #failAll(error: ParleyError): void {
    for (const id of [...this.#requests.keys()]) this.#settle(id, undefined, error);
  }
}

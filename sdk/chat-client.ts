import { Auth, isAuthRefusal } from './auth.js';
import type { TokenProvider } from './auth.js';
import { systemClock } from './clock.js';
import { StateHolder } from './connection-state.js';
import type { ConnectionState } from './connection-state.js';
import { ParleyError } from './errors.js';
import { TypedEmitter } from './events.js';
import type { ClientEvents } from './events.js';
import { lobbyFanout, signalFanout } from './fanout.js';
import { httpJson } from './http.js';
import type { HttpOptions } from './http.js';
import { reconnectLoop } from './reconnect-loop.js';
import { DefaultReconnectPolicy } from './reconnect-policy.js';
import type { ReconnectPolicy } from './reconnect-policy.js';
import { RoomHandle } from './room-handle.js';
import type { RoomHost } from './room-handle.js';
import { RoomsApi, checkRoomId } from './rooms-api.js';
import { StompConnection } from './stomp-connection.js';
import {
  STOMP_SUBPROTOCOLS,
  loadSockJsFactory,
  resolveWebSocketFactory,
  sockJsUrl,
  trimSlash,
  webSocketUrl,
} from './transport.js';
import type { TransportKind, WebSocketConstructor, WebSocketFactory, WebSocketLike } from './transport.js';
import type { Clock, FetchLike, User } from './types.js';
import { uuid } from './uuid.js';
import { isRetryable } from './protocol/errors.js';

/** Options of {@link ChatClient}. Exactly one of `nickname`, `token`, `tokenProvider` is required. */
export interface ChatClientOptions {
  /** Server base URL, `http(s)://host[:port]`. */
  url: string;
  /** Join as a guest with this nickname (1–32 code points): a session from `POST /api/session`, renewed before expiry with the same user id. */
  nickname?: string;
  /** A bearer token obtained elsewhere. It is not renewed. */
  token?: string;
  /** Called for a token before the current one expires (JWT `exp`) and after an auth refusal. */
  tokenProvider?: TokenProvider;
  /** `websocket`, `sockjs` or `auto` (default). */
  transport?: TransportKind;
  /** WebSocket implementation; required in Node 20 (`import WebSocket from 'ws'`). Default: the global `WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /** Creates the socket yourself (takes precedence over `WebSocket`). */
  webSocketFactory?: WebSocketFactory;
  /** `fetch` implementation. Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Timers and time. Default: global timers and `Date.now`. */
  clock?: Clock;
  /** Backoff between reconnect attempts. Default: {@link DefaultReconnectPolicy} (0.5 s doubling to 30 s, full jitter, never gives up). */
  reconnectPolicy?: ReconnectPolicy;
  /** Unconfirmed messages a room may hold (queued offline or awaiting receipt). Default 100. */
  maxQueuedMessages?: number;
  /** Messages a room handle keeps in memory. Default 500. */
  maxMessagesInMemory?: number;
  /** Timeout of each request (REST call, receipt, connect), in ms. Default 10 000. */
  requestTimeoutMs?: number;
  /** STOMP heart-beat in both directions, in ms. Default 10 000. */
  heartbeatMs?: number;
  /** Refresh interval of a `setTyping(true)` indicator, in ms. Default 3 000. */
  typingRefreshMs?: number;
}

/** Options of {@link ChatClient.join}. */
export interface JoinOptions {
  /** The room password, if the room is locked. Kept in memory to re-join after reconnects. */
  password?: string;
}

/**
 * The Parley client: one STOMP connection with automatic reconnect, the rooms REST API and
 * room handles that resume without gaps or duplicates.
 *
 * @example
 * ```ts
 * const client = new ChatClient({ url: 'https://chat.example.com', nickname: '민수' });
 * await client.connect();
 * const room = await client.join(3);
 * room.on('message', (m) => console.log(m.sender.nickname, m.text));
 * await room.send('안녕하세요');
 * ```
 *
 * Events: see {@link ClientEvents}.
 */
export class ChatClient extends TypedEmitter<ClientEvents> {
  /** Rooms over REST and lobby updates. */
  readonly rooms: RoomsApi;
  readonly #baseUrl: string;
  readonly #clock: Clock;
  readonly #http: HttpOptions;
  readonly #auth: Auth;
  readonly #transport: TransportKind;
  readonly #wsFactory: WebSocketFactory | undefined;
  readonly #stateHolder: StateHolder<ConnectionState>;
  readonly #requestTimeoutMs: number;
  readonly #heartbeatMs: number;
  readonly #roomHost: RoomHost;
  readonly #handles = new Map<number, RoomHandle>();
  readonly #lobby = lobbyFanout((event) => this.emit('roomsChanged', event));
  readonly #signals = signalFanout();
  readonly #reconnect: ReturnType<typeof reconnectLoop>;
  #conn: StompConnection | undefined;
  #connecting: Promise<void> | undefined;
  #sockJs: Promise<(url: string) => WebSocketLike> | undefined;
  #chosen: 'websocket' | 'sockjs' | undefined;
  /** Bumped by disconnect(): async work of an older session is dropped. */
  #session = 0;
  #connectedUserId: string | undefined;

  /**
   * Creates a client; nothing happens on the network until {@link ChatClient.connect}.
   * @param options - see {@link ChatClientOptions}
   * @throws TypeError for missing/invalid options, RangeError for out-of-range numbers
   */
  constructor(options: ChatClientOptions) {
    super();
    if (!options || typeof options.url !== 'string' || !/^(https?|wss?):\/\//i.test(options.url)) {
      throw new TypeError('ChatClient: url must be an http(s) URL');
    }
    const auths = [options.nickname, options.token, options.tokenProvider].filter((x) => x !== undefined).length;
    if (auths !== 1) throw new TypeError('ChatClient: give exactly one of nickname, token, tokenProvider');
    if (options.nickname !== undefined && (typeof options.nickname !== 'string' || options.nickname.trim() === '')) {
      throw new TypeError('ChatClient: nickname must be a non-empty string');
    }
    const positive = (name: string, v: number | undefined, dflt: number): number => {
      const n = v ?? dflt;
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`ChatClient: ${name} must be a positive integer`);
      return n;
    };
    this.#baseUrl = trimSlash(options.url).replace(/^ws/i, 'http');
    this.#clock = options.clock ?? systemClock;
    this.#requestTimeoutMs = positive('requestTimeoutMs', options.requestTimeoutMs, 10_000);
    this.#heartbeatMs = options.heartbeatMs ?? 10_000;
    if (!Number.isInteger(this.#heartbeatMs) || this.#heartbeatMs < 0) throw new RangeError('ChatClient: heartbeatMs must be >= 0');
    const maxQueuedMessages = positive('maxQueuedMessages', options.maxQueuedMessages, 100);
    const maxMessagesInMemory = positive('maxMessagesInMemory', options.maxMessagesInMemory, 500);
    const typingRefreshMs = positive('typingRefreshMs', options.typingRefreshMs, 3000);
    this.#transport = options.transport ?? 'auto';
    if (!['auto', 'websocket', 'sockjs'].includes(this.#transport)) throw new TypeError('ChatClient: bad transport');
    this.#wsFactory = resolveWebSocketFactory(options.webSocketFactory, options.WebSocket);
    if (this.#transport === 'websocket' && !this.#wsFactory) {
      throw new TypeError("ChatClient: no WebSocket available; pass { WebSocket } (in Node: import WebSocket from 'ws')");
    }
    const fetchImpl = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
    if (!fetchImpl) throw new TypeError('ChatClient: no fetch available; pass { fetch }');
    this.#http = {
      baseUrl: this.#baseUrl,
      fetch: (input, init) => fetchImpl(input, init),
      clock: this.#clock,
      requestTimeoutMs: this.#requestTimeoutMs,
    };
    this.#auth = new Auth({
      nickname: options.nickname?.trim(),
      token: options.token,
      tokenProvider: options.tokenProvider,
      http: this.#http,
    });
    this.#stateHolder = new StateHolder<ConnectionState>('disconnected', (next, prev) => this.emit('stateChanged', next, prev));
    this.#reconnect = reconnectLoop({
      policy: options.reconnectPolicy ?? new DefaultReconnectPolicy(),
      clock: this.#clock,
      attempt: async (current) => {
        const conn = await this.#open(this.#session);
        if (current()) this.#onConnected(conn);
        else void conn.close();
      },
      // A static token that is refused will be refused again.
      final: (error) => isAuthRefusal(error.code) && this.#auth.isStatic,
      giveUp: (error) => {
        // Rooms close with the cause and the state becomes `disconnected`, but the app's
        // listeners stay, so a later `connect()` is observed as usual.
        this.emit('error', error);
        void this.#teardown(error);
      },
    });
    this.rooms = new RoomsApi({
      rest: (method, path, body, auth) => this.#rest(method, path, body, auth),
      watchLobby: (listener) => this.#lobby.watch(0, listener),
    });
    this.#roomHost = {
      clock: this.#clock,
      requestTimeoutMs: this.#requestTimeoutMs,
      maxQueuedMessages,
      maxMessagesInMemory,
      typingRefreshMs,
      newId: uuid,
      userId: () => this.user?.id,
      rest: (method, path, body, auth) => this.#rest(method, path, body, auth),
      reportError: (error) => this.emit('error', error),
      recycle: (error) => this.#recycle(error),
      forget: (room) => {
        if (this.#handles.get(room.id) === room) this.#handles.delete(room.id);
      },
      watchSignals: (roomId, listener) => this.#signals.watch(roomId, listener),
    };
  }

  /** The connection state. Changes are reported by `stateChanged`. */
  get state(): ConnectionState {
    return this.#stateHolder.state;
  }

  /** The current user, once known (after `connect` or the first authenticated call). */
  get user(): User | undefined {
    const u = this.#auth.user;
    if (u) return u;
    return this.#connectedUserId ? { id: this.#connectedUserId, nickname: '' } : undefined;
  }

  /** Handles of the rooms joined (or being joined) on this client. */
  get joinedRooms(): readonly RoomHandle[] {
    return [...this.#handles.values()];
  }

  /**
   * The handle of a room joined on this client, if any.
   * @param roomId - room id
   */
  room(roomId: number): RoomHandle | undefined {
    return this.#handles.get(roomId);
  }

  /**
   * Authenticates (guest session for `nickname`) and opens the STOMP connection.
   * Resolves when connected; rejects with `AUTH_FAILED`/`TOKEN_EXPIRED`, `NETWORK` or `TIMEOUT`
   * if the first connection cannot be made (the client is then `disconnected`).
   * After a successful connect, lost connections are restored automatically.
   */
  connect(): Promise<void> {
    if (this.state === 'connected' || this.state === 'reconnecting') return Promise.resolve();
    if (this.#connecting) return this.#connecting;
    const session = this.#session;
    this.#stateHolder.set('connecting');
    this.#auth.start();
    const p = this.#open(session).then(
      (conn) => {
        if (session !== this.#session) {
          void conn.close();
          throw ParleyError.disconnected('disconnect() was called');
        }
        this.#onConnected(conn);
      },
      (error: unknown) => {
        const err = ParleyError.from(error);
        if (session === this.#session) {
          this.#auth.stop();
          this.#stateHolder.set('disconnected');
        }
        throw err;
      },
    );
    this.#connecting = p.finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  /**
   * Joins a room and returns its handle once the latest history is loaded and the
   * subscription is live. Joining a room twice returns the same handle.
   * Rejects with `BAD_PASSWORD`, `ROOM_FULL`, `ROOM_NOT_FOUND`, or `DISCONNECTED`
   * (the client is not connected, or disconnected before the join completed).
   * @param roomId - room id
   * @param options - the password of a locked room
   */
  join(roomId: number, options: JoinOptions = {}): Promise<RoomHandle> {
    checkRoomId(roomId);
    if (options.password !== undefined && typeof options.password !== 'string') {
      throw new TypeError('join: password must be a string');
    }
    if (this.state === 'disconnected') {
      return Promise.reject(ParleyError.disconnected('Call connect() before join()'));
    }
    let handle = this.#handles.get(roomId);
    if (handle) {
      handle.setPassword(options.password);
    } else {
      handle = new RoomHandle(this.#roomHost, roomId, options.password);
      this.#handles.set(roomId, handle);
      if (this.#conn?.isOpen) handle.attach(this.#conn);
    }
    const h = handle;
    return h.whenReady().then(() => h);
  }

  /**
   * Closes the connection and every room handle: unsent messages reject with `DISCONNECTED`,
   * every timer is cleared, and, after the final `stateChanged`, every listener is removed.
   * The client may `connect()` again later (rooms must be joined again).
   */
  async disconnect(): Promise<void> {
    await this.#teardown(ParleyError.disconnected('Client disconnected'));
    this.removeAllListeners();
  }

  /** Everything `disconnect()` does but dropping the app's listeners (a give-up keeps them). */
  async #teardown(error: ParleyError): Promise<void> {
    this.#session++;
    this.#reconnect.stop();
    this.#auth.stop();
    const conn = this.#conn;
    this.#conn = undefined;
    this.#signals.clear();
    for (const h of [...this.#handles.values()]) h.close(error);
    this.#handles.clear();
    this.#lobby.clear();
    if (conn) await conn.close();
    this.#stateHolder.set('disconnected');
  }

  // ---- connection lifecycle ----

  /** Opens a connection; a refused token is renewed once (refresh, new guest session or provider). */
  #open(session: number): Promise<StompConnection> {
    return this.#auth.withToken((token) => this.#openWith(token, session));
  }

  async #openWith(token: string, session: number): Promise<StompConnection> {
    let kinds: Array<'websocket' | 'sockjs'>;
    if (this.#transport === 'sockjs') kinds = ['sockjs'];
    else if (this.#transport === 'websocket') kinds = ['websocket'];
    else if (this.#chosen) kinds = [this.#chosen];
    else kinds = this.#wsFactory ? ['websocket', 'sockjs'] : ['sockjs'];
    let lastError: ParleyError = ParleyError.network();
    for (const kind of kinds) {
      if (session !== this.#session) throw ParleyError.disconnected('disconnect() was called');
      const socketFactory = await this.#socketFactory(kind);
      let conn: StompConnection | undefined;
      try {
        conn = await StompConnection.open({
          socketFactory,
          token,
          clock: this.#clock,
          requestTimeoutMs: this.#requestTimeoutMs,
          heartbeatMs: this.#heartbeatMs,
          onLost: (error) => this.#onLost(conn, error),
          onUnroutedRefusal: (error) => this.emit('error', error),
        });
      } catch (error) {
        lastError = ParleyError.from(error);
        // Only a transport failure falls back to SockJS: the protocol's retryable codes, except
        // those the server itself answers (RATE_LIMITED, UNAVAILABLE), which would recur there.
        const code = lastError.code;
        if (!isRetryable(code) || code === 'RATE_LIMITED' || code === 'UNAVAILABLE') throw lastError;
        continue;
      }
      if (this.#transport === 'auto') this.#chosen = kind;
      if (conn.userId) this.#connectedUserId = conn.userId;
      return conn;
    }
    throw lastError;
  }

  async #socketFactory(kind: 'websocket' | 'sockjs'): Promise<() => WebSocketLike> {
    if (kind === 'websocket') {
      const f = this.#wsFactory!;
      const url = webSocketUrl(this.#baseUrl);
      return () => f(url, [...STOMP_SUBPROTOCOLS]);
    }
    this.#sockJs ??= loadSockJsFactory().catch((error: unknown) => {
      this.#sockJs = undefined;
      throw ParleyError.network(error);
    });
    const make = await this.#sockJs;
    const url = sockJsUrl(this.#baseUrl);
    return () => make(url);
  }

  #onConnected(conn: StompConnection): void {
    this.#conn = conn;
    this.#reconnect.stop();
    this.#stateHolder.set('connected');
    this.#lobby.connected(conn);
    // Before the rooms re-join: a call re-joining on this connection must not miss an offer.
    this.#signals.connected(conn);
    for (const h of [...this.#handles.values()]) h.attach(conn);
  }

  #onLost(conn: StompConnection | undefined, error: ParleyError): void {
    if (!conn || conn !== this.#conn) return;
    this.#conn = undefined;
    this.#lobby.lost();
    this.#signals.lost();
    if (isAuthRefusal(error.code)) this.#auth.invalidate();
    for (const h of this.#handles.values()) h.detach();
    this.#stateHolder.set('reconnecting');
    this.#reconnect.start(error);
  }

  /** Drops a connection that cannot serve a room any more; the usual reconnect follows. */
  #recycle(error: ParleyError): void {
    const conn = this.#conn;
    if (!conn) return;
    this.emit('error', error);
    this.#onLost(conn, error);
    void conn.close(0);
  }

  // ---- REST ----

  #rest<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown, auth: boolean): Promise<T> {
    const req = { method, path, body };
    return auth ? this.#auth.withToken((token) => httpJson<T>(this.#http, { ...req, token })) : httpJson<T>(this.#http, req);
  }
}

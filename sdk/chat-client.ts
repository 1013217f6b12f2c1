import { Auth, isAuthRefusal, type CurrentUser } from './auth.js';
import { SESSION_REFRESH } from './protocol/destinations.js';
import { readClientOptions } from './client-options.js';
import type { ChatClientOptions, JoinOptions } from './client-options.js';
import { StateHolder } from './connection-state.js';
import type { ConnectionState } from './connection-state.js';
import { connector } from './connector.js';
import type { Connector } from './connector.js';
import { ParleyError } from './errors.js';
import { TypedEmitter } from './events.js';
import type { ClientEvents } from './events.js';
import { lobbyFanout, signalFanout } from './fanout.js';
import { httpJson } from './http.js';
import type { HttpMethod, HttpOptions } from './http.js';
import { reconnectLoop } from './reconnect-loop.js';
import { DefaultReconnectPolicy } from './reconnect-policy.js';
import { RoomHandle } from './room-handle.js';
import type { RoomHost } from './room-handle.js';
import { RoomsApi, checkRoomId } from './rooms-api.js';
import type { RoomsHost } from './rooms-api.js';
import type { StompConnection } from './stomp-connection.js';
import { randomId } from './random-id.js';

export type { ChatClientOptions, JoinOptions } from './client-options.js';

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
  readonly #http: HttpOptions;
  readonly #auth: Auth;
  readonly #stateHolder: StateHolder<ConnectionState>;
  readonly #connect: Connector;
  readonly #roomHost: RoomHost;
  readonly #handles = new Map<number, RoomHandle>();
  readonly #lobby = lobbyFanout((event) => this.emit('roomsChanged', event));
  readonly #signals = signalFanout();
  readonly #reconnect: ReturnType<typeof reconnectLoop>;
  #conn: StompConnection | undefined;
  #connecting: Promise<void> | undefined;
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
    const o = readClientOptions(options);
    this.#connect = connector(o, (conn, error) => this.#onLost(conn, error), (error) => this.emit('error', error));
    this.#http = o;
    this.#auth = new Auth({
      ...options,
      nickname: options.nickname?.trim(),
      http: o,
      // The open connection would otherwise close with TOKEN_EXPIRED at the old token's exp.
      renewed: (token) => void this.#conn?.request(SESSION_REFRESH, '', { Authorization: 'Bearer ' + token }).catch(() => undefined),
    });
    this.#stateHolder = new StateHolder<ConnectionState>('disconnected', (next, prev) => this.emit('stateChanged', next, prev));
    this.#reconnect = reconnectLoop(
      options.reconnectPolicy ?? new DefaultReconnectPolicy(),
      o.clock,
      async (current) => {
        const conn = await this.#open(this.#session);
        if (current()) this.#onConnected(conn);
        else void conn.close();
      },
      // A static token that is refused will be refused again.
      (error) => isAuthRefusal(error.code) && this.#auth.isStatic,
      (error) => {
        // Rooms close with the cause and the state becomes `disconnected`, but the app's
        // listeners stay, so a later `connect()` is observed as usual.
        this.emit('error', error);
        void this.#teardown(error);
      },
    );
    const rest: RoomHost['rest'] & RoomsHost['rest'] = (method, path, body, auth) => this.#rest(method, path, body, auth);
    this.rooms = new RoomsApi({ rest, watchLobby: (listener) => this.#lobby.watch(0, listener) });
    this.#roomHost = {
      ...o,
      rest,
      newId: randomId,
      userId: () => this.user?.id,
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
  get user(): CurrentUser | undefined {
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
      throw new TypeError('join: bad password');
    }
    if (this.state === 'disconnected') {
      return Promise.reject(ParleyError.disconnected());
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
    return this.#auth.withToken(async (token) => {
      const conn = await this.#connect(token, () => session === this.#session);
      if (conn.userId) this.#connectedUserId = conn.userId;
      return conn;
    });
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

  #rest<T>(method: HttpMethod, path: string, body: unknown, auth: boolean): Promise<T> {
    const req = { method, path, body };
    return auth ? this.#auth.withToken((token) => httpJson<T>(this.#http, { ...req, token })) : httpJson<T>(this.#http, req);
  }
}

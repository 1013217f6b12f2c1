import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ChatClient, DefaultReconnectPolicy, ParleyError, isParleyError } from '../../sdk/index.js';
import type { ConnectionState, CurrentUser, Unsubscribe } from '../../sdk/index.js';
import { emitChatEvent } from '../events/chat-events.js';
import type { ChatClientLike } from '../model/chat-client-like.js';

/** Where the client comes from: a ready one, or built from the element's attributes. */
export interface ClientSource {
  readonly client: ChatClientLike | undefined;
  readonly server: string | undefined;
  readonly nickname: string | undefined;
  readonly token: string | undefined;
}

/** What the host hears from the controller. */
export interface ClientControllerCallbacks {
  /** The client connected (the first time, or again after `disconnected`). */
  onConnected(client: ChatClientLike): void;
  /** Every state change, after the controller's own bookkeeping. */
  onStateChanged(state: ConnectionState, previous: ConnectionState): void;
  /** The client is being replaced or dropped: forget everything tied to it. */
  onReleased(): void;
}

/** Origin of the widget script, the default `server` (the widget is served by the chat server). */
function scriptOrigin(): string | undefined {
  try {
    const url = new URL(import.meta.url);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Owns the element's `ChatClient`: builds it from `server` + `nickname`/`token` (or takes the
 * `client` property as is), connects it, follows its state and errors, and turns them into Lit
 * updates and the public `chat-state-changed` / `chat-error` events. A client the controller built
 * is disconnected when the element leaves the page; a client given by the page is left alone.
 */
export class ClientController implements ReactiveController {
  /** The client in use. */
  client: ChatClientLike | undefined;
  /** Its connection state (`disconnected` when none). */
  state: ConnectionState = 'disconnected';
  /** The browser's network status. */
  online = typeof navigator === 'undefined' ? true : navigator.onLine;
  /** Why the last `connect` failed, until the next attempt. */
  failure: ParleyError | undefined;
  /** Whether a connection was ever made with this client. */
  everConnected = false;

  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #callbacks: ClientControllerCallbacks;
  #owned = false;
  #key = '';
  #source: ClientSource | undefined;
  #unsubscribe: Unsubscribe[] = [];
  #generation = 0;
  readonly #onNetwork = (): void => {
    this.online = navigator.onLine;
    // Back online after a failed first connection: try at once rather than wait for a click.
    if (this.online && this.client && this.failure && this.state === 'disconnected') this.retry();
    this.#host.requestUpdate();
  };

  constructor(host: ReactiveControllerHost & HTMLElement, callbacks: ClientControllerCallbacks) {
    this.#host = host;
    this.#callbacks = callbacks;
    host.addController(this);
  }

  /** The signed-in user, once known. */
  get user(): CurrentUser | undefined {
    return this.client?.user;
  }

  /** Whether the source names a client or enough to build one. */
  static canBuild(source: ClientSource): boolean {
    return source.client !== undefined || ((source.nickname ?? '').trim() !== '' || (source.token ?? '') !== '');
  }

  hostConnected(): void {
    window.addEventListener('online', this.#onNetwork);
    window.addEventListener('offline', this.#onNetwork);
    if (this.#source && !this.client) {
      this.#key = '';
      this.use(this.#source);
    }
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.#onNetwork);
    window.removeEventListener('offline', this.#onNetwork);
    this.#release();
  }

  /**
   * Uses the client described by `source`, replacing the current one when the description changed.
   * Nothing happens while the source cannot make a client (no nickname/token/client yet).
   */
  use(source: ClientSource): void {
    this.#source = source;
    const key = source.client ? 'client' : JSON.stringify([source.server ?? '', source.nickname ?? '', source.token ?? '']);
    if (key === this.#key && (source.client === undefined || source.client === this.client)) return;
    this.#release();
    this.#key = key;
    if (!ClientController.canBuild(source)) return;
    let client: ChatClientLike;
    if (source.client) {
      client = source.client;
      this.#owned = false;
    } else {
      try {
        client = this.#build(source);
      } catch (error) {
        // By code, not instanceof: the class may come from another copy of the SDK on the page.
        this.failure = isParleyError(error) ? error : new ParleyError('VALIDATION_FAILED', String(error));
        this.#report(this.failure, undefined);
        this.#host.requestUpdate();
        return;
      }
      this.#owned = true;
    }
    this.client = client;
    this.state = client.state;
    this.#unsubscribe.push(
      client.on('stateChanged', (state, previous) => {
        this.state = state;
        if (state === 'connected') {
          this.failure = undefined;
          this.everConnected = true;
        }
        emitChatEvent(this.#host, 'chat-state-changed', { state, previous });
        this.#callbacks.onStateChanged(state, previous);
        this.#host.requestUpdate();
      }),
      client.on('error', (error) => this.#report(error, undefined)),
    );
    void this.connect();
  }

  /** Connects (or reconnects after `disconnected`); failures land in {@link ClientController.failure}. */
  async connect(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const generation = this.#generation;
    this.failure = undefined;
    this.#host.requestUpdate();
    try {
      await client.connect();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.failure = ParleyError.from(error);
      this.state = client.state;
      this.#report(this.failure, undefined);
      this.#host.requestUpdate();
      return;
    }
    if (generation !== this.#generation) return;
    this.state = client.state;
    this.everConnected = true;
    this.#callbacks.onConnected(client);
    this.#host.requestUpdate();
  }

  /**
   * Tries again after a failed first connection or a give-up: a client built here is rebuilt
   * (a given-up SDK client has dropped its listeners), a given client is asked to connect.
   */
  retry(): void {
    if (this.#owned && this.#source) {
      this.#key = '';
      this.use(this.#source);
    } else {
      void this.connect();
    }
  }

  /** Tells the page about an error (`chat-error`). */
  report(error: ParleyError, roomId: number | undefined): void {
    this.#report(error, roomId);
  }

  #report(error: ParleyError, roomId: number | undefined): void {
    emitChatEvent(this.#host, 'chat-error', { code: error.code, message: error.message, roomId });
  }

  #build(source: ClientSource): ChatClient {
    const url = source.server || scriptOrigin() || location.origin;
    const auth = (source.token ?? '') !== '' ? { token: source.token } : { nickname: source.nickname!.trim(), persistGuest: true };
    return new ChatClient({
      url,
      ...auth,
      // A widget should come back soon after an outage, with jitter so that a page full of
      // widgets does not return in lockstep.
      reconnectPolicy: new DefaultReconnectPolicy({ baseDelayMs: 500, maxDelayMs: 8000 }),
    });
  }

  #release(): void {
    this.#generation++;
    for (const u of this.#unsubscribe.splice(0)) u();
    const client = this.client;
    const owned = this.#owned;
    this.client = undefined;
    this.#owned = false;
    this.everConnected = false;
    this.failure = undefined;
    this.state = 'disconnected';
    if (client) {
      this.#callbacks.onReleased();
      if (owned) void client.disconnect();
    }
  }
}

import type { TokenProvider } from './auth.js';
import { systemClock } from './clock.js';
import type { ReconnectPolicy } from './reconnect-policy.js';
import { resolveWebSocketFactory, trimSlash } from './transport.js';
import type { TransportKind, WebSocketConstructor, WebSocketFactory } from './transport.js';
import type { Clock, FetchLike } from './types.js';

/** Options of `ChatClient`. Exactly one of `nickname`, `token`, `tokenProvider` is required. */
export interface ChatClientOptions {
  /** Server base URL, `http(s)://host[:port]`. */
  url: string;
  /** Join as a guest with this nickname (1–32 code points): a session from `POST /api/session`, renewed before expiry with the same user id. */
  nickname?: string;
  /**
   * With `nickname`: keep the guest token in `localStorage` (one per server URL and nickname) and reuse it
   * while it is valid, so a page reload is the same user. Default false.
   */
  persistGuest?: boolean;
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
  /** Backoff between reconnect attempts. Default: `DefaultReconnectPolicy` (0.5 s doubling to 30 s, full jitter, never gives up). */
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
  /**
   * How long after `room.send()` a message refused `RATE_LIMITED` or `UNAVAILABLE` is still retried
   * (after the server's `retryAfterMs`, same clientMsgId), in ms; then it rejects with that error.
   * 0 rejects at once. Default 300 000 (5 min).
   */
  sendRetryTimeoutMs?: number;
}

/** Options of `ChatClient.join`. */
export interface JoinOptions {
  /** The room password, if the room is locked. Kept in memory to re-join after reconnects. */
  password?: string;
}

/** {@link ChatClientOptions} checked, with the defaults filled in. @internal */
export interface ClientConfig {
  readonly baseUrl: string;
  readonly clock: Clock;
  readonly requestTimeoutMs: number;
  readonly heartbeatMs: number;
  readonly maxQueuedMessages: number;
  readonly maxMessagesInMemory: number;
  readonly typingRefreshMs: number;
  readonly sendRetryTimeoutMs: number;
  readonly transport: TransportKind;
  readonly wsFactory: WebSocketFactory | undefined;
  /** `fetch`, called unbound (a browser's global `fetch` throws when called on another object). */
  readonly fetch: FetchLike;
}

/**
 * Reads and checks the options once, filling in the defaults.
 * @throws TypeError for missing/invalid options, RangeError for out-of-range numbers
 * @internal
 */
export function readClientOptions(options: ChatClientOptions): ClientConfig {
  if (!options || typeof options.url !== 'string' || !/^(https?|wss?):\/\//i.test(options.url)) {
    throw new TypeError('ChatClient: bad url');
  }
  const auths = [options.nickname, options.token, options.tokenProvider].filter((x) => x !== undefined).length;
  if (auths !== 1) throw new TypeError('ChatClient: one of nickname, token, tokenProvider');
  if (options.nickname !== undefined && (typeof options.nickname !== 'string' || options.nickname.trim() === '')) {
    throw new TypeError('ChatClient: empty nickname');
  }
  const positive = (name: keyof ChatClientOptions, dflt: number, min = 1): number => {
    const n = (options[name] as number | undefined) ?? dflt;
    if (!Number.isInteger(n) || n < min) throw new RangeError(`ChatClient: ${name} < ${min}`);
    return n;
  };
  const transport = options.transport ?? 'auto';
  if (!['auto', 'websocket', 'sockjs'].includes(transport)) throw new TypeError('ChatClient: bad transport');
  const wsFactory = resolveWebSocketFactory(options.webSocketFactory, options.WebSocket);
  if (transport === 'websocket' && !wsFactory) {
    throw new TypeError('ChatClient: pass { WebSocket }');
  }
  const fetchImpl = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
  if (!fetchImpl) throw new TypeError('ChatClient: pass { fetch }');
  return {
    baseUrl: trimSlash(options.url).replace(/^ws/i, 'http'),
    clock: options.clock ?? systemClock,
    requestTimeoutMs: positive('requestTimeoutMs', 10_000),
    heartbeatMs: positive('heartbeatMs', 10_000, 0),
    maxQueuedMessages: positive('maxQueuedMessages', 100),
    maxMessagesInMemory: positive('maxMessagesInMemory', 500),
    typingRefreshMs: positive('typingRefreshMs', 3000),
    sendRetryTimeoutMs: positive('sendRetryTimeoutMs', 300_000, 0),
    transport,
    wsFactory,
    fetch: (input, init) => fetchImpl(input, init),
  };
}

/**
 * The socket a STOMP connection runs over: a browser `WebSocket`, the `ws` package in Node,
 * or a SockJS socket. Only what the SDK uses is listed.
 */
export interface WebSocketLike {
  /** The URL it connects to. */
  readonly url: string;
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Set to `arraybuffer` by the STOMP layer. */
  binaryType?: string;
  /** Open handler slot. */
  onopen: ((event: never) => unknown) | null | undefined;
  /** Close handler slot. */
  onclose: ((event: never) => unknown) | null | undefined;
  /** Error handler slot. */
  onerror: ((event: never) => unknown) | null | undefined;
  /** Message handler slot. */
  onmessage: ((event: never) => unknown) | null | undefined;
  /** Closes the socket. */
  close(): void;
  /** Sends a text frame. */
  send(data: string): void;
}

/** A WebSocket constructor such as the browser's `WebSocket` or `ws`'s default export. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** Creates the socket for one connection attempt. */
export type WebSocketFactory = (url: string, protocols: string[]) => WebSocketLike;

/**
 * How to reach the server.
 * - `websocket`: `ws(s)://HOST/ws` only.
 * - `sockjs`: `http(s)://HOST/sockjs` only (loads `sockjs-client` on demand).
 * - `auto` (default): WebSocket; if it cannot connect before any connection succeeded, SockJS.
 */
export type TransportKind = 'websocket' | 'sockjs' | 'auto';

/** The STOMP subprotocols the server accepts over WebSocket, best first. */
export const STOMP_SUBPROTOCOLS: readonly string[] = ['v12.stomp', 'v11.stomp', 'v10.stomp'];

/**
 * Turns the base URL into the WebSocket endpoint: `http://h/x` → `ws://h/x/ws`.
 * @param baseUrl - the server's http(s) base URL
 */
export function webSocketUrl(baseUrl: string): string {
  return `${trimSlash(baseUrl).replace(/^http/i, 'ws')}/ws`;
}

/**
 * The SockJS endpoint: `http://h/x` → `http://h/x/sockjs`.
 * @param baseUrl - the server's http(s) base URL
 */
export function sockJsUrl(baseUrl: string): string {
  return `${trimSlash(baseUrl).replace(/^ws/i, 'http')}/sockjs`;
}

/** @internal */
export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * Picks the WebSocket factory: the explicit factory, else the given constructor, else the global
 * `WebSocket`; `undefined` when none exists (Node 20 without `ws`).
 * @internal
 */
export function resolveWebSocketFactory(
  factory: WebSocketFactory | undefined,
  ctor: WebSocketConstructor | undefined,
): WebSocketFactory | undefined {
  if (factory) return factory;
  const C = ctor ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  return C ? (url, protocols) => new C(url, protocols) : undefined;
}

type SockJsConstructor = new (url: string) => WebSocketLike;

/**
 * Loads `sockjs-client` (a separate chunk, fetched only when SockJS is used) and returns a factory.
 * @internal
 */
export async function loadSockJsFactory(): Promise<(url: string) => WebSocketLike> {
  const mod = (await import('sockjs-client')) as unknown as { default?: SockJsConstructor } & SockJsConstructor;
  const SockJS: SockJsConstructor = mod.default ?? mod;
  return (url) => new SockJS(url);
}

import { ParleyError } from './errors.js';
import type { ClientConfig } from './client-options.js';
import { StompConnection } from './stomp-connection.js';
import { STOMP_SUBPROTOCOLS, loadSockJsFactory, sockJsUrl, webSocketUrl } from './transport.js';
import type { WebSocketLike } from './transport.js';
import { isRetryable } from './protocol/errors.js';

/**
 * Opens one STOMP connection with a token. `current()` says whether the caller still wants it
 * (no `disconnect()` meanwhile). @internal
 */
export type Connector = (token: string, current: () => boolean) => Promise<StompConnection>;

/**
 * Creates the client's connector: it picks the transport (`auto`: WebSocket, and SockJS when
 * WebSocket cannot connect before a first success), loads `sockjs-client` on demand, and opens
 * the STOMP session.
 * @param config - the client's options
 * @param onLost - an established connection ended
 * @param onUnroutedRefusal - a refusal no pending operation received
 * @internal
 */
export function connector(
  config: ClientConfig,
  onLost: (conn: StompConnection | undefined, error: ParleyError) => void,
  onUnroutedRefusal: (error: ParleyError) => void,
): Connector {
  const { transport, wsFactory, baseUrl } = config;
  let chosen: 'websocket' | 'sockjs' | undefined;
  let sockJs: Promise<(url: string) => WebSocketLike> | undefined;

  const socketFactory = async (kind: 'websocket' | 'sockjs'): Promise<() => WebSocketLike> => {
    if (kind === 'websocket') {
      const url = webSocketUrl(baseUrl);
      return () => wsFactory!(url, [...STOMP_SUBPROTOCOLS]);
    }
    sockJs ??= loadSockJsFactory().catch((error: unknown) => {
      sockJs = undefined;
      throw ParleyError.network(error);
    });
    const make = await sockJs;
    const url = sockJsUrl(baseUrl);
    return () => make(url);
  };

  return async (token, current) => {
    let kinds: Array<'websocket' | 'sockjs'>;
    if (transport !== 'auto') kinds = [transport];
    else if (chosen) kinds = [chosen];
    else kinds = wsFactory ? ['websocket', 'sockjs'] : ['sockjs'];
    let lastError: ParleyError = ParleyError.network();
    for (const kind of kinds) {
      if (!current()) throw ParleyError.disconnected('disconnect() was called');
      let conn: StompConnection | undefined;
      try {
        conn = await StompConnection.open({
          socketFactory: await socketFactory(kind),
          token,
          clock: config.clock,
          requestTimeoutMs: config.requestTimeoutMs,
          heartbeatMs: config.heartbeatMs,
          onLost: (error) => onLost(conn, error),
          onUnroutedRefusal,
        });
      } catch (error) {
        lastError = ParleyError.from(error);
        // Only a transport failure falls back to SockJS: the protocol's retryable codes, except
        // those the server itself answers (RATE_LIMITED, UNAVAILABLE), which would recur there.
        const code = lastError.code;
        if (!isRetryable(code) || code === 'RATE_LIMITED' || code === 'UNAVAILABLE') throw lastError;
        continue;
      }
      if (transport === 'auto') chosen = kind;
      return conn;
    }
    throw lastError;
  };
}

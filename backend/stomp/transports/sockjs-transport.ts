import type { Server } from 'node:http';
import sockjs from 'sockjs';
import type { Broker } from '../broker.js';
import type { TransportConnection } from '../transport.js';
import type { OriginSet } from '../../http/origins.js';
import { clientAddress, type TrustFunction } from '../../http/client-address.js';
import { guardSockJs } from './sockjs-guard.js';

interface Writable {
  writableLength?: number;
}

/**
 * The parts of sockjs's connection internals Parley reads (sockjs 0.3 `lib/transport.js`,
 * `lib/trans-websocket.js`): a `Session` keeps frames no receiver has taken in `send_buffer` and
 * writes through its receiver's socket (`recv.thingy`); the raw WebSocket endpoint writes to
 * `recv.connection`.
 */
interface SockJsInternals {
  _session?: {
    session_id?: string;
    send_buffer?: string[];
    recv?: { thingy?: Writable | null; connection?: Writable | null } | null;
  };
}

/** Characters sockjs holds for a connection plus bytes its socket has not flushed: what SLOW_CONSUMER_BYTES bounds. */
function sockJsBufferedBytes(conn: SockJsInternals): number {
  const session = conn._session;
  if (session === undefined) return 0;
  let pending = 0;
  for (const frame of session.send_buffer ?? []) pending += frame.length;
  const socket = session.recv?.thingy ?? session.recv?.connection;
  return pending + (socket?.writableLength ?? 0);
}

/** STOMP over SockJS (text only) at `prefix`; the fallback for networks that block WebSocket. */
export function attachSockJsTransport(
  server: Server,
  broker: Broker,
  options: { prefix: string; maxMessageBytes: number; allowedOrigins?: OriginSet; corsOrigins?: OriginSet; trustProxy?: TrustFunction },
): { close(): void; destroyAll(): void } {
  const connections = new Set<sockjs.Connection>();
  const openSessions = new Set<string>();
  // sockjs passes faye_server_options to faye-websocket; @types/sockjs does not list it.
  const serverOptions: sockjs.ServerOptions & { faye_server_options: { maxLength: number } } = {
    prefix: options.prefix,
    log: () => undefined,
    // The client library is loaded by the SDK itself; no iframe fallback needs a CDN URL.
    sockjs_url: 'data:,',
    disconnect_delay: 5000,
    // faye-websocket's own default is 64 MiB per message.
    faye_server_options: { maxLength: options.maxMessageBytes },
  };
  const service = sockjs.createServer(serverOptions);
  service.on('connection', (conn) => {
    if (conn === null) return;
    connections.add(conn);
    const sessionId = (conn as unknown as SockJsInternals)._session?.session_id;
    if (sessionId !== undefined) openSessions.add(sessionId);
    const transport: TransportConnection = {
      kind: 'sockjs',
      // sockjs keeps X-Forwarded-For among the headers it copies from the opening request.
      remoteAddress: clientAddress(conn.remoteAddress, conn.headers, options.trustProxy ?? (() => false)),
      textOnly: true,
      send: (data) => {
        conn.write(typeof data === 'string' ? data : data.toString('utf8'));
      },
      bufferedBytes: () => sockJsBufferedBytes(conn as unknown as SockJsInternals),
      close: () => conn.close(),
      destroy: () => conn.destroy(),
    };
    const session = broker.createSession(transport);
    conn.on('data', (message: string) => session.receive(message));
    conn.on('close', () => {
      connections.delete(conn);
      if (sessionId !== undefined) openSessions.delete(sessionId);
      session.transportClosed();
    });
  });
  service.installHandlers(server);
  guardSockJs(server, {
    prefix: options.prefix,
    maxBodyBytes: options.maxMessageBytes,
    isOpenSession: (id) => openSessions.has(id),
    allowedOrigins: options.allowedOrigins ?? null,
    corsOrigins: options.corsOrigins ?? null,
  });
  return {
    close: () => {
      for (const c of connections) c.close();
    },
    destroyAll: () => {
      for (const c of connections) c.destroy();
    },
  };
}

import type { Server } from 'node:http';
import sockjs from 'sockjs';
import type { Broker } from '../broker.js';
import type { TransportConnection } from '../transport.js';

/** STOMP over SockJS (text only) at `prefix`; the fallback for networks that block WebSocket. */
export function attachSockJsTransport(server: Server, broker: Broker, options: { prefix: string }): { close(): void; destroyAll(): void } {
  const connections = new Set<sockjs.Connection>();
  const service = sockjs.createServer({
    prefix: options.prefix,
    log: () => undefined,
    // The client library is loaded by the SDK itself; no iframe fallback needs a CDN URL.
    sockjs_url: 'data:,',
    disconnect_delay: 5000,
  });
  service.on('connection', (conn) => {
    if (conn === null) return;
    connections.add(conn);
    const transport: TransportConnection = {
      kind: 'sockjs',
      remoteAddress: conn.remoteAddress,
      textOnly: true,
      send: (data) => {
        conn.write(typeof data === 'string' ? data : data.toString('utf8'));
      },
      bufferedBytes: () => 0,
      close: () => conn.close(),
      destroy: () => conn.destroy(),
    };
    const session = broker.createSession(transport);
    conn.on('data', (message: string) => session.receive(message));
    conn.on('close', () => {
      connections.delete(conn);
      session.transportClosed();
    });
  });
  service.installHandlers(server);
  return {
    close: () => {
      for (const c of connections) c.close();
    },
    destroyAll: () => {
      for (const c of connections) c.destroy();
    },
  };
}

import { createServer, type Server, type Socket } from 'node:net';
import type { Broker } from '../broker.js';
import type { TransportConnection } from '../transport.js';
import { normalizeAddress } from '../../http/client-address.js';
import { corkForTurn } from './turn-cork.js';

/** Plain STOMP over TCP for server-side publishers and standard STOMP tools. */
export function createTcpTransport(broker: Broker): { server: Server; sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const transport: TransportConnection = {
      kind: 'tcp',
      remoteAddress: normalizeAddress(socket.remoteAddress ?? ''),
      textOnly: false,
      send: (data) => {
        if (socket.destroyed) return;
        corkForTurn(socket);
        socket.write(data);
      },
      bufferedBytes: () => socket.writableLength,
      close: () => socket.end(),
      destroy: () => socket.destroy(),
    };
    const session = broker.createSession(transport);
    socket.on('data', (chunk) => session.receive(chunk));
    socket.on('close', () => {
      sockets.delete(socket);
      session.transportClosed();
    });
    socket.on('error', () => socket.destroy());
  });
  return { server, sockets };
}

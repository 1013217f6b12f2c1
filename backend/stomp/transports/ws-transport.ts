import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, Server } from 'node:http';
import { clientAddress, type TrustFunction } from '../../http/client-address.js';
import type { Duplex } from 'node:stream';
import { corkForTurn } from './turn-cork.js';
import { WebSocketServer, type WebSocket } from 'ws';
import { originAllowed, refuseUpgrade, type OriginSet } from '../../http/origins.js';
import type { Broker } from '../broker.js';
import type { TransportConnection } from '../transport.js';

const SUBPROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];

/** STOMP over WebSocket at `path`, sharing the HTTP server's port. */
export function attachWebSocketTransport(server: Server, broker: Broker, options: { path: string; maxPayloadBytes: number; allowedOrigins?: OriginSet; trustProxy?: TrustFunction }): { close(): void; sockets(): Set<WebSocket> } {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes,
    perMessageDeflate: false,
    handleProtocols: (offered) => SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== options.path) return; // SockJS installs its own upgrade listener for its prefix
    if (!originAllowed(options.allowedOrigins ?? null, req.headers.origin)) {
      refuseUpgrade(socket);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws, req, socket));
  };
  server.on('upgrade', onUpgrade);

  function connect(ws: WebSocket, req: IncomingMessage, socket: Duplex): void {
    const transport: TransportConnection = {
      kind: 'ws',
      remoteAddress: clientAddress(req.socket.remoteAddress, req.headers, options.trustProxy ?? (() => false)),
      textOnly: false,
      // Text frames, which browsers' STOMP clients read as strings; a body that is not UTF-8
      // (from a TCP publisher) must travel as binary or the browser closes with 1007.
      send: (data, utf8) => {
        if (ws.readyState !== ws.OPEN) return;
        // `socket` is the one ws writes to: its frames of this turn leave in one writev.
        corkForTurn(socket);
        ws.send(data, { binary: typeof data !== 'string' && !(utf8 ?? isUtf8(data)) });
      },
      bufferedBytes: () => ws.bufferedAmount,
      close: () => ws.close(1000),
      destroy: () => ws.terminate(),
    };
    const session = broker.createSession(transport);
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      session.receive(Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data));
    });
    ws.on('close', () => session.transportClosed());
    ws.on('error', () => session.transportClosed());
  }

  return {
    close: () => {
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
    sockets: () => wss.clients,
  };
}

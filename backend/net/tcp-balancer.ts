import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A round-robin TCP load balancer: each client connection goes to the next target; a target
 * that refuses (a killed instance) is skipped for that connection. No stickiness: a WebSocket
 * or TCP STOMP connection lives on one instance for its lifetime, which is all Parley needs
 * (SockJS's HTTP fallbacks do need stickiness, see docs/scaling.md). Used by `npm run cluster`
 * and by the tests, which also cut it to simulate a network loss.
 */
export interface TcpBalancer {
  /** http://HOST:PORT */
  readonly url: string;
  readonly port: number;
  /** Destroys every connection and refuses new ones until {@link TcpBalancer.restore}. */
  cut(): void;
  /** Accepts connections again. */
  restore(): void;
  /** Refuse `GET /ws` upgrades (403) while true, to make clients fall back to SockJS. */
  refuseWebSocket: boolean;
  close(): Promise<void>;
}

export interface TcpBalancerOptions {
  /** Ports on `targetHost`, read for every new connection so targets can change. */
  targets: () => readonly number[];
  targetHost?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export async function startTcpBalancer(options: TcpBalancerOptions): Promise<TcpBalancer> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  let up = true;
  let next = 0;

  /** `first`: bytes already read from the client (only when they had to be inspected). */
  const connectUpstream = (client: Socket, first: Buffer | undefined, attempt: number): void => {
    const targets = options.targets();
    if (targets.length === 0 || attempt >= targets.length) {
      client.destroy();
      return;
    }
    const port = targets[next++ % targets.length]!;
    const upstream = createConnection({ host: targetHost, port });
    let connected = false;
    sockets.add(upstream);
    upstream.once('connect', () => {
      connected = true;
      if (first !== undefined) upstream.write(first);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.on('error', () => {
      // Refused before connecting: try the next target for this client.
      if (!connected && !client.destroyed) connectUpstream(client, first, attempt + 1);
      else client.destroy();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      if (connected) client.destroy();
    });
    client.on('close', () => upstream.destroy());
  };

  const server = createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    client.pause();
    // Server-first protocols (MySQL) need the upstream at once; only the WebSocket filter waits for bytes.
    if (!balancer.refuseWebSocket) {
      connectUpstream(client, undefined, 0);
      return;
    }
    client.resume();
    client.once('data', (first: Buffer) => {
      if (balancer.refuseWebSocket && /^GET \/ws[ ?]/.test(first.toString('latin1', 0, 16))) {
        client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      client.pause();
      connectUpstream(client, first, 0);
    });
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const balancer: TcpBalancer = {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    refuseWebSocket: false,
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      up = true;
    },
    close: async () => {
      balancer.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return balancer;
}

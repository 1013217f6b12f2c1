import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ParleyError } from '../../errors.js';

export interface SockJsGuardOptions {
  prefix: string;
  /** Largest body an `xhr_send` / `jsonp_send` may have, octets. */
  maxBodyBytes: number;
  /** Whether a SockJS session id belongs to an open connection. */
  isOpenSession: (sessionId: string) => boolean;
}

/** `<prefix>/<server>/<session>/xhr_send` and `jsonp_send`: the only SockJS requests with a client body. */
function sendPath(prefix: string): RegExp {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped}/[^/.]+/([^/.]+)/(?:xhr_send|jsonp_send)$`);
}

/**
 * Puts checks in front of the SockJS handler that `installHandlers` placed on the server: the
 * sockjs library reads a send body whole, concatenating Buffers (quadratic), from anyone. Here a
 * send to an unknown session is 404 before its body is read, a declared length over the limit is
 * 413 at once, and a streamed body is counted and cut off at the limit.
 */
export function guardSockJs(server: Server, options: SockJsGuardOptions): void {
  const sends = sendPath(options.prefix);
  const inner = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST' && guardSend(req, res, sends, options)) return;
    for (const listener of inner) listener.call(server, req, res);
  });
}

/** True when the request was answered here. */
function guardSend(req: IncomingMessage, res: ServerResponse, sends: RegExp, options: SockJsGuardOptions): boolean {
  const match = sends.exec((req.url ?? '').split('?')[0] ?? '');
  if (match === null) return false;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > options.maxBodyBytes) {
    refuse(req, res, 413, tooLarge(options.maxBodyBytes));
    return true;
  }
  if (!options.isOpenSession(match[1]!)) {
    refuse(req, res, 404, new ParleyError('NOT_FOUND', 'No such SockJS session'));
    return true;
  }
  let seen = 0;
  const count = (chunk: Buffer): void => {
    seen += chunk.length;
    if (seen > options.maxBodyBytes) {
      req.off('data', count);
      refuse(req, res, 413, tooLarge(options.maxBodyBytes));
    }
  };
  req.on('data', count);
  return false;
}

function tooLarge(limit: number): ParleyError {
  return new ParleyError('PAYLOAD_TOO_LARGE', `A SockJS send may carry at most ${limit} bytes`);
}

/** Answers and closes the connection: the rest of the body is never read. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, error: ParleyError): void {
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close', 'X-Content-Type-Options': 'nosniff' });
  res.end(JSON.stringify({ error: error.toJSON() }), () => req.socket.destroy());
}

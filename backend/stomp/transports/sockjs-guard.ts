import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ParleyError } from '../../errors.js';
import { originAllowed, refuseUpgrade, type OriginSet } from '../../http/origins.js';

export interface SockJsGuardOptions {
  prefix: string;
  /** Largest body an `xhr_send` / `jsonp_send` may have, octets. */
  maxBodyBytes: number;
  /** Whether a SockJS session id belongs to an open connection. */
  isOpenSession: (sessionId: string) => boolean;
  /** Origins that may use SockJS at all (ALLOWED_ORIGINS). */
  allowedOrigins: OriginSet;
  /** Origins SockJS's CORS headers admit (CORS_ORIGINS); others get none. */
  corsOrigins: OriginSet;
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
  const ours = (req: IncomingMessage): boolean => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    return path === options.prefix || path.startsWith(`${options.prefix}/`);
  };
  wrapListeners(server, 'request', (req: IncomingMessage, res: ServerResponse) => {
    if (!ours(req)) return false;
    const origin = req.headers.origin;
    if (!originAllowed(options.allowedOrigins, origin)) {
      refuse(req, res, 403, new ParleyError('ORIGIN_FORBIDDEN'));
      return true;
    }
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // sockjs reflects any Origin, with credentials; only the ones CORS_ORIGINS admits keep its headers.
    if (!originAllowed(options.corsOrigins, origin)) withoutCorsHeaders(res);
    return req.method === 'POST' && guardSend(req, res, sends, options);
  });
  wrapListeners(server, 'upgrade', (req: IncomingMessage, socket: Duplex) => {
    if (!ours(req) || originAllowed(options.allowedOrigins, req.headers.origin)) return false;
    refuseUpgrade(socket);
    return true;
  });
}

/** Runs `guard` before the listeners already on `event`; they run only when it returns false. */
function wrapListeners<A extends unknown[]>(server: Server, event: 'request' | 'upgrade', guard: (...args: A) => boolean): void {
  const inner = server.listeners(event) as ((...args: A) => void)[];
  server.removeAllListeners(event);
  server.on(event, (...args: unknown[]) => {
    if (guard(...(args as A))) return;
    for (const listener of inner) listener.apply(server, args as A);
  });
}

function withoutCorsHeaders(res: ServerResponse): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name, value) => (name.toLowerCase().startsWith('access-control-') ? res : setHeader(name, value));
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

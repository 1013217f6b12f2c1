import type { Duplex } from 'node:stream';

/** Which `Origin`s a setting admits: `null` is any. */
export type OriginSet = ReadonlySet<string> | null;

/** `*` or an empty list → any origin; otherwise the listed ones (comma list or array). */
export function parseOrigins(raw: string | readonly string[]): OriginSet {
  const list = (typeof raw === 'string' ? raw.split(',') : raw).map((s) => s.trim()).filter((s) => s.length > 0);
  return list.length === 0 || list.includes('*') ? null : new Set(list);
}

/**
 * Whether a request from `origin` is admitted. A request without `Origin` comes from a program,
 * not a page another site runs in a browser, and is admitted: the check protects users' browsers.
 */
export function originAllowed(allowed: OriginSet, origin: string | undefined): boolean {
  return origin === undefined || allowed === null || allowed.has(origin);
}

/** Refuses a WebSocket upgrade before the handshake: `403`, then close. */
export function refuseUpgrade(socket: Duplex): void {
  socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 18\r\n\r\nOrigin not allowed');
}

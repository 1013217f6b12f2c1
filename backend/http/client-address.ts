import type { IncomingHttpHeaders } from 'node:http';

/**
 * Which hops in front of the server are proxies we trust to say who the client is (`TRUST_PROXY`):
 * `false` none (the socket's peer is the client); a number, that many hops; a list, the proxies
 * with these exact addresses. The same rule as Express's `trust proxy` with a number or a list.
 */
export type TrustProxy = false | number | readonly string[];

/** `(address, hop)`: whether the hop at `address`, `hop` steps from the socket, is a trusted proxy. */
export type TrustFunction = (address: string, hop: number) => boolean;

/** Parses `TRUST_PROXY`: empty/false/0 none, a number of hops, or a comma list of proxy addresses. */
export function parseTrustProxy(raw: string): TrustProxy {
  const v = raw.trim();
  if (v === '' || ['false', 'no', 'off', '0'].includes(v.toLowerCase())) return false;
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n > 32) throw new Error(`expected at most 32 hops, got ${n}`);
    return n;
  }
  const list = v.split(',').map((s) => normalizeAddress(s.trim())).filter((s) => s.length > 0);
  for (const a of list) if (!/^[0-9a-fA-F.:]+$/.test(a)) throw new Error(`expected a number of hops or a comma list of IP addresses, got "${a}"`);
  return list;
}

export function trustFunction(trust: TrustProxy): TrustFunction {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_a, hop) => hop < trust;
  const set = new Set(trust);
  return (address) => set.has(normalizeAddress(address));
}

/**
 * The client's address for a request (REST, WebSocket upgrade, SockJS): the socket's peer, then
 * `X-Forwarded-For` right to left for as long as the hop before is trusted. Express's `req.ip`
 * walks the same way with the same function (`app.set('trust proxy', fn)`).
 */
export function clientAddress(remoteAddress: string | undefined, headers: IncomingHttpHeaders | Record<string, string | undefined>, trust: TrustFunction): string {
  const forwarded = headers['x-forwarded-for'];
  const chain = [remoteAddress ?? '', ...(Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((s) => s.trim()).filter((s) => s !== '').reverse()];
  let i = 0;
  while (i + 1 < chain.length && trust(chain[i]!, i)) i++;
  return normalizeAddress(chain[i]!);
}

/** One spelling per IPv4 client: `::ffff:1.2.3.4` (a dual-stack socket) is `1.2.3.4`. */
export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/** Fetches the JWKS document; injectable so tests and odd networks can supply their own. */
export type JwksFetch = (url: string, signal: AbortSignal) => Promise<unknown>;

export interface JwksCacheOptions {
  url: string;
  now: () => number;
  fetch?: JwksFetch;
  /** A fetch that takes longer fails (the token is refused, the next one tries again). Default 5 000. */
  timeoutMs?: number;
  /**
   * Least time between two fetches caused by an unknown `kid`: a stream of tokens with made-up
   * kids must not turn into a stream of requests to the key server. Default 10 000.
   */
  cooldownMs?: number;
  /** A key set older than this is fetched again before use even if every kid is known. Default 600 000. */
  maxAgeMs?: number;
}

const defaultFetch: JwksFetch = async (url, signal) => {
  const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`JWKS ${url} answered ${res.status}`);
  return res.json();
};

/**
 * The host's signing keys from AUTH_JWKS_URL. Kept in memory and fetched again when a token names
 * a `kid` the cached set lacks, so the host can rotate keys without a Parley restart. Time comes
 * from `now` (the injected clock), not the wall clock.
 */
export class JwksCache {
  private keys: { getKey: JWTVerifyGetKey; kids: Set<string>; at: number } | undefined;
  private lastFetchAt = -Infinity;
  private inflight: Promise<void> | undefined;

  constructor(private readonly options: JwksCacheOptions) {}

  /** jose's key resolver: `jwtVerify(token, cache.getKey)`. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const now = this.options.now();
    const stale = this.keys === undefined || now - this.keys.at >= (this.options.maxAgeMs ?? 600_000);
    const unknownKid = header.kid !== undefined && this.keys !== undefined && !this.keys.kids.has(header.kid);
    // Also bounds the fetches while the key server is down: at most one per cool-down.
    if ((stale || unknownKid) && now - this.lastFetchAt >= (this.options.cooldownMs ?? 10_000)) await this.refresh();
    if (this.keys === undefined) throw new Error('No JWKS');
    return this.keys.getKey(header, token);
  };

  private refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async load(): Promise<void> {
    this.lastFetchAt = this.options.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs ?? 5000);
    try {
      const body = await (this.options.fetch ?? defaultFetch)(this.options.url, controller.signal);
      if (typeof body !== 'object' || body === null || !Array.isArray((body as { keys?: unknown }).keys)) throw new Error('The JWKS has no "keys" array');
      const set = body as JSONWebKeySet;
      this.keys = {
        getKey: createLocalJWKSet(set),
        kids: new Set(set.keys.map((k) => k.kid).filter((k): k is string => typeof k === 'string')),
        at: this.options.now(),
      };
    } finally {
      clearTimeout(timer);
    }
  }
}

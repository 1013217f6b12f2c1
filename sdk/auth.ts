import { ParleyError } from './errors.js';
import { httpJson } from './http.js';
import type { HttpOptions } from './http.js';
import type { Session, User } from './types.js';

/** The signed-in user: {@link User} plus `admin`, true when the token's `roles` claim holds `"admin"`. */
export type CurrentUser = User & { readonly admin?: boolean };

/** Returns a bearer token; called before the current one expires and after an auth refusal. */
export type TokenProvider = () => string | Promise<string>;

/** @internal */
export interface AuthOptions {
  nickname?: string | undefined;
  token?: string | undefined;
  tokenProvider?: TokenProvider | undefined;
  /** Keep the guest token in `localStorage` (per server and nickname) and reuse it while valid. */
  persistGuest?: boolean | undefined;
  http: HttpOptions;
  /** A renewed token, for the open connection (`/app/session/refresh`). */
  renewed?: (token: string) => void;
}

type Claims = { sub?: string; nick?: string; name?: string; roles?: string[]; exp?: number };

interface TokenState {
  token: string;
  /** Expiry in ms since epoch, when known. */
  expiresAt: number | undefined;
  /** When the token was obtained (ms since epoch). */
  issuedAt: number;
  /** The server refused it. */
  rejected?: boolean;
}

/**
 * Decodes a JWT payload without verifying it (the server verifies); `undefined` when not a JWT.
 * @internal
 */
export function decodeJwt(token: string): Claims | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const json: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
    return json !== null && typeof json === 'object' ? (json as Claims) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a code means "this token was refused" (a STOMP CONNECT or a REST call): renewing the
 * token may help, retrying the same one will not.
 * @internal
 */
export function isAuthRefusal(code: string): boolean {
  return code === 'AUTH_FAILED' || code === 'TOKEN_EXPIRED' || code === 'UNAUTHORIZED';
}

/**
 * Obtains and renews the bearer token: a guest session for a nickname (renewed with
 * `/api/session/refresh` so the user id stays the same), a static token, or a provider.
 * @internal
 */
export class Auth {
  #current: TokenState | undefined;
  #inflight: Promise<string> | undefined;
  #refreshTimer: unknown;
  #stopped = true;
  /** The identity, once known. */
  user: CurrentUser | undefined;

  readonly #options: AuthOptions;

  constructor(options: AuthOptions) {
    this.#options = options;
  }

  /** Whether the token cannot be renewed (a static token). */
  get isStatic(): boolean {
    return this.#options.token !== undefined && !this.#options.tokenProvider && this.#options.nickname === undefined;
  }

  /** Starts renewing ahead of expiry. */
  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  /** Stops the renewal timer. */
  stop(): void {
    this.#stopped = true;
    this.#options.http.clock.clearTimeout(this.#refreshTimer);
    this.#refreshTimer = undefined;
  }

  /** A token that is valid for a while yet; renews it first when needed. */
  token(): Promise<string> {
    const c = this.#current;
    if (c && !c.rejected && !this.#expiringSoon(c)) return Promise.resolve(c.token);
    return this.renew(false);
  }

  /**
   * Runs `use` with a token; when the server refuses it ({@link isAuthRefusal}) and the token can
   * be renewed, renews it once and runs `use` again.
   * @param use - the request (a connection, a REST call)
   */
  async withToken<T>(use: (token: string) => Promise<T>): Promise<T> {
    try {
      return await use(await this.token());
    } catch (error) {
      const err = ParleyError.from(error);
      if (!isAuthRefusal(err.code) || this.isStatic) throw err;
      this.invalidate();
      return use(await this.token());
    }
  }

  /** The server refused the token: the next {@link Auth.token} gets a new one. */
  invalidate(): void {
    if (this.#current) this.#current = { ...this.#current, rejected: true };
  }

  /** Renews now (shared by concurrent callers). */
  renew(forceNewSession: boolean): Promise<string> {
    this.#inflight ??= this.#obtain(forceNewSession).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  #expiringSoon(c: TokenState): boolean {
    if (c.expiresAt === undefined) return false;
    return this.#options.http.clock.now() >= this.#refreshAt(c);
  }

  #refreshAt(c: TokenState): number {
    if (c.expiresAt === undefined) return Infinity;
    const ttl = Math.max(c.expiresAt - c.issuedAt, 0);
    return c.expiresAt - Math.min(60_000, ttl * 0.2);
  }

  async #obtain(forceNewSession: boolean): Promise<string> {
    const { nickname, token, tokenProvider, http } = this.#options;
    const now = http.clock.now();
    if (tokenProvider) {
      let t: string;
      try {
        t = await tokenProvider();
      } catch (error) {
        throw ParleyError.authFailed('tokenProvider failed', error);
      }
      if (typeof t !== 'string' || t.length === 0) throw ParleyError.authFailed('tokenProvider: no token');
      return this.#accept(t, undefined, now);
    }
    if (nickname !== undefined) {
      let session: Session | undefined;
      // One guest per server and nickname: a reload is the same user (no leave/enter), two widgets on a page stay two.
      const key = `parley.guest:${http.baseUrl}:${nickname}`;
      const old = this.#current?.token ?? (this.#options.persistGuest && store(key));
      if (old && !forceNewSession) {
        try {
          session = await httpJson<Session>(http, { method: 'POST', path: '/api/session/refresh', token: old });
        } catch (error) {
          const e = ParleyError.from(error);
          // Only an auth refusal means the identity is lost; anything else is retried later.
          if (!isAuthRefusal(e.code)) throw e;
        }
      }
      session ??= await httpJson<Session>(http, { method: 'POST', path: '/api/session', body: { nickname } });
      this.user = session.user;
      if (this.#options.persistGuest) store(key, session.token);
      return this.#accept(session.token, Date.parse(session.expiresAt), now);
    }
    if (token !== undefined) {
      const c = this.#current;
      if (c?.rejected) throw ParleyError.authFailed('Token refused');
      return this.#accept(token, undefined, now);
    }
    throw ParleyError.authFailed('No credentials');
  }

  #accept(token: string, expiresAt: number | undefined, now: number): string {
    const claims = decodeJwt(token);
    const exp = expiresAt ?? (typeof claims?.exp === 'number' ? claims.exp * 1000 : undefined);
    const renewed = this.#current && this.#current.token !== token;
    this.#current = { token, expiresAt: Number.isFinite(exp) ? exp : undefined, issuedAt: now };
    // A host token's `sub` is the site's; the server's id for it is `h_<sub>`.
    const c = claims ?? {};
    if (c.sub) {
      this.user = { id: c.nick ? c.sub : 'h_' + c.sub, nickname: c.nick ?? c.name ?? this.user?.nickname ?? '', admin: !!c.roles?.includes?.('admin') };
    }
    this.#schedule();
    if (renewed) this.#options.renewed?.(token);
    return token;
  }

  #schedule(): void {
    const { clock } = this.#options.http;
    clock.clearTimeout(this.#refreshTimer);
    this.#refreshTimer = undefined;
    const c = this.#current;
    if (this.#stopped || !c || c.expiresAt === undefined || this.isStatic) return;
    const delay = Math.max(this.#refreshAt(c) - clock.now(), 1000);
    this.#refreshTimer = clock.setTimeout(() => {
      this.#refreshTimer = undefined;
      // A failure here is retried by the next token() call (connect, reconnect, REST).
      this.renew(false).catch(() => undefined);
    }, Math.min(delay, 2 ** 31 - 1));
  }
}

/** localStorage get (one argument) or set; nothing where storage is missing or refused (private mode, sandbox). */
function store(key: string, value?: string): string | null | void {
  try {
    return value ? localStorage.setItem(key, value) : localStorage.getItem(key);
  } catch {
    // no storage: the guest is new on each load
  }
}

import { randomBytes } from 'node:crypto';
import { decodeJwt, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { ParleyError } from '../errors.js';
import type { AuthUser } from './auth-user.js';
import { DEMO_ISSUER, GUEST_ISSUER } from './guest-issuer.js';
import { hostUserFromClaims } from './host-claims.js';
import type { HostTokenVerifier } from './host-token-verifier.js';
import { validateNickname } from './nickname.js';

export { validateNickname };

export interface IssuedSession {
  token: string;
  user: AuthUser;
  expiresAt: string;
}

/** A verified token: who, and until when (ms since epoch). */
export interface VerifiedToken {
  user: AuthUser;
  expiresAtMs: number;
  /** A guest token Parley signed (renewable by `/api/session/refresh`), not a host one. */
  guest: boolean;
}

export interface TokenServiceOptions {
  /** Verifies the embedding site's tokens; absent: no host users. */
  host?: HostTokenVerifier | undefined;
  /** Key of the demo host app (DEMO=true); absent: demo tokens are refused. */
  demoSecret?: string | undefined;
  /** GUEST_ACCESS=false: guest tokens already handed out stop working too. Default true. */
  guests?: boolean;
}

/** A guest id: `u_` and 12 base64url characters, never `h_…` (docs/auth.md). */
const GUEST_ID = /^u_[A-Za-z0-9_-]{1,62}$/;

/**
 * Every bearer token goes through here. Guest sessions are HS256 tokens Parley signs with its own
 * secret and `iss: "parley-guest"`; host tokens come from the embedding site. Which key checks a
 * token follows from its (unverified) `iss`, and each key only ever accepts its own kind, so a
 * guest token can never pass as a host user nor the reverse.
 */
export class TokenService {
  private readonly key: Uint8Array;
  private readonly demoKey: Uint8Array | undefined;

  constructor(
    secret: string,
    private readonly ttlS: number,
    private readonly now: () => number = Date.now,
    private readonly options: TokenServiceOptions = {},
  ) {
    this.key = new TextEncoder().encode(secret);
    this.demoKey = options.demoSecret === undefined ? undefined : new TextEncoder().encode(options.demoSecret);
  }

  async issueGuest(nicknameInput: unknown): Promise<IssuedSession> {
    const nickname = validateNickname(nicknameInput);
    return this.issue({ id: `u_${randomBytes(9).toString('base64url')}`, nickname });
  }

  /** A fresh guest token for a guest user (`/api/session/refresh`). */
  async issue(user: AuthUser): Promise<IssuedSession> {
    if (!GUEST_ID.test(user.id)) throw new ParleyError('UNAUTHORIZED', 'Only guest sessions are renewed here; host users get a new token from their site');
    const nowS = Math.floor(this.now() / 1000);
    const exp = nowS + this.ttlS;
    const token = await new SignJWT({ nick: user.nickname })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(GUEST_ISSUER)
      .setSubject(user.id)
      .setIssuedAt(nowS)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, user: { id: user.id, nickname: user.nickname }, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async verify(token: string): Promise<AuthUser> {
    return (await this.verifyToken(token)).user;
  }

  /** UNAUTHORIZED (bad in any way) or TOKEN_EXPIRED (good but expired). */
  async verifyToken(token: string): Promise<VerifiedToken> {
    let claims: JWTPayload;
    try {
      claims = decodeJwt(token);
    } catch (e: unknown) {
      throw new ParleyError('UNAUTHORIZED', 'The token is not valid', { cause: e });
    }
    const iss = claims.iss;
    // Guest tokens signed before guests carried `iss` (no iss, a `nick`) stay guests until they expire.
    const legacyGuest = iss === undefined && typeof claims['nick'] === 'string';
    try {
      if (iss === GUEST_ISSUER || legacyGuest) {
        if (this.options.guests === false) throw new ParleyError('UNAUTHORIZED', 'Guest access is off');
        return await this.verifyGuest(token, legacyGuest);
      }
      if (iss === DEMO_ISSUER && this.demoKey !== undefined) return await this.verifyDemo(token, this.demoKey);
      if (this.options.host === undefined) throw new ParleyError('UNAUTHORIZED', 'The token is not valid');
      const payload = await this.options.host.verify(token);
      return { user: hostUserFromClaims(payload), expiresAtMs: expiryOf(payload), guest: false };
    } catch (e: unknown) {
      if (e instanceof ParleyError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new ParleyError('TOKEN_EXPIRED', undefined, { cause: e });
      throw new ParleyError('UNAUTHORIZED', 'The token is not valid', { cause: e });
    }
  }

  private async verifyGuest(token: string, legacy: boolean): Promise<VerifiedToken> {
    const { payload } = await jwtVerify(token, this.key, {
      algorithms: ['HS256'],
      ...(legacy ? {} : { issuer: GUEST_ISSUER }),
      currentDate: new Date(this.now()),
      // A token without `exp` would be valid forever, even if a bug or a leaked secret minted it.
      requiredClaims: ['exp', 'sub'],
    });
    if (typeof payload.sub !== 'string' || !GUEST_ID.test(payload.sub) || typeof payload['nick'] !== 'string') {
      throw new ParleyError('UNAUTHORIZED', 'The token has no user');
    }
    return { user: { id: payload.sub, nickname: payload['nick'] }, expiresAtMs: expiryOf(payload), guest: true };
  }

  private async verifyDemo(token: string, key: Uint8Array): Promise<VerifiedToken> {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: DEMO_ISSUER,
      currentDate: new Date(this.now()),
      requiredClaims: ['exp', 'sub'],
    });
    return { user: hostUserFromClaims(payload), expiresAtMs: expiryOf(payload), guest: false };
  }
}

function expiryOf(payload: JWTPayload): number {
  return (payload.exp ?? 0) * 1000;
}

/** `Bearer <token>` → token; anything else → undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m === null ? undefined : m[1];
}

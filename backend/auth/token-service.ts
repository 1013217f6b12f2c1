import { randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { ParleyError } from '../errors.js';
import { requireName } from '../names.js';
import type { AuthUser } from './auth-user.js';

export interface IssuedSession {
  token: string;
  user: AuthUser;
  expiresAt: string;
}

/** Guest sessions: signed HS256 tokens whose subject is a server-assigned user id. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(secret: string, private readonly ttlS: number, private readonly now: () => number = Date.now) {
    this.key = new TextEncoder().encode(secret);
  }

  async issueGuest(nicknameInput: unknown): Promise<IssuedSession> {
    const nickname = validateNickname(nicknameInput);
    return this.issue({ id: `u_${randomBytes(9).toString('base64url')}`, nickname });
  }

  async issue(user: AuthUser): Promise<IssuedSession> {
    const nowS = Math.floor(this.now() / 1000);
    const exp = nowS + this.ttlS;
    const token = await new SignJWT({ nick: user.nickname })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuedAt(nowS)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, user, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async verify(token: string): Promise<AuthUser> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        currentDate: new Date(this.now()),
        // A token without `exp` would be valid forever, even if a bug or a leaked secret minted it.
        requiredClaims: ['exp', 'sub'],
      });
      if (typeof payload.sub !== 'string' || typeof payload['nick'] !== 'string') {
        throw new ParleyError('UNAUTHORIZED', 'The token has no user');
      }
      // Site administrators (docs/authorization.md): a `roles` claim holding "admin".
      const roles = payload['roles'];
      const admin = Array.isArray(roles) && roles.includes('admin');
      return admin ? { id: payload.sub, nickname: payload['nick'], admin } : { id: payload.sub, nickname: payload['nick'] };
    } catch (e: unknown) {
      if (e instanceof ParleyError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new ParleyError('TOKEN_EXPIRED', undefined, { cause: e });
      throw new ParleyError('UNAUTHORIZED', 'The token is not valid', { cause: e });
    }
  }
}

export function validateNickname(value: unknown): string {
  return requireName(value, 'nickname', 1, 32);
}

/** `Bearer <token>` → token; anything else → undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m === null ? undefined : m[1];
}

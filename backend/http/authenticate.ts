import type { Request } from 'express';
import type { AuthUser } from '../auth/auth-user.js';
import { bearerToken, type TokenService } from '../auth/token-service.js';
import { ParleyError } from '../errors.js';

/** The user behind `Authorization: Bearer …`, or UNAUTHORIZED / TOKEN_EXPIRED. */
export function requireUser(tokens: TokenService, req: Request): Promise<AuthUser> {
  const token = bearerToken(req.get('authorization'));
  if (token === undefined) return Promise.reject(new ParleyError('UNAUTHORIZED', 'Send Authorization: Bearer <token>'));
  return tokens.verify(token);
}

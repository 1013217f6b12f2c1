import { ParleyError } from '../errors.js';
import type { Frame } from '../stomp/frame.js';
import type { StompSession } from '../stomp/session.js';
import type { AuthUser } from './auth-user.js';
import type { SessionExpiry } from './session-expiry.js';
import { bearerToken, type TokenService } from './token-service.js';

/**
 * The user of a STOMP CONNECT (`Authorization: Bearer` or the token as `passcode`); the session
 * is closed with TOKEN_EXPIRED when the token's `exp` passes without a refresh.
 */
export async function authenticateConnect(tokens: TokenService, expiry: SessionExpiry, frame: Frame, session: StompSession): Promise<AuthUser> {
  const token = bearerToken(frame.headers.get('Authorization') ?? frame.headers.get('authorization')) ?? frame.headers.get('passcode');
  if (token === undefined || token === '') throw new ParleyError('AUTH_FAILED', 'CONNECT needs Authorization: Bearer <token> or the token as passcode');
  let verified;
  try {
    verified = await tokens.verifyToken(token);
  } catch (e: unknown) {
    if (e instanceof ParleyError && e.code === 'TOKEN_EXPIRED') throw new ParleyError('TOKEN_EXPIRED', 'The token has expired', { details: {} });
    throw new ParleyError('AUTH_FAILED', 'The token is not valid', { cause: e });
  }
  // A socket that closed while the token was checked never opens: a deadline for it would only pin it in memory.
  if (session.isOpen) expiry.track(session, verified.expiresAtMs);
  return verified.user;
}

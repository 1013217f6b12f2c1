import { createHmac } from 'node:crypto';

/**
 * coturn's `use-auth-secret` scheme (the TURN REST API draft):
 * username = "<expiry unix seconds>:<userId>", credential = base64(HMAC-SHA1(secret, username)).
 */
export function turnCredentials(secret: string, userId: string, nowMs: number, ttlS: number): { username: string; credential: string; expiresAt: number } {
  const expiresAt = Math.floor(nowMs / 1000) + ttlS;
  const username = `${expiresAt}:${userId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt };
}

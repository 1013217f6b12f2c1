import type { JWTPayload } from 'jose';
import { ParleyError } from '../errors.js';
import { validateNickname } from './nickname.js';
import type { AuthUser } from './auth-user.js';

/**
 * A host token's `sub`: 1–64 characters a URL path segment carries unescaped (RFC 3986 `pchar`
 * without `%`, `+`, `!`, `$`, `&`, `'`, `(`, `)`, `*`, `,`, `;`, `=`), because user ids appear in REST
 * paths (`/api/rooms/:id/moderators/:userId`). The id `h_<sub>` fits the 66-character user id columns
 * (migration 0003).
 */
export const HOST_SUBJECT = /^[A-Za-z0-9._~@:-]{1,64}$/;

/** Prefix of every host user id; guests are `u_…` (docs/auth.md). */
export const HOST_ID_PREFIX = 'h_';

/** The user a verified host token names, or UNAUTHORIZED naming the bad claim. */
export function hostUserFromClaims(payload: JWTPayload): AuthUser {
  const sub = payload.sub;
  if (typeof sub !== 'string' || !HOST_SUBJECT.test(sub)) {
    throw new ParleyError('UNAUTHORIZED', 'The token\'s "sub" must be 1-64 characters of A-Z a-z 0-9 . _ ~ @ : -');
  }
  let nickname: string;
  try {
    nickname = validateNickname(payload['name']);
  } catch (e: unknown) {
    throw new ParleyError('UNAUTHORIZED', 'The token\'s "name" must be a valid nickname (1-32 characters)', { cause: e });
  }
  const picture = httpsUrl(payload['picture']);
  const roles = payload['roles'];
  if (roles !== undefined && (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string'))) {
    throw new ParleyError('UNAUTHORIZED', 'The token\'s "roles" must be an array of strings');
  }
  const admin = (roles as string[] | undefined)?.includes('admin') === true;
  return { id: `${HOST_ID_PREFIX}${sub}`, nickname, ...(picture === undefined ? {} : { picture }), ...(admin ? { admin } : {}) };
}

/**
 * `picture` is shown as an <img> to every member: only an absolute https URL of sane length is
 * kept. Anything else (http:, data:, javascript:, garbage) is dropped rather than refusing the
 * token, so a site with a bad avatar still gets its users in.
 */
function httpsUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

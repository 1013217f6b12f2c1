import { SignJWT, type JWTPayload } from 'jose';

/** The site's HS256 key in these suites (AUTH_JWT_SECRET); never the guest key. */
export const HOST_SECRET = 'host-site-secret-host-site-secret-0123456789';
export const ISSUER = 'https://site.example';
export const AUDIENCE = 'parley-chat';

export const HOST_ENV: Record<string, string> = { AUTH_JWT_SECRET: HOST_SECRET, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE };

export interface MintOptions {
  secret?: string;
  claims?: JWTPayload;
  iss?: string | null;
  aud?: string | null;
  sub?: string | null;
  /** seconds since epoch; null: no exp */
  exp?: number | null;
  nowMs?: number;
}

/** An HS256 host token as a site would sign it, with each part overridable to test refusals. */
export function mintHost(options: MintOptions = {}): Promise<string> {
  const nowS = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const jwt = new SignJWT({ name: 'Alice', ...options.claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(nowS);
  if (options.iss !== null) jwt.setIssuer(options.iss ?? ISSUER);
  if (options.aud !== null) jwt.setAudience(options.aud ?? AUDIENCE);
  if (options.sub !== null) jwt.setSubject(options.sub ?? 'alice');
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? nowS + 3600);
  return jwt.sign(new TextEncoder().encode(options.secret ?? HOST_SECRET));
}

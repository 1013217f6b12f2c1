import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { bearerToken } from '../auth/token-service.js';
import { ParleyError } from '../errors.js';

/**
 * The policy for every page and resource the server sends. Scripts and styles only from files on
 * this origin (no inline code: the demo pages keep theirs in files; Lit's styles are constructed
 * stylesheets, which `style-src` does not govern), no plugins, no `<base>` games, no framing.
 * `connect-src` stays open: a widget talks to whichever Parley server its `server` attribute names.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self' http: https: ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** nosniff, a strict CSP, no referrer and no framing, on every response. */
export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.set({
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    });
    next();
  };
}

/** With a token configured, `/metrics` needs `Authorization: Bearer <token>` (401 UNAUTHORIZED otherwise). */
export function metricsAuth(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : Buffer.from(token);
  return (req, _res, next) => {
    if (expected === undefined) return next();
    const given = Buffer.from(bearerToken(req.get('authorization')) ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    next(new ParleyError('UNAUTHORIZED', 'Send Authorization: Bearer <METRICS_TOKEN>'));
  };
}

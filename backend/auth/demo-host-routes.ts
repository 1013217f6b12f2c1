import { Router } from 'express';
import { SignJWT } from 'jose';
import { ParleyError } from '../errors.js';
import { DEMO_ISSUER } from './guest-issuer.js';

/** The pretend site's users (demo/host-auth.html). `ada` is the site's administrator. */
export const DEMO_USERS: readonly { sub: string; name: string; roles: string[] }[] = [
  { sub: 'demo-ada', name: 'Ada (site admin)', roles: ['admin'] },
  { sub: 'demo-grace', name: 'Grace', roles: [] },
  { sub: 'demo-linus', name: 'Linus', roles: [] },
];

/** Short, so the demo shows the SDK renewing its token on the open connection. */
const DEMO_TOKEN_TTL_S = 600;

/**
 * What a real site's backend does for its logged-in user, minus the login: signs a host token.
 * Only mounted with DEMO=true (the default, for `npm start`); it signs with a key of its own
 * (tokens-from-config.ts) that Parley trusts only while the demo is on.
 */
export function demoHostRoutes(secret: string, now: () => number): Router {
  const key = new TextEncoder().encode(secret);
  const router = Router();
  router.get('/demo-host/users', (_req, res) => {
    res.json({ users: DEMO_USERS.map((u) => ({ id: u.sub, name: u.name, admin: u.roles.includes('admin') })) });
  });
  router.post('/demo-host/token', async (req, res) => {
    const wanted: unknown = (req.body as Record<string, unknown> | undefined)?.['user'];
    const user = DEMO_USERS.find((u) => u.sub === wanted);
    if (user === undefined) throw new ParleyError('VALIDATION_FAILED', `"user" must be one of ${DEMO_USERS.map((u) => u.sub).join(', ')}`);
    const nowS = Math.floor(now() / 1000);
    const token = await new SignJWT({ name: user.name, roles: user.roles })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(DEMO_ISSUER)
      .setSubject(user.sub)
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + DEMO_TOKEN_TTL_S)
      .sign(key);
    res.json({ token });
  });
  return router;
}

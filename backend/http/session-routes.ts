import { Router, type Request } from 'express';
import type { Limits } from '../limits/limits.js';
import type { TokenService } from '../auth/token-service.js';
import { ParleyError } from '../errors.js';
import { requireUser } from './authenticate.js';

/** `addressOf`: the client address by the TRUST_PROXY rule (client-address.ts). */
/** `guestAccess`: GUEST_ACCESS; false refuses guest sessions (only host tokens get in). */
export function sessionRoutes(tokens: TokenService, limits: Limits, addressOf: (req: Request) => string, options: { guestAccess: boolean } = { guestAccess: true }): Router {
  const router = Router();
  router.post('/api/session', async (req, res) => {
    if (!options.guestAccess) throw new ParleyError('GUESTS_DISABLED');
    // Every guest is a fresh user with fresh per-user buckets: the address is what bounds them (issue 11).
    await limits.check('session-address', addressOf(req));
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ParleyError('INVALID_BODY', 'The body must be a JSON object');
    res.status(201).json(await tokens.issueGuest((body as Record<string, unknown>)['nickname']));
  });
  router.post('/api/session/refresh', async (req, res) => {
    // Host users renew through their site (the SDK's tokenProvider): issue() refuses them UNAUTHORIZED.
    const user = await requireUser(tokens, req);
    res.json(await tokens.issue(user));
  });
  return router;
}

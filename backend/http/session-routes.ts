import { Router } from 'express';
import type { TokenService } from '../auth/token-service.js';
import { ParleyError } from '../errors.js';
import { requireUser } from './authenticate.js';

export function sessionRoutes(tokens: TokenService): Router {
  const router = Router();
  router.post('/api/session', async (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ParleyError('INVALID_BODY', 'The body must be a JSON object');
    res.status(201).json(await tokens.issueGuest((body as Record<string, unknown>)['nickname']));
  });
  router.post('/api/session/refresh', async (req, res) => {
    const user = await requireUser(tokens, req);
    res.json(await tokens.issue(user));
  });
  return router;
}

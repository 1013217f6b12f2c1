import { Router } from 'express';
import type { TokenService } from '../auth/token-service.js';
import type { Config } from '../config.js';
import { requireUser } from '../http/authenticate.js';
import { turnCredentials } from './turn-credentials.js';

interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/** `GET /api/ice-servers`: STUN always, TURN with short-lived credentials when configured. */
export function iceRoutes(tokens: TokenService, config: Pick<Config, 'stunUrls' | 'turnUrls' | 'turnSecret' | 'turnTtlS'>, now: () => number): Router {
  const router = Router();
  router.get('/api/ice-servers', async (req, res) => {
    const user = await requireUser(tokens, req);
    const iceServers: IceServer[] = [];
    if (config.stunUrls.length > 0) iceServers.push({ urls: config.stunUrls });
    if (config.turnUrls.length > 0 && config.turnSecret !== undefined) {
      const { username, credential } = turnCredentials(config.turnSecret, user.id, now(), config.turnTtlS);
      iceServers.push({ urls: config.turnUrls, username, credential });
    }
    res.set('Cache-Control', 'no-store').json({ ttl: config.turnTtlS, iceServers });
  });
  return router;
}

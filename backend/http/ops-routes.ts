import { Router } from 'express';
import type { Database } from '../db/database.js';
import { ParleyError } from '../errors.js';
import type { Metrics } from '../metrics.js';

/** `checkShared`: rejects while shared state (Redis) is unreachable, so the load balancer skips this instance. */
export function opsRoutes(d: { database: Database; metrics: Metrics; isShuttingDown: () => boolean; checkShared?: () => Promise<void> }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (d.isShuttingDown()) throw new ParleyError('UNAVAILABLE', 'Shutting down');
    try {
      await d.database.ping();
    } catch (e: unknown) {
      throw new ParleyError('UNAVAILABLE', 'The database does not answer', { cause: e });
    }
    await d.checkShared?.();
    res.json({ status: 'ready' });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(d.metrics.registry.contentType).send(await d.metrics.registry.metrics());
  });
  return router;
}

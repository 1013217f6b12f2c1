import { once } from 'node:events';
import { createApp } from './app.js';
import { RedisCluster } from './cluster/cluster.js';
import { resolveAuthSecret } from './auth/secret.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { createLogger } from './logger.js';
import { systemClock } from './stomp/clock.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e: unknown) {
    if (e instanceof ConfigError) {
      process.stderr.write(`parley: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config.databaseUrl);
  // With Redis, live counts belong to the cluster: a restarting instance must not zero them.
  if (config.redisUrl === undefined) await database.rooms.resetAllUserCounts();
  const authSecret = await resolveAuthSecret(config.authSecret, config.dataDir);
  const cluster =
    config.redisUrl === undefined
      ? undefined
      : await RedisCluster.connect({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix, instanceTtlMs: config.redisInstanceTtlMs, clock: systemClock, logger });
  const app = createApp({ config, database, logger, authSecret, ...(cluster === undefined ? {} : { cluster }) });

  app.http.listen(config.port, config.host);
  await once(app.http, 'listening');
  const address = app.http.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  if (app.tcp !== undefined && config.stompTcpPort !== undefined) {
    app.tcp.listen(config.stompTcpPort, config.host);
    await once(app.tcp, 'listening');
  }
  logger.info({ port, database: database.dialect, stompTcpPort: config.stompTcpPort }, `Parley listening on http://localhost:${port}`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app
      .shutdown()
      .then(() => cluster?.close())
      .then(() => database.close())
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (e) => logger.error({ err: e }, 'unhandled rejection'));
}

main().catch((e: unknown) => {
  process.stderr.write(`parley: failed to start: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});

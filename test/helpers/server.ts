import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { createApp, type App } from '../../backend/app.js';
import { RedisCluster } from '../../backend/cluster/cluster.js';
import { systemClock } from '../../backend/stomp/clock.js';
import { loadConfig, type Config } from '../../backend/config.js';
import { openDatabase, type Database } from '../../backend/db/database.js';
import type { Clock } from '../../backend/stomp/clock.js';
import type { DatabaseBackend } from './databases.js';
import { LIMITS_OFF_ENV } from '../../backend/limits/limits-off.js';

export interface TestServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  databaseUrl: string;
  tcpPort: number | undefined;
  config: Config;
  readonly app: App;
  readonly database: Database;
  /** Graceful stop (what SIGTERM does). */
  stop(): Promise<void>;
  /**
   * Stop, then start again on the same port with the same database; `whileDown` (e.g. a wait,
   * an outage clients live through) runs between the two.
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  /** Destroy every client socket abruptly. */
  dropAllSockets(): void;
}

/**
 * Abuse limits off (like RATE_LIMIT_PER_S=0): most tests make many guests, rooms and joins from
 * 127.0.0.1 at once. The limit tests (test/integration/hardening/limits-*) set real values.
 */
export const NO_ABUSE_LIMITS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(LIMITS_OFF_ENV).filter(([k]) => k !== 'RATE_LIMIT_PER_S'));

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';
/** AUTH_JWT_SECRET of every test server unless a test sets its own: the key host (site) tokens are signed with. */
export const TEST_HOST_SECRET = 'test-host-secret-test-host-secret-0123456789';

export interface TestServerOptions {
  /** An existing database; the caller owns it. */
  databaseUrl?: string;
  /** A fresh database on this engine, created here and removed by `stop()`. Default: a temp SQLite file. */
  db?: DatabaseBackend;
  /**
   * The server's time: timers (leave grace, typing expiry, heart-beats, connect timeout) and
   * `now` (token expiry, rate limits, stored timestamps). A `FakeClock` lets a test advance it.
   * It survives `restart()`, so timers the old instance failed to cancel would still fire.
   */
  clock?: Clock;
  /** Overrides configuration as the environment would (e.g. LEAVE_GRACE_MS). */
  env?: Record<string, string>;
  /** Replaces the silent logger (tests that assert on logs). */
  logger?: Logger;
}

/** A real server on port 0 over real sockets, with a temp SQLite file unless told otherwise. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  let tempDir: string | undefined;
  let disposeDb: (() => Promise<void>) | undefined;
  let databaseUrl = options.databaseUrl;
  if (databaseUrl === undefined && options.db !== undefined) {
    const created = await options.db.create('server');
    databaseUrl = created.url;
    disposeDb = () => created.dispose();
  }
  if (databaseUrl === undefined) {
    tempDir = await mkdtemp(join(tmpdir(), 'parley-test-'));
    databaseUrl = `sqlite:${join(tempDir, 'parley.sqlite')}`;
  }
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_S: '0',
    ...NO_ABUSE_LIMITS,
    HEARTBEAT_OUT_MS: '10000',
    HEARTBEAT_IN_MS: '10000',
    AUTH_JWT_SECRET: TEST_HOST_SECRET,
    ...options.env,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: TEST_SECRET,
    PORT: '0',
  });
  const wantTcp = options.env?.['STOMP_TCP_PORT'] !== undefined;
  let port = 0;
  let tcpPort: number | undefined;
  let database!: Database;
  let app!: App;
  let cluster: RedisCluster | undefined;
  let running = false;

  const clock = options.clock;
  const start = async (): Promise<void> => {
    database = await openDatabase(databaseUrl, clock === undefined ? {} : { now: () => new Date(clock.now()) });
    const logger = options.logger ?? pino({ level: options.env?.['LOG_LEVEL'] ?? 'silent' });
    // With REDIS_URL set, this is one instance of a cluster sharing state through Redis.
    if (config.redisUrl === undefined) await database.rooms.resetAllUserCounts();
    else cluster = await RedisCluster.connect({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix, instanceTtlMs: config.redisInstanceTtlMs, clock: clock ?? systemClock, logger });
    app = createApp({
      config: { ...config, stompTcpPort: wantTcp ? (tcpPort ?? 0) : undefined },
      database,
      logger,
      authSecret: TEST_SECRET,
      ...(clock === undefined ? {} : { clock }),
      ...(cluster === undefined ? {} : { cluster }),
    });
    app.http.listen(port, '127.0.0.1');
    await once(app.http, 'listening');
    port = (app.http.address() as AddressInfo).port;
    if (app.tcp !== undefined) {
      app.tcp.listen(tcpPort ?? 0, '127.0.0.1');
      await once(app.tcp, 'listening');
      tcpPort = (app.tcp.address() as AddressInfo).port;
    }
    running = true;
  };

  const stopOnly = async (): Promise<void> => {
    if (!running) return;
    running = false;
    await app.shutdown();
    await cluster?.close();
    cluster = undefined;
    await database.close();
  };

  try {
    await start();
  } catch (e: unknown) {
    await disposeDb?.().catch(() => undefined);
    throw e;
  }
  const server: TestServer = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    databaseUrl,
    get tcpPort() {
      return tcpPort;
    },
    config,
    get app() {
      return app;
    },
    get database() {
      return database;
    },
    stop: async () => {
      await stopOnly();
      if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
      await disposeDb?.();
    },
    restart: async (whileDown) => {
      await stopOnly();
      await whileDown?.();
      await start();
    },
    dropAllSockets: () => app.dropAllSockets(),
  };
  return server;
}

/** A guest token over REST. */
export async function guest(server: { url: string }, nickname: string): Promise<{ token: string; user: { id: string; nickname: string } }> {
  const res = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nickname }),
  });
  if (res.status !== 201) throw new Error(`POST /api/session → ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; user: { id: string; nickname: string } };
}

/** JSON REST call with an optional bearer token; returns status and parsed body. */
export async function api<T = unknown>(server: { url: string }, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

import { createServer, type Server } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { repoRoot } from './repo-root.js';
import express from 'express';
import { registerCallDestinations } from './calls/call-destinations.js';
import { CallService } from './calls/call-service.js';
import { InMemoryCallStore } from './calls/call-store.js';
import type { RedisCluster } from './cluster/cluster.js';
import type { TokenService } from './auth/token-service.js';
import { authenticateConnect } from './auth/authenticate-connect.js';
import { demoHostRoutes } from './auth/demo-host-routes.js';
import type { JwksFetch } from './auth/jwks-cache.js';
import { SessionExpiry } from './auth/session-expiry.js';
import { demoSecret, tokensFromConfig } from './auth/tokens-from-config.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { errorHandler, notFound } from './http/http-errors.js';
import { originAllowed, parseOrigins } from './http/origins.js';
import { opsRoutes } from './http/ops-routes.js';
import { messageRoutes } from './http/message-routes.js';
import { roomRoutes } from './http/room-routes.js';
import { moderationRoutes } from './http/moderation-routes.js';
import { ModerationBus } from './moderation/moderation-bus.js';
import { ModerationService } from './moderation/moderation-service.js';
import { MuteCache } from './moderation/mute-cache.js';
import { createRestrictionRepository } from './moderation/restriction-repository.js';
import { randomBytes } from 'node:crypto';
import { metricsAuth, securityHeaders } from './http/security-headers.js';
import { sessionRoutes } from './http/session-routes.js';
import { iceRoutes } from './ice/ice-routes.js';
import { clientAddress, trustFunction } from './http/client-address.js';
import { Limits, limitRates } from './limits/limits.js';
import { registerStompLimits } from './limits/stomp-limits.js';
import type { Logger } from './logger.js';
import { MessageEdits } from './messages/message-edits.js';
import { MessageService } from './messages/message-service.js';
import { RateLimiter } from './messages/rate-limiter.js';
import { roomTopic } from './messages/message-view.js';
import { TypingService } from './messages/typing-service.js';
import { Metrics } from './metrics.js';
import { InMemoryPresenceStore, type PresenceStore } from './presence/presence-store.js';
import { registerRoomDestinations } from './rooms/room-destinations.js';
import { RoomService } from './rooms/room-service.js';
import { Broker } from './stomp/broker.js';
import { systemClock, type Clock } from './stomp/clock.js';
import { InMemoryBus, type PubSubBus } from './stomp/pubsub-bus.js';
import { attachSockJsTransport } from './stomp/transports/sockjs-transport.js';
import { createTcpTransport } from './stomp/transports/tcp-transport.js';
import { attachWebSocketTransport } from './stomp/transports/ws-transport.js';
import { LocalUserDelivery, type UserDelivery } from './stomp/user-delivery.js';

export interface AppDeps {
  config: Config;
  database: Database;
  logger: Logger;
  authSecret: string;
  clock?: Clock;
  bus?: PubSubBus;
  presence?: PresenceStore;
  users?: UserDelivery;
  /**
   * Shared state through Redis (REDIS_URL): replaces bus, users and presence, and shares calls
   * and rate limits. The caller connects it before and closes it after the app.
   */
  cluster?: RedisCluster;
  /** Fetches AUTH_JWKS_URL; default: `fetch` with a 5 s timeout. */
  fetchJwks?: JwksFetch;
  /** Folder with the built widget (`chat-room.js`); default `dist/widget`. */
  widgetDir?: string;
}

export interface App {
  readonly http: Server;
  readonly tcp: NetServer | undefined;
  readonly broker: Broker;
  readonly metrics: Metrics;
  readonly tokens: TokenService;
  /** Destroys every client socket at once (tests use it to simulate network loss). */
  dropAllSockets(): void;
  /** Stop accepting, finish in-flight writes, close sockets. Does not close the database. */
  shutdown(): Promise<void>;
}

const SERVER_NAME = 'parley/0.1.0';
/**
 * Mutes are cached per room and invalidated over the bus; an entry this old is re-read anyway, in
 * case Redis pub/sub dropped an invalidation (backend/moderation/mute-cache.ts).
 */
const MUTE_CACHE_MAX_AGE_MS = 30_000;
const ROOT = repoRoot(import.meta.url);

/** Builds the whole backend without listening; `main.ts` (or a test) calls `listen`. */
export function createApp(deps: AppDeps): App {
  const { config, database, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const metrics = new Metrics();
  const tokens = tokensFromConfig(config, deps.authSecret, () => clock.now(), deps.fetchJwks);
  let expiry: SessionExpiry | undefined;
  let shuttingDown = false;

  const cluster = deps.cluster;
  const bus = cluster?.bus ?? deps.bus ?? new InMemoryBus();
  const broker = new Broker({
    bus,
    users: cluster?.users ?? deps.users ?? new LocalUserDelivery(),
    ...(cluster === undefined ? {} : { instanceId: cluster.instanceId }),
    clock,
    logger,
    authenticate: (frame, session) => authenticateConnect(tokens, expiry!, frame, session),
    metrics,
    limits: { maxFrameBytes: config.maxFrameBytes, maxHeaders: config.maxHeaders, maxHeaderLineBytes: config.maxHeaderLineBytes },
    maxSubscriptions: config.maxSubscriptions,
    heartbeatOutMs: config.heartbeatOutMs,
    heartbeatInMs: config.heartbeatInMs,
    heartbeatTolerance: config.heartbeatTolerance,
    slowConsumerBytes: config.slowConsumerBytes,
    connectTimeoutMs: config.connectTimeoutMs,
    maxTxFrames: config.maxTxFrames,
    maxTxBytes: config.maxTxBytes,
    queueLimits: { maxMessages: config.queueMaxMessages, maxBytes: config.queueMaxBytes, ttlMs: config.queueTtlMs },
    openDestinations: config.brokerOpenDestinations,
    serverName: SERVER_NAME,
  });

  expiry = new SessionExpiry(broker, tokens, clock);
  const presence = cluster?.presence ?? deps.presence ?? new InMemoryPresenceStore();
  const messages = new MessageService({
    repository: database.messages,
    broker,
    resumeMaxMessages: config.resumeMaxMessages,
    now: () => clock.now(),
    onStored: () => metrics.messageStored(),
    onSeqClash: () => metrics.seqClash(),
    onGroupCommit: (rooms) => metrics.groupCommit(rooms),
  });
  const typing = new TypingService(broker, clock, config.typingTtlMs, cluster?.typing, config.typingMinIntervalMs);
  // Every limit is the chat limiter's bucket, shared through Redis when there is a cluster.
  const limits = new Limits(limitRates(config), (perS, burst) => cluster?.rateLimiter(perS, burst, () => clock.now()) ?? new RateLimiter(perS, burst, () => clock.now()));
  const trustProxy = trustFunction(config.trustProxy);
  const addressOf = (req: express.Request): string => clientAddress(req.socket.remoteAddress, req.headers, trustProxy);
  const calls = new CallService(broker, config.callMaxParticipants, cluster?.calls ?? new InMemoryCallStore());
  const restrictions = createRestrictionRepository(database.sequelize, database.dialect);
  const rooms = new RoomService({
    repository: database.rooms, presence, messages, typing, calls, broker, clock, logger, leaveGraceMs: config.leaveGraceMs, restrictions,
    passwordTry: async (user, roomId, address) => {
      await limits.check('password-user-room', `${user.id}:${roomId}`);
      await limits.check('password-address', address);
    },
  });
  const moderation = new ModerationService({
    rooms,
    restrictions,
    mutes: new MuteCache({
      load: async (roomId) => new Map((await restrictions.list(roomId, new Date(clock.now()), 'mute')).map((r) => [r.userId, r.until?.getTime() ?? Infinity])),
      now: () => clock.now(),
      maxAgeMs: MUTE_CACHE_MAX_AGE_MS,
      onError: (e, roomId) => logger.warn({ err: e, roomId }, 'mute cache refresh failed'),
    }),
    bus: new ModerationBus(bus, cluster?.instanceId ?? randomBytes(6).toString('hex')),
    broker,
    calls,
    clock,
    logger,
  });
  moderation.start().catch((e: unknown) => logger.error({ err: e }, 'moderation bus subscription failed'));
  const chatRateLimiter =
    cluster?.rateLimiter(config.rateLimitPerS, config.rateLimitBurst, () => clock.now()) ??
    new RateLimiter(config.rateLimitPerS, config.rateLimitBurst, () => clock.now());
  const edits = new MessageEdits({
    messages,
    rooms,
    editWindowMs: config.editWindowS * 1000,
    maxMessageChars: config.maxMessageChars,
    now: () => clock.now(),
    rateLimit: chatRateLimiter,
    mutes: moderation,
  });
  registerStompLimits(broker, limits);
  registerRoomDestinations({
    broker,
    rooms,
    messages,
    typing,
    calls,
    rateLimiter: chatRateLimiter,
    maxMessageChars: config.maxMessageChars,
    moderation,
  });
  registerCallDestinations(broker, rooms, calls);
  const attached = cluster?.attach({
    history: { lastSeq: (roomId) => messages.lastSeq(roomId), range: (roomId, after, upTo) => messages.preparedRange(roomId, after, upTo) },
    session: (roomId, userId, sessionId) => rooms.reap(roomId, userId, sessionId),
    participant: (roomId, participantId) => calls.reap(roomId, participantId),
    roomTouched: (roomId) => cluster.bus.requestResync(roomTopic(roomId)),
    announce: async (roomId) => {
      await rooms.announcePresence(roomId);
      await calls.announce(roomId);
    },
  });
  attached?.catch((e: unknown) => logger.error({ err: e }, 'cluster heart-beat could not start'));

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // req.ip walks X-Forwarded-For by the same rule as addressOf and the socket transports.
  app.set('trust proxy', trustProxy);
  app.use(securityHeaders());
  app.use(cors(config.corsOrigins));
  // No Content-Encoding: a compressed body is a 415 before any byte is inflated (issue 11).
  app.use(express.json({ limit: '64kb', strict: false, inflate: false }));
  app.use('/metrics', metricsAuth(config.metricsToken));
  app.use(opsRoutes({ database, metrics, isShuttingDown: () => shuttingDown, ...(cluster === undefined ? {} : { checkShared: () => cluster.check() }) }));
  app.use(sessionRoutes(tokens, limits, addressOf, { guestAccess: config.guestAccess }));
  app.use(roomRoutes(tokens, rooms, limits, addressOf));
  app.use(messageRoutes(tokens, rooms, messages, edits));
  app.use(moderationRoutes(tokens, rooms, moderation));
  app.use(iceRoutes(tokens, config, () => clock.now()));
  const widgetDir = deps.widgetDir ?? `${ROOT}dist/widget`;
  app.use('/widget', express.static(widgetDir, { fallthrough: true }));
  app.use('/vendor', express.static(`${ROOT}node_modules/@stomp/stompjs/bundles`));
  if (config.demo && existsSync(`${ROOT}demo`)) {
    app.use(demoHostRoutes(demoSecret(deps.authSecret), () => clock.now()));
    // The host-auth demo builds its own ChatClient (tokenProvider) from the SDK bundle.
    app.use('/sdk', express.static(`${ROOT}dist/sdk`, { fallthrough: true }));
    app.use(express.static(`${ROOT}demo`));
  }
  app.use(notFound);
  app.use(errorHandler(logger, (code) => metrics.refusal(code)));

  const http = createServer(app);
  // Well above the frame limit, so an oversized frame reaches the parser and gets a STOMP ERROR
  // (FRAME_TOO_LARGE) instead of a bare 1009 close; still bounds one message's memory.
  const maxMessageBytes = Math.max(config.maxFrameBytes * 4, 1_048_576);
  const allowedOrigins = parseOrigins(config.allowedOrigins);
  const ws = attachWebSocketTransport(http, broker, { path: '/ws', maxPayloadBytes: maxMessageBytes, allowedOrigins, trustProxy });
  const sockjs = attachSockJsTransport(http, broker, { prefix: '/sockjs', maxMessageBytes, allowedOrigins, corsOrigins: parseOrigins(config.corsOrigins), trustProxy });
  const tcp = config.stompTcpPort === undefined ? undefined : createTcpTransport(broker);

  const openSockets = new Set<Socket>();
  http.on('connection', (s) => {
    openSockets.add(s);
    s.on('close', () => openSockets.delete(s));
  });

  return {
    http,
    tcp: tcp?.server,
    broker,
    metrics,
    tokens,
    dropAllSockets: () => {
      for (const s of ws.sockets()) s.terminate();
      sockjs.destroyAll();
      for (const s of tcp?.sockets ?? []) s.destroy();
    },
    shutdown: async () => {
      shuttingDown = true;
      const closed = Promise.all([
        new Promise<void>((resolve) => http.close(() => resolve())),
        tcp === undefined ? Promise.resolve() : new Promise<void>((resolve) => tcp.server.close(() => resolve())),
      ]);
      // In-flight frames (a message being stored) finish before sockets close.
      const idle = Promise.all([...broker.allSessions()].map((s) => s.idle()));
      await withTimeout(Promise.all([idle, messages.drain()]), config.shutdownTimeoutMs);
      // Closing sessions starts leave-grace timers: close first, then cancel every timer.
      broker.closeAll();
      rooms.stop();
      moderation.stop();
      typing.stop();
      ws.close();
      sockjs.close();
      for (const s of tcp?.sockets ?? []) s.destroy();
      // Keep-alive HTTP sockets would hold http.close() open.
      for (const s of openSockets) s.destroy();
      await withTimeout(closed, 2000);
    },
  };
}

function cors(origins: string): express.RequestHandler {
  const allowed = parseOrigins(origins);
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin !== undefined && originAllowed(allowed, origin)) {
      res.set('Access-Control-Allow-Origin', allowed === null ? '*' : origin);
      res.set('Vary', 'Origin');
      res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      res.set('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE, OPTIONS');
      res.set('Access-Control-Max-Age', '600');
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve(undefined), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

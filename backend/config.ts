import { checkDatabaseUrl } from './db/database.js';
import { parseTrustProxy, type TrustProxy } from './http/client-address.js';

/** Every setting the backend reads, validated once. Units are in the names. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  /** undefined: generate one and keep it in `${dataDir}/auth-secret` */
  authSecret: string | undefined;
  tokenTtlS: number;
  stompTcpPort: number | undefined;
  brokerOpenDestinations: boolean;
  heartbeatOutMs: number;
  heartbeatInMs: number;
  heartbeatTolerance: number;
  maxFrameBytes: number;
  maxHeaders: number;
  maxHeaderLineBytes: number;
  maxSubscriptions: number;
  slowConsumerBytes: number;
  leaveGraceMs: number;
  typingTtlMs: number;
  resumeMaxMessages: number;
  maxMessageChars: number;
  editWindowS: number;
  rateLimitPerS: number;
  rateLimitBurst: number;
  corsOrigins: string;
  logLevel: string;
  turnUrls: string[];
  turnSecret: string | undefined;
  turnTtlS: number;
  stunUrls: string[];
  shutdownTimeoutMs: number;
  callMaxParticipants: number;
  connectTimeoutMs: number;
  /** undefined: one instance, everything in process */
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  redisInstanceTtlMs: number;
  maxTxFrames: number;
  maxTxBytes: number;
  queueMaxMessages: number;
  queueMaxBytes: number;
  queueTtlMs: number;
  allowedOrigins: string[];
  metricsToken: string | undefined;
  trustProxy: TrustProxy;
  sessionAddressPerMin: number;
  sessionAddressBurst: number;
  roomCreateUserPerMin: number;
  roomCreateUserBurst: number;
  roomCreateAddressPerMin: number;
  roomCreateAddressBurst: number;
  joinUserPerMin: number;
  joinUserBurst: number;
  typingMinIntervalMs: number;
  openSendPerS: number;
  openSendBurst: number;
  chatAddressPerS: number;
  chatAddressBurst: number;
  passwordTries: number;
  passwordTryEveryS: number;
  passwordAddressTries: number;
  passwordAddressTryEveryS: number;
  /** Host tokens (docs/auth.md); both undefined: no host users. */
  authJwtSecret: string | undefined;
  authJwksUrl: string | undefined;
  authIssuer: string | undefined;
  authAudience: string | undefined;
  guestAccess: boolean;
  /** Serve `demo/` and the demo host app's token route. */
  demo: boolean;
}

interface Spec<T> {
  env: string;
  default: T;
  parse: (raw: string) => T;
  doc: string;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`Invalid ${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

function int(min: number, max: number): (raw: string) => number {
  return (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`expected an integer, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new Error(`expected ${min}..${max}, got ${n}`);
    return n;
  };
}

function bool(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`expected true or false, got "${raw}"`);
}

function list(raw: string): string[] {
  return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function text(raw: string): string {
  return raw;
}

function databaseUrl(raw: string): string {
  const problem = checkDatabaseUrl(raw);
  if (problem !== null) throw new Error(problem);
  return raw;
}

function redisUrl(raw: string): string | undefined {
  if (raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error('expected redis://host:port/db');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error(`expected a redis:// or rediss:// URL, got "${url.protocol}"`);
  if (url.hostname === '') throw new Error('the URL names no host');
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,5}$/.test(db)) throw new Error(`the database must be a number, got "${db}"`);
  return raw.trim();
}

function keyPrefix(raw: string): string {
  if (!/^[A-Za-z0-9_.:{}-]{1,64}$/.test(raw)) throw new Error('expected 1-64 characters of A-Z a-z 0-9 _ . : { } -');
  return raw;
}

const optionalPort = (raw: string): number | undefined => (raw.trim() === '' ? undefined : int(0, 65535)(raw));
const optionalText = (raw: string): string | undefined => (raw === '' ? undefined : raw);

function optionalHttpUrl(raw: string): string | undefined {
  if (raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error('expected an http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`expected an https:// URL, got "${url.protocol}"`);
  return url.toString();
}

/** The table the README documents; keep `doc` short. */
export const CONFIG_SPEC: { [K in keyof Config]: Spec<Config[K]> } = {
  port: { env: 'PORT', default: 8080, parse: int(0, 65535), doc: 'HTTP port (0 picks a free one)' },
  host: { env: 'HOST', default: '0.0.0.0', parse: text, doc: 'Interface to listen on' },
  dataDir: { env: 'DATA_DIR', default: './data', parse: text, doc: 'Folder for the SQLite file and the generated auth secret' },
  databaseUrl: { env: 'DATABASE_URL', default: 'sqlite:./data/parley.sqlite', parse: databaseUrl, doc: '`sqlite:<file>`, `sqlite::memory:` or `mysql://user:pass@host:3306/db`' },
  authSecret: { env: 'AUTH_SECRET', default: undefined, parse: optionalText, doc: 'HS256 secret for tokens (≥ 32 chars); generated into `DATA_DIR/auth-secret` when unset' },
  tokenTtlS: { env: 'TOKEN_TTL_S', default: 86_400, parse: int(60, 31_536_000), doc: 'Guest token lifetime, seconds' },
  stompTcpPort: { env: 'STOMP_TCP_PORT', default: undefined, parse: optionalPort, doc: 'Plain TCP STOMP listener port; unset = off' },
  brokerOpenDestinations: { env: 'BROKER_OPEN_DESTINATIONS', default: true, parse: bool, doc: 'Allow plain pub/sub on other `/topic/**` and `/queue/**`' },
  heartbeatOutMs: { env: 'HEARTBEAT_OUT_MS', default: 10_000, parse: int(0, 3_600_000), doc: 'Smallest interval the server offers to send heart-beats at (0 = never)' },
  heartbeatInMs: { env: 'HEARTBEAT_IN_MS', default: 10_000, parse: int(0, 3_600_000), doc: 'Smallest interval the server asks clients to send at (0 = never)' },
  heartbeatTolerance: { env: 'HEARTBEAT_TOLERANCE', default: 3, parse: int(1, 10), doc: 'A client silent for this many intervals is closed' },
  maxFrameBytes: { env: 'MAX_FRAME_BYTES', default: 65_536, parse: int(1024, 16_777_216), doc: 'Largest client frame (headers + body), bytes' },
  maxHeaders: { env: 'MAX_HEADERS', default: 32, parse: int(4, 1000), doc: 'Most headers in one client frame' },
  maxHeaderLineBytes: { env: 'MAX_HEADER_LINE_BYTES', default: 8192, parse: int(256, 1_048_576), doc: 'Longest header line, bytes' },
  maxSubscriptions: { env: 'MAX_SUBSCRIPTIONS', default: 100, parse: int(1, 100_000), doc: 'Most subscriptions per connection' },
  slowConsumerBytes: { env: 'SLOW_CONSUMER_BYTES', default: 8 * 1024 * 1024, parse: int(65_536, 1_073_741_824), doc: 'Unsent bytes after which a connection is closed' },
  leaveGraceMs: { env: 'LEAVE_GRACE_MS', default: 5000, parse: int(0, 600_000), doc: 'How long a dropped user stays in a room before leaving' },
  typingTtlMs: { env: 'TYPING_TTL_MS', default: 6000, parse: int(500, 600_000), doc: 'Typing indicator expiry without a refresh' },
  resumeMaxMessages: { env: 'RESUME_MAX_MESSAGES', default: 500, parse: int(0, 100_000), doc: 'Most messages replayed on resume; more = client pages REST' },
  maxMessageChars: { env: 'MAX_MESSAGE_CHARS', default: 2000, parse: int(1, 60_000), doc: 'Longest chat message, code points' },
  editWindowS: { env: 'EDIT_WINDOW_S', default: 900, parse: int(0, 31_536_000), doc: 'How long after sending its sender may edit a message, seconds (0 = never)' },
  rateLimitPerS: { env: 'RATE_LIMIT_PER_S', default: 5, parse: int(0, 100_000), doc: 'Messages per second per user, sustained (0 = no limit)' },
  rateLimitBurst: { env: 'RATE_LIMIT_BURST', default: 20, parse: int(1, 100_000), doc: 'Messages a user may send in a burst' },
  corsOrigins: { env: 'CORS_ORIGINS', default: '*', parse: text, doc: 'Allowed origins for the REST API (`*` or a comma list)' },
  logLevel: { env: 'LOG_LEVEL', default: 'info', parse: (raw) => { if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(raw)) throw new Error(`unknown level "${raw}"`); return raw; }, doc: 'pino level' },
  turnUrls: { env: 'TURN_URLS', default: [], parse: list, doc: 'Comma list of `turn:`/`turns:` URLs; unset = STUN only' },
  turnSecret: { env: 'TURN_SECRET', default: undefined, parse: optionalText, doc: 'coturn `static-auth-secret`' },
  turnTtlS: { env: 'TURN_TTL', default: 3600, parse: int(60, 604_800), doc: 'TURN credential lifetime, seconds' },
  stunUrls: { env: 'STUN_URLS', default: [], parse: list, doc: 'Comma list of `stun:` URLs' },
  connectTimeoutMs: { env: 'CONNECT_TIMEOUT_MS', default: 10_000, parse: int(0, 600_000), doc: 'A socket that sends no CONNECT within this time is closed (0 = never)' },
  callMaxParticipants: { env: 'CALL_MAX_PARTICIPANTS', default: 4, parse: int(2, 16), doc: 'Most participants in one mesh call' },
  redisUrl: { env: 'REDIS_URL', default: undefined, parse: redisUrl, doc: '`redis://host:6379/0`: share rooms, presence, calls and rate limits between instances; unset = one instance, no Redis' },
  redisKeyPrefix: { env: 'REDIS_KEY_PREFIX', default: 'parley:', parse: keyPrefix, doc: 'Start of every Redis key and channel (several deployments on one Redis)' },
  redisInstanceTtlMs: { env: 'REDIS_INSTANCE_TTL_MS', default: 15_000, parse: int(1000, 20_000), doc: 'A silent instance is dead after this; survivors drop its users within it plus a third' },
  shutdownTimeoutMs: { env: 'SHUTDOWN_TIMEOUT_MS', default: 10_000, parse: int(0, 600_000), doc: 'Longest wait for in-flight work on SIGTERM' },
  maxTxFrames: { env: 'MAX_TX_FRAMES', default: 500, parse: int(1, 1_000_000), doc: 'Most frames (BEGIN included) held in the open transactions of one connection' },
  maxTxBytes: { env: 'MAX_TX_BYTES', default: 1_048_576, parse: int(1024, 1_073_741_824), doc: 'Most body bytes held in the open transactions of one connection' },
  queueMaxMessages: { env: 'QUEUE_MAX_MESSAGES', default: 1000, parse: int(1, 1_000_000), doc: 'Most messages waiting in one `/queue/**` backlog; the oldest is dropped past it' },
  queueMaxBytes: { env: 'QUEUE_MAX_BYTES', default: 4_194_304, parse: int(1024, 1_073_741_824), doc: 'Most bytes waiting in one `/queue/**` backlog; the oldest is dropped past it' },
  queueTtlMs: { env: 'QUEUE_TTL_MS', default: 300_000, parse: int(100, 86_400_000), doc: 'A `/queue/**` message nobody consumed within this time is dropped' },
  allowedOrigins: { env: 'ALLOWED_ORIGINS', default: [], parse: list, doc: 'Comma list of origins allowed to open `/ws` and `/sockjs`; unset = any' },
  metricsToken: { env: 'METRICS_TOKEN', default: undefined, parse: optionalText, doc: '`/metrics` requires `Authorization: Bearer <this>` when set' },
  // Abuse limits (issue 11, docs/operations.md "Limits"); 0 per minute or per second turns one off.
  trustProxy: { env: 'TRUST_PROXY', default: false, parse: parseTrustProxy, doc: 'Believe `X-Forwarded-For` from: a number of proxy hops, or a comma list of proxy IPs; unset = nobody (the socket peer is the client)' },
  sessionAddressPerMin: { env: 'SESSION_ADDRESS_PER_MIN', default: 30, parse: int(0, 1_000_000), doc: 'Guest tokens (`POST /api/session`) per client address per minute, sustained' },
  sessionAddressBurst: { env: 'SESSION_ADDRESS_BURST', default: 30, parse: int(1, 1_000_000), doc: 'Guest tokens one address may get in a burst' },
  roomCreateUserPerMin: { env: 'ROOM_CREATE_USER_PER_MIN', default: 6, parse: int(0, 1_000_000), doc: 'Rooms a user may create per minute, sustained' },
  roomCreateUserBurst: { env: 'ROOM_CREATE_USER_BURST', default: 10, parse: int(1, 1_000_000), doc: 'Rooms a user may create in a burst' },
  roomCreateAddressPerMin: { env: 'ROOM_CREATE_ADDRESS_PER_MIN', default: 20, parse: int(0, 1_000_000), doc: 'Rooms created from one client address per minute, sustained' },
  roomCreateAddressBurst: { env: 'ROOM_CREATE_ADDRESS_BURST', default: 30, parse: int(1, 1_000_000), doc: 'Rooms created from one address in a burst' },
  joinUserPerMin: { env: 'JOIN_USER_PER_MIN', default: 120, parse: int(0, 1_000_000), doc: 'Room joins per user per minute, sustained' },
  joinUserBurst: { env: 'JOIN_USER_BURST', default: 40, parse: int(1, 1_000_000), doc: 'Room joins a user may make in a burst' },
  typingMinIntervalMs: { env: 'TYPING_MIN_INTERVAL_MS', default: 1000, parse: int(0, 60_000), doc: 'Typing refreshes closer than this per user and room are receipted but not broadcast (0 = off)' },
  openSendPerS: { env: 'OPEN_SEND_PER_S', default: 10, parse: int(0, 100_000), doc: 'SENDs to open `/topic/**` and `/queue/**` per user per second, sustained' },
  openSendBurst: { env: 'OPEN_SEND_BURST', default: 50, parse: int(1, 100_000), doc: 'Open-destination SENDs a user may make in a burst' },
  chatAddressPerS: { env: 'CHAT_ADDRESS_PER_S', default: 20, parse: int(0, 100_000), doc: 'Chat messages per client address per second, sustained (all its users together)' },
  chatAddressBurst: { env: 'CHAT_ADDRESS_BURST', default: 60, parse: int(1, 100_000), doc: 'Chat messages one address may send in a burst' },
  passwordTries: { env: 'PASSWORD_TRIES', default: 5, parse: int(0, 1000), doc: 'Password tries per user and locked room before the lockout (0 = no limit)' },
  passwordTryEveryS: { env: 'PASSWORD_TRY_EVERY_S', default: 60, parse: int(1, 86_400), doc: 'After the lockout, one more try per user and room every this many seconds' },
  passwordAddressTries: { env: 'PASSWORD_ADDRESS_TRIES', default: 20, parse: int(0, 100_000), doc: 'Password tries per client address (any user, any room) before the lockout (0 = no limit)' },
  passwordAddressTryEveryS: { env: 'PASSWORD_ADDRESS_TRY_EVERY_S', default: 30, parse: int(1, 86_400), doc: 'After it, one more try per address every this many seconds' },
  authJwtSecret: { env: 'AUTH_JWT_SECRET', default: undefined, parse: optionalText, doc: 'HS256 secret the embedding site signs host tokens with (≥ 32 chars, not AUTH_SECRET); unset = no HS256 host tokens' },
  authJwksUrl: { env: 'AUTH_JWKS_URL', default: undefined, parse: optionalHttpUrl, doc: 'JWKS URL of the site\'s public keys (RS256/ES256 host tokens by `kid`; re-fetched on an unknown `kid`)' },
  authIssuer: { env: 'AUTH_ISSUER', default: undefined, parse: optionalText, doc: 'Host tokens must carry this `iss` when set' },
  authAudience: { env: 'AUTH_AUDIENCE', default: undefined, parse: optionalText, doc: 'Host tokens must carry this `aud` when set' },
  guestAccess: { env: 'GUEST_ACCESS', default: true, parse: bool, doc: '`false`: no guest sessions (`POST /api/session` → 403 GUESTS_DISABLED); only host tokens' },
  demo: { env: 'DEMO', default: true, parse: bool, doc: 'Serve the demo pages and the demo host app that signs tokens for made-up users (one an admin); unset: on, except with `NODE_ENV=production`' },
};

/** Reads the environment once; throws ConfigError naming the variable on a bad value. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env, overrides: Partial<Config> = {}): Config {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(CONFIG_SPEC) as [keyof Config, Spec<unknown>][]) {
    const raw = env[spec.env];
    if (raw === undefined) {
      out[key] = spec.default;
      continue;
    }
    try {
      out[key] = spec.parse(raw);
    } catch (e: unknown) {
      throw new ConfigError(spec.env, e instanceof Error ? e.message : String(e));
    }
  }
  // The demo host app hands out an admin token to anyone: a production server that forgot DEMO=false
  // must not serve it.
  if (env['DEMO'] === undefined && env['NODE_ENV'] === 'production') out['demo'] = false;
  const config = { ...(out as unknown as Config), ...overrides };
  if (config.authSecret !== undefined && config.authSecret.length < 32) {
    throw new ConfigError('AUTH_SECRET', 'must be at least 32 characters');
  }
  if (config.authJwtSecret !== undefined && config.authJwtSecret.length < 32) {
    throw new ConfigError('AUTH_JWT_SECRET', 'must be at least 32 characters');
  }
  // One key for both kinds would let Parley's guest tokens pass as host tokens and the reverse.
  if (config.authJwtSecret !== undefined && config.authJwtSecret === config.authSecret) {
    throw new ConfigError('AUTH_JWT_SECRET', 'must differ from AUTH_SECRET');
  }
  if (config.turnUrls.length > 0 && config.turnSecret === undefined) {
    throw new ConfigError('TURN_SECRET', 'is required when TURN_URLS is set');
  }
  return config;
}

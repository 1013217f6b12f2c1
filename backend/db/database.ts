import path from 'node:path';
import { ConnectionError, QueryTypes, Sequelize } from 'sequelize';
import type { Options } from 'sequelize';
import { ParleyError } from '../errors.js';
import { createMessageRepository } from '../messages/message-repository.js';
import type { MessageRepository } from '../messages/message-repository.js';
import { createRoomRepository } from '../rooms/room-repository.js';
import type { RoomRepository } from '../rooms/room-repository.js';
import { runMigrations } from './migrate.js';
import { defineMessageModel } from './models/message.js';
import { defineRoomMemberModel } from './models/room-member.js';
import { defineRoomModel } from './models/room.js';
import type { Dialect } from './row-values.js';

export interface Database {
  readonly sequelize: Sequelize;
  readonly dialect: 'sqlite' | 'mysql';
  readonly rooms: RoomRepository;
  readonly messages: MessageRepository;
  /** Throws if the database is unreachable (SELECT 1): rejects with a ParleyError `UNAVAILABLE`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Receives every SQL statement; none are logged without it. */
  logging?: (sql: string) => void;
  /** Clock for stored timestamps. Default: `() => new Date()`. */
  now?: () => Date;
}

/** How long a SQLite writer waits for a lock held by another connection, in milliseconds. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;
/** Largest number of MySQL connections one server holds. */
export const MYSQL_POOL_MAX = 10;

type DatabaseTarget =
  | { dialect: 'sqlite'; storage: string }
  | { dialect: 'mysql'; host: string; port: number; username: string; password: string; database: string };

const URL_FORMS = "'sqlite:<path>', 'sqlite::memory:' or 'mysql://user:password@host:port/database'";

function parseDatabaseUrl(url: string): DatabaseTarget | string {
  if (typeof url !== 'string' || url.trim() === '') return `The database URL is empty; expected ${URL_FORMS}`;
  const text = url.trim();
  if (/^sqlite:/i.test(text)) {
    let rest = text.slice('sqlite:'.length);
    if (rest === ':memory:' || rest === '//:memory:') return { dialect: 'sqlite', storage: ':memory:' };
    // Accept the URL-ish form too: sqlite:///abs/path and sqlite://./relative.
    if (rest.startsWith('//')) rest = rest.slice(2);
    if (rest === '') return `The SQLite URL names no file; expected ${URL_FORMS}`;
    if (rest.includes('?')) return 'The SQLite URL may not carry query parameters';
    return { dialect: 'sqlite', storage: path.resolve(process.cwd(), rest) };
  }
  if (/^(mysql|mariadb):\/\//i.test(text)) {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return `The MySQL URL is malformed; expected ${URL_FORMS}`;
    }
    if (parsed.hostname === '') return 'The MySQL URL names no host';
    const port = parsed.port === '' ? 3306 : Number(parsed.port);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) return `The MySQL URL has an invalid port: ${parsed.port}`;
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (database === '' || database.includes('/')) return 'The MySQL URL names no database (mysql://user:password@host:port/database)';
    if (parsed.username === '') return 'The MySQL URL names no user';
    return {
      dialect: 'mysql',
      host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
      port,
      username: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      database,
    };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1];
  return scheme === undefined
    ? `The database URL has no scheme; expected ${URL_FORMS}`
    : `Unsupported database scheme '${scheme}:'; expected ${URL_FORMS}`;
}

/** Validate a DATABASE_URL string without connecting; returns null if fine, else a human message. */
export function checkDatabaseUrl(url: string): string | null {
  const target = parseDatabaseUrl(url);
  return typeof target === 'string' ? target : null;
}

/** The URL with its password replaced by `***`, for logs and error messages. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^((?:mysql|mariadb):\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

/**
 * Opens the database and runs all pending migrations before resolving.
 *
 * `url` is `sqlite:./data/parley.sqlite` (relative to the working directory; the folder is
 * created), `sqlite::memory:` (a private database that lives until `close`), or
 * `mysql://user:pass@host:port/db` (MySQL 8 or MariaDB 10.11+, utf8mb4, pool of
 * {@link MYSQL_POOL_MAX}). Dates are stored in UTC on both.
 *
 * SQLite runs in WAL mode with `synchronous=NORMAL` (no fsync per commit: a power cut may lose
 * the last commits but never corrupts the file), `busy_timeout` {@link SQLITE_BUSY_TIMEOUT_MS}
 * and foreign keys on.
 *
 * Rejects with a `TypeError` for a malformed URL and with a ParleyError `UNAVAILABLE` when the
 * server cannot be reached.
 */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(url);
  if (typeof target === 'string') throw new TypeError(target);
  const log = options.logging;
  const now = options.now ?? (() => new Date());
  const common: Options = {
    logging: log === undefined ? false : (sql: string) => log(sql),
    benchmark: false,
    define: { freezeTableName: true },
  };
  const sequelize =
    target.dialect === 'sqlite'
      ? new Sequelize({
          ...common,
          dialect: 'sqlite',
          storage: target.storage,
          // Sequelize's SQLite driver shares one handle for everything outside transactions.
          pool: { max: 1, min: 0, idle: 10_000 },
        })
      : new Sequelize(target.database, target.username, target.password, {
          ...common,
          dialect: 'mysql',
          host: target.host,
          port: target.port,
          timezone: '+00:00',
          dialectOptions: { charset: 'utf8mb4', connectTimeout: 10_000 },
          define: { ...common.define, charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
          pool: { max: MYSQL_POOL_MAX, min: 0, idle: 10_000, acquire: 30_000 },
        });
  const dialect: Dialect = target.dialect;

  try {
    if (target.dialect === 'sqlite') configureSqliteConnections(sequelize, target.storage === ':memory:');
    await runMigrations(sequelize, dialect);
  } catch (e: unknown) {
    await sequelize.close().catch(() => undefined);
    if (e instanceof ConnectionError) {
      throw new ParleyError('UNAVAILABLE', `Cannot open the database at ${redactDatabaseUrl(url)}: ${e.message}`, { cause: e });
    }
    throw e;
  }

  const rooms = createRoomRepository({
    sequelize,
    dialect,
    rooms: defineRoomModel(sequelize),
    members: defineRoomMemberModel(sequelize),
    now,
  });
  const messages = createMessageRepository({ sequelize, dialect, messages: defineMessageModel(sequelize), now });
  let closed: Promise<void> | undefined;

  return Object.freeze({
    sequelize,
    dialect,
    rooms,
    messages,
    async ping() {
      try {
        await sequelize.query('SELECT 1', { type: QueryTypes.SELECT });
      } catch (e: unknown) {
        throw new ParleyError('UNAVAILABLE', 'The database is unreachable', { cause: e });
      }
    },
    close() {
      closed ??= sequelize.close();
      return closed;
    },
  });
}

interface SqliteHandle {
  exec(sql: string, callback: (error: Error | null) => void): void;
}

/**
 * Applies the pragmas to every SQLite handle Sequelize opens. Its SQLite driver keeps one handle
 * for ordinary queries but opens another per transaction, and never runs `afterConnect` hooks,
 * so wrap its `getConnection` on this instance. `journal_mode` is stored in the file;
 * `busy_timeout`, `synchronous` and `foreign_keys` belong to each handle.
 */
function configureSqliteConnections(sequelize: Sequelize, inMemory: boolean): void {
  const pragmas = [
    ...(inMemory ? [] : ['PRAGMA journal_mode = WAL', 'PRAGMA synchronous = NORMAL']),
    `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`,
    'PRAGMA foreign_keys = ON',
  ].join('; ');
  const manager = sequelize.connectionManager as unknown as { getConnection(options?: object): Promise<SqliteHandle> };
  const open = manager.getConnection.bind(manager);
  const configured = new WeakMap<SqliteHandle, Promise<void>>();
  manager.getConnection = async (options?: object): Promise<SqliteHandle> => {
    const handle = await open(options);
    let ready = configured.get(handle);
    if (ready === undefined) {
      ready = new Promise<void>((resolve, reject) => handle.exec(pragmas, (error) => (error ? reject(error) : resolve())));
      configured.set(handle, ready);
    }
    await ready;
    return handle;
  };
}

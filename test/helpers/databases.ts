import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';

/** The MySQL/MariaDB server the integration tests use. Its suites fail, never skip, when it is down. */
export function mysqlTestUrl(): string {
  return process.env['PARLEY_TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';
}

/** A connection URL for `database` on the test server. */
function urlFor(database: string): string {
  const url = new URL(mysqlTestUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs statements, in order, on one connection to `url` (a database URL). */
export async function runMysql(url: string, statements: readonly string[]): Promise<void> {
  const connection = await mysql.createConnection({ uri: url, charset: 'utf8mb4', timezone: 'Z' });
  try {
    for (const sql of statements) await connection.query(sql);
  } finally {
    await connection.end();
  }
}

/** Runs one query on `url` and returns its rows. */
export async function queryMysql<T>(url: string, sql: string, params: (string | number | null)[] = []): Promise<T[]> {
  const connection = await mysql.createConnection({ uri: url, charset: 'utf8mb4', timezone: 'Z', dateStrings: true });
  try {
    const [rows] = await connection.query(sql, params);
    return rows as T[];
  } finally {
    await connection.end();
  }
}

/**
 * Creates a database of its own on the test server, named `${prefix}_${pid}_${random}`, with
 * utf8mb4 / utf8mb4_unicode_ci. Rejects (and so fails the suite) when the server is unreachable.
 */
export async function createMysqlDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const safePrefix = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 30);
  const name = `${safePrefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await runMysql(mysqlTestUrl(), [`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`]);
  } catch (e: unknown) {
    throw mysqlUnreachable(e);
  }
  return {
    url: urlFor(name),
    drop: () => runMysql(mysqlTestUrl(), [`DROP DATABASE IF EXISTS \`${name}\``]),
  };
}

/** A `sqlite:` URL for a file in a fresh temporary folder; `cleanup` removes the folder. */
export function tempSqliteUrl(): { url: string; path: string; cleanup(): Promise<void> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-db-'));
  // A sub-folder that does not exist yet: openDatabase must create it.
  const file = path.join(dir, 'data', 'parley.sqlite');
  return {
    url: `sqlite:${file}`,
    path: file,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Why a MySQL suite failed to start, with what to do about it; never a reason to skip. */
export function mysqlUnreachable(cause: unknown): Error {
  const shown = mysqlTestUrl().replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  const why = cause instanceof Error ? cause.message || (cause as { code?: string }).code || cause.name : String(cause);
  return new Error(
    `MySQL/MariaDB at ${shown} is not usable (${why}). The MySQL suites fail rather than skip: ` +
      'start MariaDB (see README, "Testing") or point PARLEY_TEST_MYSQL_URL at a server where this user may CREATE DATABASE.',
    { cause },
  );
}

/** A throw-away database for one test server; `dispose` removes it. */
export interface TestDatabase {
  readonly url: string;
  dispose(): Promise<void>;
}

/** A database engine the server-level suites run against. */
export interface DatabaseBackend {
  readonly name: 'sqlite' | 'mysql';
  /** A fresh, empty database; `label` names it (MySQL) so a leftover can be traced to its suite. */
  create(label: string): Promise<TestDatabase>;
}

const SQLITE: DatabaseBackend = {
  name: 'sqlite',
  create: async () => {
    const file = tempSqliteUrl();
    return { url: file.url, dispose: file.cleanup };
  },
};

const MYSQL: DatabaseBackend = {
  name: 'mysql',
  create: async (label) => {
    const created = await createMysqlDatabase(`parley_${label}`);
    return { url: created.url, dispose: created.drop };
  },
};

/**
 * The engines a server-level suite runs against, for `describe.each(databaseBackends())`:
 * SQLite (a temp file) and MySQL (a database of its own on {@link mysqlTestUrl}, dropped after).
 * MySQL is always in the list: when it is down its suites fail, never skip.
 */
export function databaseBackends(): readonly DatabaseBackend[] {
  return [SQLITE, MYSQL];
}

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { DataTypes, QueryTypes } from 'sequelize';
import type { Sequelize, Transaction } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { RunnableMigration } from 'umzug';
import * as initial from './migrations/0001-initial.js';
import * as messageMutations from './migrations/0002-message-mutations.js';
import * as moderation from './migrations/0003-moderation.js';
import type { Dialect } from './row-values.js';

/** What every migration receives. */
export interface MigrationContext {
  readonly sequelize: Sequelize;
  readonly dialect: Dialect;
}

/** Table recording the names of executed migrations. */
export const MIGRATION_TABLE = 'parley_migrations';

/**
 * Every migration, in order. Listed here rather than globbed from disk so the list is the same
 * under tsx, vitest and a bundled build. A name is never reused or renamed once released.
 */
export const MIGRATIONS: readonly RunnableMigration<MigrationContext>[] = [
  { name: '0001-initial', up: initial.up },
  { name: '0002-message-mutations', up: messageMutations.up },
  { name: '0003-moderation', up: moderation.up },
];

/** An umzug instance over {@link MIGRATIONS}, recording progress in {@link MIGRATION_TABLE}. */
export function createMigrator(sequelize: Sequelize, dialect: Dialect): Umzug<MigrationContext> {
  return new Umzug<MigrationContext>({
    migrations: [...MIGRATIONS],
    context: { sequelize, dialect },
    storage: new SequelizeStorage({
      sequelize,
      modelName: 'ParleyMigration',
      tableName: MIGRATION_TABLE,
      columnType: DataTypes.STRING(190),
    }),
    logger: undefined,
  });
}

/** How long a starting server waits for another one's migrations, in milliseconds. */
const MIGRATION_LOCK_WAIT_MS = 120_000;

/**
 * Runs the pending migrations and resolves with their names. Servers that start at the same
 * moment take turns, so no migration runs twice: on MySQL through a named lock, on SQLite
 * through an exclusive transaction on a lock file beside the database (the database itself
 * cannot be locked: the migrations write to it on other handles).
 */
export async function runMigrations(sequelize: Sequelize, dialect: Dialect): Promise<string[]> {
  const migrator = createMigrator(sequelize, dialect);
  const up = async (): Promise<string[]> => (await migrator.up()).map((m) => m.name);
  if (dialect === 'sqlite') {
    const storage = (sequelize as unknown as { options: { storage?: string } }).options.storage;
    return storage === undefined || storage === ':memory:' ? up() : withSqliteLock(`${storage}.migrate-lock`, up);
  }

  // GET_LOCK belongs to a session, so hold one pooled connection (pinned by a transaction that
  // touches no table) for as long as the migrations run on the others.
  return sequelize.transaction(async (transaction: Transaction) => {
    const [row] = await sequelize.query<{ locked: number | string | null }>(
      "SELECT GET_LOCK(CONCAT('parley_migrate.', DATABASE()), 120) AS locked",
      { type: QueryTypes.SELECT, transaction },
    );
    if (Number(row?.locked) !== 1) throw new Error('Timed out waiting for another server to finish migrating the database');
    try {
      return await up();
    } finally {
      await sequelize.query("SELECT RELEASE_LOCK(CONCAT('parley_migrate.', DATABASE()))", { type: QueryTypes.SELECT, transaction });
    }
  });
}

function sqliteCall(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (e) => (e ? reject(e) : resolve())));
}

async function withSqliteLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(lockFile), { recursive: true });
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const handle = new sqlite3.Database(lockFile, (e) => (e ? reject(e) : resolve(handle)));
  });
  try {
    db.configure('busyTimeout', MIGRATION_LOCK_WAIT_MS);
    await sqliteCall(db, 'BEGIN EXCLUSIVE');
    try {
      return await work();
    } finally {
      await sqliteCall(db, 'COMMIT').catch(() => undefined);
    }
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

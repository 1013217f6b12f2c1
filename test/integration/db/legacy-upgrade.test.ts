import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../backend/db/database.js';
import { MIGRATIONS } from '../../../backend/db/migrate.js';
import type { Database } from '../../../backend/db/database.js';
import { createMysqlDatabase, queryMysql, runMysql, tempSqliteUrl } from '../../helpers/databases.js';

/**
 * The room table exactly as the legacy Spring chat's script creates it
 * (/work/shared/legacy-room-schema.sql). MariaDB has no utf8mb4_0900_ai_ci, so the MySQL run
 * substitutes utf8mb4_unicode_ci; everything else stays, AUTO_INCREMENT=7 included.
 */
const LEGACY_MYSQL_ROOM = `CREATE TABLE \`room\` (
  \`id\` int NOT NULL AUTO_INCREMENT,
  \`name\` varchar(100) NOT NULL,
  \`user_cnt\` varchar(100) NOT NULL DEFAULT '0',
  \`reg_date\` datetime NOT NULL,
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci`.replace('utf8mb4_0900_ai_ci', 'utf8mb4_unicode_ci');

/** The same table in SQLite; the sqlite_sequence row plays AUTO_INCREMENT=7. */
const LEGACY_SQLITE_ROOM = [
  `CREATE TABLE room (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name VARCHAR(100) NOT NULL,
  user_cnt VARCHAR(100) NOT NULL DEFAULT '0',
  reg_date DATETIME NOT NULL
)`,
  "INSERT INTO sqlite_sequence (name, seq) VALUES ('room', 6)",
];

const LEGACY_ROWS = [
  "INSERT INTO room (id, name, user_cnt, reg_date) VALUES (3, '공부방', '2', '2023-05-01 10:00:00')",
  // A count that drifted below zero when the legacy server missed a disconnect.
  "INSERT INTO room (id, name, user_cnt, reg_date) VALUES (5, 'lobby', '-1', '2023-06-02 11:22:33')",
];

interface Column {
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
}

interface LegacySetup {
  name: string;
  /** Creates a database holding the legacy table and rows; returns its URL. */
  prepare(ddl?: readonly string[]): Promise<{ url: string; dispose(): Promise<void> }>;
  columns(url: string): Promise<Column[]>;
  migrations(url: string): Promise<string[]>;
  rawUserCnt(url: string, id: number): Promise<string | undefined>;
}

function unquote(value: string | null): string | null {
  if (value === null || value === 'NULL') return null;
  return value.replace(/^'(.*)'$/, '$1');
}

function sqliteAll<T>(file: string, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const handle = new sqlite3.Database(file, (openError) => {
      if (openError) return reject(openError);
      handle.all(sql, (error: Error | null, rows: T[]) => {
        handle.close();
        if (error) reject(error);
        else resolve(rows);
      });
    });
  });
}

function sqliteExec(file: string, statements: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const handle = new sqlite3.Database(file, (openError) => {
      if (openError) return reject(openError);
      handle.exec(statements.join(';\n'), (error: Error | null) => {
        handle.close();
        if (error) reject(error);
        else resolve();
      });
    });
  });
}

const sqliteFiles = new Map<string, string>();

const setups: LegacySetup[] = [
  {
    name: 'MySQL',
    async prepare(ddl = [LEGACY_MYSQL_ROOM, ...LEGACY_ROWS]) {
      const created = await createMysqlDatabase('parley_legacy');
      await runMysql(created.url, ddl);
      return { url: created.url, dispose: created.drop };
    },
    async columns(url) {
      const rows = await queryMysql<{ name: string; type: string; nullable: string; dflt: string | null }>(
        url,
        `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'room' ORDER BY ORDINAL_POSITION`,
      );
      return rows.map((r) => ({ name: r.name, type: r.type.toLowerCase(), notNull: r.nullable === 'NO', default: unquote(r.dflt) }));
    },
    async migrations(url) {
      return (await queryMysql<{ name: string }>(url, 'SELECT name FROM parley_migrations ORDER BY name')).map((r) => r.name);
    },
    async rawUserCnt(url, id) {
      return (await queryMysql<{ user_cnt: string }>(url, 'SELECT user_cnt FROM room WHERE id = ?', [id]))[0]?.user_cnt;
    },
  },
  {
    name: 'SQLite',
    async prepare(ddl = [...LEGACY_SQLITE_ROOM, ...LEGACY_ROWS]) {
      const temp = tempSqliteUrl();
      mkdirSync(path.dirname(temp.path), { recursive: true });
      await sqliteExec(temp.path, ddl);
      sqliteFiles.set(temp.url, temp.path);
      return { url: temp.url, dispose: temp.cleanup };
    },
    async columns(url) {
      const rows = await sqliteAll<{ name: string; type: string; notnull: number; dflt_value: string | null }>(
        sqliteFiles.get(url) ?? '',
        'PRAGMA table_info(room)',
      );
      return rows.map((r) => ({ name: r.name, type: r.type.toLowerCase(), notNull: r.notnull === 1, default: unquote(r.dflt_value) }));
    },
    async migrations(url) {
      return (await sqliteAll<{ name: string }>(sqliteFiles.get(url) ?? '', 'SELECT name FROM parley_migrations ORDER BY name')).map((r) => r.name);
    },
    async rawUserCnt(url, id) {
      return (await sqliteAll<{ user_cnt: string }>(sqliteFiles.get(url) ?? '', `SELECT user_cnt FROM room WHERE id = ${id}`))[0]?.user_cnt;
    },
  },
];

describe.each(setups)('upgrading the legacy room table on $name', (setup) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function prepare(ddl?: readonly string[]): Promise<string> {
    const { url, dispose } = await setup.prepare(ddl);
    cleanups.push(dispose);
    return url;
  }

  async function open(url: string, logging?: (sql: string) => void): Promise<Database> {
    const db = await openDatabase(url, logging === undefined ? {} : { logging });
    cleanups.push(() => db.close());
    return db;
  }

  it('keeps the legacy rows and their ids, with the new columns defaulted', async () => {
    const url = await prepare();
    const db = await open(url);

    expect(await db.rooms.list()).toEqual([
      {
        id: 3,
        name: '공부방',
        kind: 'chat',
        maxUsers: 100,
        passwordHash: null,
        ownerId: null,
        userCount: 2,
        createdAt: new Date(Date.UTC(2023, 4, 1, 10, 0, 0)),
        updatedAt: null,
      },
      {
        id: 5,
        name: 'lobby',
        kind: 'chat',
        maxUsers: 100,
        passwordHash: null,
        ownerId: null,
        // '-1' drifted: nobody is there.
        userCount: 0,
        createdAt: new Date(Date.UTC(2023, 5, 2, 11, 22, 33)),
        updatedAt: null,
      },
    ]);
  });

  it('gives the final column layout: NOT NULL where required, defaults for added columns', async () => {
    const url = await prepare();
    await open(url);
    const columns = await setup.columns(url);
    const byName = Object.fromEntries(columns.map((c) => [c.name, c]));
    expect(columns.map((c) => c.name)).toEqual(['id', 'name', 'user_cnt', 'reg_date', 'kind', 'max_users', 'password_hash', 'owner_id', 'updated_at']);
    expect(byName['name']).toMatchObject({ notNull: true });
    expect(byName['user_cnt']).toMatchObject({ notNull: true, default: '0' });
    expect(byName['reg_date']).toMatchObject({ notNull: true });
    expect(byName['kind']).toMatchObject({ notNull: true, default: 'chat' });
    expect(byName['max_users']).toMatchObject({ notNull: true, default: '100' });
    expect(byName['password_hash']).toMatchObject({ notNull: false, default: null });
    expect(byName['owner_id']).toMatchObject({ notNull: false, default: null });
    expect(byName['updated_at']).toMatchObject({ notNull: false, default: null });
  });

  it('numbers new rooms after the legacy AUTO_INCREMENT and links messages and members to legacy rooms', async () => {
    const url = await prepare();
    const db = await open(url);
    const created = await db.rooms.create({ name: '새 방', kind: 'chat', maxUsers: 10, passwordHash: null, ownerId: 'u1' });
    expect(created.id).toBeGreaterThanOrEqual(7);

    await db.rooms.addMember(3, 'u1');
    const message = await db.messages.insert({ roomId: 3, seq: 1, type: 'text', senderId: 'u1', senderNickname: '김', text: '안녕', clientMsgId: null });
    expect(await db.messages.listAfter(3, 0, 5)).toEqual([message]);
    expect(await db.rooms.isMember(3, 'u1')).toBe(true);

    // Legacy readers still see the live count as text.
    await db.rooms.setUserCount(3, 4);
    expect(await setup.rawUserCnt(url, 3)).toBe('4');
    expect(await db.rooms.delete(3)).toBe(true);
    expect(await db.messages.lastSeq(3)).toBe(0);
  });

  it('records the migration and changes nothing when opened again', async () => {
    const url = await prepare();
    const first = await open(url);
    const before = await first.rooms.list();
    await first.close();
    expect(await setup.migrations(url)).toEqual(MIGRATIONS.map((m) => m.name));

    const statements: string[] = [];
    const second = await open(url, (sql) => statements.push(sql));
    expect(await second.rooms.list()).toEqual(before);
    expect(await setup.migrations(url)).toEqual(MIGRATIONS.map((m) => m.name));
    const schemaChanges = statements.filter((sql) => /\b(ALTER|DROP)\b|CREATE (TABLE|UNIQUE INDEX)[^(]*\b(room|message|room_member)\b/i.test(sql));
    expect(schemaChanges).toEqual([]);
    expect(statements.length).toBeGreaterThan(0);
  });

  it('refuses to alter a room table that is not the legacy one, and records nothing', async () => {
    const ddl =
      setup.name === 'MySQL'
        ? ['CREATE TABLE room (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, title VARCHAR(50)) DEFAULT CHARSET=utf8mb4']
        : ['CREATE TABLE room (id INTEGER PRIMARY KEY AUTOINCREMENT, title VARCHAR(50))'];
    const url = await prepare(ddl);
    await expect(openDatabase(url)).rejects.toThrow(/not the legacy chat's \(no column name, reg_date\)/);
    expect((await setup.columns(url)).map((c) => c.name)).toEqual(['id', 'title']);
  });
});

describe('upgrading a loosely declared legacy room table on MySQL', () => {
  it('fills NULL cells, tightens the columns to NOT NULL and converts the table to utf8mb4', async () => {
    const created = await createMysqlDatabase('parley_loose');
    try {
      await runMysql(created.url, [
        `CREATE TABLE room (id int NOT NULL AUTO_INCREMENT, name varchar(100), user_cnt varchar(100) DEFAULT '0', reg_date datetime,
         PRIMARY KEY (id)) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=latin1`,
        "INSERT INTO room (id, name, user_cnt, reg_date) VALUES (2, 'old', NULL, NULL)",
      ]);
      const db = await openDatabase(created.url);
      try {
        const [legacy] = await db.rooms.list();
        expect(legacy).toMatchObject({ id: 2, name: 'old', userCount: 0 });
        expect(legacy?.createdAt).toBeInstanceOf(Date);

        const korean = await db.rooms.create({ name: '공부방 😀', kind: 'chat', maxUsers: 5, passwordHash: null, ownerId: 'u' });
        expect(korean.id).toBe(7);
        expect((await db.rooms.get(korean.id))?.name).toBe('공부방 😀');

        const columns = await queryMysql<{ name: string; nullable: string; charset: string | null }>(
          created.url,
          `SELECT COLUMN_NAME AS name, IS_NULLABLE AS nullable, CHARACTER_SET_NAME AS charset
           FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'room' AND COLUMN_NAME IN ('name', 'user_cnt', 'reg_date')
           ORDER BY ORDINAL_POSITION`,
        );
        expect(columns).toEqual([
          { name: 'name', nullable: 'NO', charset: 'utf8mb4' },
          { name: 'user_cnt', nullable: 'NO', charset: 'utf8mb4' },
          { name: 'reg_date', nullable: 'NO', charset: null },
        ]);
      } finally {
        await db.close();
      }
    } finally {
      await created.drop();
    }
  });
});

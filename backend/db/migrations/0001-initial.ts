/**
 * Creates Parley's tables, or upgrades the `room` table of the legacy Spring chat in place
 * (see /work/shared/legacy-room-schema.sql): its rows and ids stay, missing columns are added
 * with defaults. Every step checks what exists first, so a run interrupted half-way (MySQL DDL
 * is not transactional) can simply run again.
 *
 * Irreversible: there is no `down`, because undoing it could drop a legacy table with its rows.
 */
import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize';
import type { MigrationFn } from 'umzug';
import type { MigrationContext } from '../migrate.js';
import { MESSAGE_CLIENT_ID_INDEX, MESSAGE_SEQ_INDEX } from '../models/message.js';
import type { Dialect } from '../row-values.js';

const MYSQL_TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
// Identifiers compare byte for byte: 'Abc' and 'abc' are different users and client ids.
const MYSQL_ID = 'CHARACTER SET utf8mb4 COLLATE utf8mb4_bin';

/** Columns Parley adds to a legacy room table, in order, with their definition per dialect. */
const ADDED_ROOM_COLUMNS: readonly { name: string; mysql: string; sqlite: string }[] = [
  { name: 'user_cnt', mysql: "VARCHAR(100) NOT NULL DEFAULT '0'", sqlite: "VARCHAR(100) NOT NULL DEFAULT '0'" },
  { name: 'kind', mysql: "VARCHAR(10) NOT NULL DEFAULT 'chat'", sqlite: "VARCHAR(10) NOT NULL DEFAULT 'chat'" },
  { name: 'max_users', mysql: 'INT NOT NULL DEFAULT 100', sqlite: 'INTEGER NOT NULL DEFAULT 100' },
  { name: 'password_hash', mysql: 'VARCHAR(255) NULL', sqlite: 'VARCHAR(255) NULL' },
  { name: 'owner_id', mysql: `VARCHAR(64) ${MYSQL_ID} NULL`, sqlite: 'VARCHAR(64) NULL' },
  { name: 'updated_at', mysql: 'DATETIME NULL', sqlite: 'DATETIME NULL' },
];

/** Columns a table must already have to be taken for the legacy room table. */
const LEGACY_ROOM_COLUMNS = ['id', 'name', 'reg_date'] as const;

const CREATE_ROOM: Record<Dialect, string> = {
  mysql: `CREATE TABLE \`room\` (
  \`id\` INT NOT NULL AUTO_INCREMENT,
  \`name\` VARCHAR(100) NOT NULL,
  \`user_cnt\` VARCHAR(100) NOT NULL DEFAULT '0',
  \`reg_date\` DATETIME NOT NULL,
  \`kind\` VARCHAR(10) NOT NULL DEFAULT 'chat',
  \`max_users\` INT NOT NULL DEFAULT 100,
  \`password_hash\` VARCHAR(255) NULL,
  \`owner_id\` VARCHAR(64) ${MYSQL_ID} NULL,
  \`updated_at\` DATETIME NULL,
  PRIMARY KEY (\`id\`)
) ${MYSQL_TABLE_OPTIONS}`,
  // AUTOINCREMENT: a deleted room's id is never handed out again, as with InnoDB.
  sqlite: `CREATE TABLE \`room\` (
  \`id\` INTEGER PRIMARY KEY AUTOINCREMENT,
  \`name\` VARCHAR(100) NOT NULL,
  \`user_cnt\` VARCHAR(100) NOT NULL DEFAULT '0',
  \`reg_date\` DATETIME NOT NULL,
  \`kind\` VARCHAR(10) NOT NULL DEFAULT 'chat',
  \`max_users\` INTEGER NOT NULL DEFAULT 100,
  \`password_hash\` VARCHAR(255) NULL,
  \`owner_id\` VARCHAR(64) NULL,
  \`updated_at\` DATETIME NULL
)`,
};

const CREATE_MESSAGE: Record<Dialect, string[]> = {
  mysql: [
    `CREATE TABLE IF NOT EXISTS \`message\` (
  \`id\` BIGINT NOT NULL AUTO_INCREMENT,
  \`room_id\` INT NOT NULL,
  \`seq\` BIGINT NOT NULL,
  \`type\` VARCHAR(10) NOT NULL,
  \`sender_id\` VARCHAR(64) ${MYSQL_ID} NOT NULL,
  \`sender_nickname\` VARCHAR(64) NOT NULL,
  \`text\` TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL,
  \`client_msg_id\` VARCHAR(64) ${MYSQL_ID} NULL,
  \`created_at\` DATETIME(3) NOT NULL,
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`${MESSAGE_SEQ_INDEX}\` (\`room_id\`, \`seq\`),
  UNIQUE KEY \`${MESSAGE_CLIENT_ID_INDEX}\` (\`room_id\`, \`sender_id\`, \`client_msg_id\`),
  CONSTRAINT \`message_room_fk\` FOREIGN KEY (\`room_id\`) REFERENCES \`room\` (\`id\`) ON DELETE CASCADE
) ${MYSQL_TABLE_OPTIONS}`,
  ],
  // INTEGER PRIMARY KEY is the rowid: the cheapest insert SQLite has.
  sqlite: [
    `CREATE TABLE IF NOT EXISTS \`message\` (
  \`id\` INTEGER PRIMARY KEY,
  \`room_id\` INTEGER NOT NULL REFERENCES \`room\` (\`id\`) ON DELETE CASCADE,
  \`seq\` INTEGER NOT NULL,
  \`type\` VARCHAR(10) NOT NULL,
  \`sender_id\` VARCHAR(64) NOT NULL,
  \`sender_nickname\` VARCHAR(64) NOT NULL,
  \`text\` TEXT NOT NULL,
  \`client_msg_id\` VARCHAR(64) NULL,
  \`created_at\` DATETIME NOT NULL
)`,
    `CREATE UNIQUE INDEX IF NOT EXISTS \`${MESSAGE_SEQ_INDEX}\` ON \`message\` (\`room_id\`, \`seq\`)`,
    `CREATE UNIQUE INDEX IF NOT EXISTS \`${MESSAGE_CLIENT_ID_INDEX}\` ON \`message\` (\`room_id\`, \`sender_id\`, \`client_msg_id\`)`,
  ],
};

const CREATE_ROOM_MEMBER: Record<Dialect, string> = {
  mysql: `CREATE TABLE IF NOT EXISTS \`room_member\` (
  \`room_id\` INT NOT NULL,
  \`user_id\` VARCHAR(64) ${MYSQL_ID} NOT NULL,
  \`joined_at\` DATETIME NOT NULL,
  PRIMARY KEY (\`room_id\`, \`user_id\`),
  CONSTRAINT \`room_member_room_fk\` FOREIGN KEY (\`room_id\`) REFERENCES \`room\` (\`id\`) ON DELETE CASCADE
) ${MYSQL_TABLE_OPTIONS}`,
  sqlite: `CREATE TABLE IF NOT EXISTS \`room_member\` (
  \`room_id\` INTEGER NOT NULL REFERENCES \`room\` (\`id\`) ON DELETE CASCADE,
  \`user_id\` VARCHAR(64) NOT NULL,
  \`joined_at\` DATETIME NOT NULL,
  PRIMARY KEY (\`room_id\`, \`user_id\`)
) WITHOUT ROWID`,
};

export const up: MigrationFn<MigrationContext> = async ({ context: { sequelize, dialect } }) => {
  if (await sequelize.getQueryInterface().tableExists('room')) {
    await upgradeLegacyRoom(sequelize, dialect);
  } else {
    await sequelize.query(CREATE_ROOM[dialect]);
  }
  for (const sql of CREATE_MESSAGE[dialect]) await sequelize.query(sql);
  await sequelize.query(CREATE_ROOM_MEMBER[dialect]);
};

interface ColumnInfo {
  type: string;
  allowNull: boolean;
  primaryKey: boolean;
}

async function upgradeLegacyRoom(sequelize: Sequelize, dialect: Dialect): Promise<void> {
  const columns = (await sequelize.getQueryInterface().describeTable('room')) as unknown as Record<string, ColumnInfo>;
  const missing = LEGACY_ROOM_COLUMNS.filter((c) => !(c in columns));
  if (missing.length > 0) {
    throw new Error(`A "room" table exists but is not the legacy chat's (no column ${missing.join(', ')}); refusing to alter it`);
  }
  const id = columns['id'];
  if (dialect === 'sqlite' && !(id?.primaryKey && id.type.toUpperCase() === 'INTEGER')) {
    // Only INTEGER PRIMARY KEY is a rowid alias that numbers new rows by itself.
    throw new Error('The existing "room" table has no INTEGER PRIMARY KEY id; refusing to alter it');
  }

  if (dialect === 'mysql') await prepareLegacyMysqlRoom(sequelize, columns);

  const toAdd = ADDED_ROOM_COLUMNS.filter((c) => !(c.name in columns));
  if (toAdd.length === 0) return;
  if (dialect === 'mysql') {
    // One statement: one table rebuild at most.
    await sequelize.query(`ALTER TABLE \`room\` ${toAdd.map((c) => `ADD COLUMN \`${c.name}\` ${c.mysql}`).join(', ')}`);
  } else {
    // SQLite adds one column per statement; a NOT NULL column needs (and has) a default.
    for (const c of toAdd) await sequelize.query(`ALTER TABLE \`room\` ADD COLUMN \`${c.name}\` ${c.sqlite}`);
  }
}

/**
 * MySQL-only repairs of a legacy table: foreign keys need InnoDB, Korean and emoji need
 * utf8mb4, and columns the legacy script may have left nullable become NOT NULL (after giving
 * NULL cells a value). SQLite cannot change a column's nullability in place, and its "legacy"
 * tables are only ever made from the same DDL, so it is left alone there.
 */
async function prepareLegacyMysqlRoom(sequelize: Sequelize, columns: Record<string, ColumnInfo>): Promise<void> {
  const [table] = await sequelize.query<{ engine: string | null; collation: string | null }>(
    "SELECT ENGINE AS engine, TABLE_COLLATION AS collation FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'room'",
    { type: QueryTypes.SELECT },
  );
  if (table?.engine !== null && table?.engine !== undefined && table.engine.toLowerCase() !== 'innodb') {
    await sequelize.query('ALTER TABLE `room` ENGINE=InnoDB');
  }
  if (!table?.collation?.toLowerCase().startsWith('utf8mb4')) {
    await sequelize.query('ALTER TABLE `room` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
  }

  const tighten: { name: string; fill: string; definition: string }[] = [
    { name: 'name', fill: "''", definition: 'VARCHAR(100) NOT NULL' },
    { name: 'user_cnt', fill: "'0'", definition: "VARCHAR(100) NOT NULL DEFAULT '0'" },
    { name: 'reg_date', fill: 'UTC_TIMESTAMP()', definition: 'DATETIME NOT NULL' },
  ];
  const nullable = tighten.filter((c) => columns[c.name]?.allowNull === true);
  for (const c of nullable) {
    await sequelize.query(`UPDATE \`room\` SET \`${c.name}\` = ${c.fill} WHERE \`${c.name}\` IS NULL`);
  }
  if (nullable.length > 0) {
    await sequelize.query(`ALTER TABLE \`room\` ${nullable.map((c) => `MODIFY COLUMN \`${c.name}\` ${c.definition}`).join(', ')}`);
  }
}

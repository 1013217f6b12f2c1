/**
 * Room moderation (issue 10): who moderates a room (`room_moderators`) and its bans and mutes
 * (`room_restrictions`). Both cascade with their room. Also widens the user-id columns of
 * `room_member`, `room.owner_id` and `message.sender_id` to 66 characters on MySQL: host user ids are `h_<sub>` with a
 * `sub` of up to 64 (SQLite does not enforce VARCHAR lengths). Every step can run again after an
 * interruption (MySQL DDL is not transactional).
 */
import type { MigrationFn } from 'umzug';
import type { MigrationContext } from '../migrate.js';
import type { Dialect } from '../row-values.js';

const MYSQL_TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
// Identifiers compare byte for byte, as in 0001-initial.
const MYSQL_ID = 'CHARACTER SET utf8mb4 COLLATE utf8mb4_bin';

const CREATE: Record<Dialect, string[]> = {
  mysql: [
    `CREATE TABLE IF NOT EXISTS \`room_moderators\` (
  \`room_id\` INT NOT NULL,
  \`user_id\` VARCHAR(66) ${MYSQL_ID} NOT NULL,
  \`created_at\` DATETIME(3) NOT NULL,
  PRIMARY KEY (\`room_id\`, \`user_id\`),
  CONSTRAINT \`room_moderators_room_fk\` FOREIGN KEY (\`room_id\`) REFERENCES \`room\` (\`id\`) ON DELETE CASCADE
) ${MYSQL_TABLE_OPTIONS}`,
    // One row per (room, user, kind): a new ban or mute replaces the old one. `until` NULL: no end.
    `CREATE TABLE IF NOT EXISTS \`room_restrictions\` (
  \`room_id\` INT NOT NULL,
  \`user_id\` VARCHAR(66) ${MYSQL_ID} NOT NULL,
  \`kind\` VARCHAR(8) NOT NULL,
  \`until\` DATETIME(3) NULL,
  \`by_id\` VARCHAR(66) ${MYSQL_ID} NOT NULL,
  \`created_at\` DATETIME(3) NOT NULL,
  PRIMARY KEY (\`room_id\`, \`kind\`, \`user_id\`),
  CONSTRAINT \`room_restrictions_room_fk\` FOREIGN KEY (\`room_id\`) REFERENCES \`room\` (\`id\`) ON DELETE CASCADE
) ${MYSQL_TABLE_OPTIONS}`,
    `ALTER TABLE \`room_member\` MODIFY COLUMN \`user_id\` VARCHAR(66) ${MYSQL_ID} NOT NULL`,
    `ALTER TABLE \`room\` MODIFY COLUMN \`owner_id\` VARCHAR(66) ${MYSQL_ID} NULL`,
    `ALTER TABLE \`message\` MODIFY COLUMN \`sender_id\` VARCHAR(66) ${MYSQL_ID} NOT NULL`,
  ],
  sqlite: [
    `CREATE TABLE IF NOT EXISTS \`room_moderators\` (
  \`room_id\` INTEGER NOT NULL REFERENCES \`room\` (\`id\`) ON DELETE CASCADE,
  \`user_id\` VARCHAR(66) NOT NULL,
  \`created_at\` DATETIME NOT NULL,
  PRIMARY KEY (\`room_id\`, \`user_id\`)
) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS \`room_restrictions\` (
  \`room_id\` INTEGER NOT NULL REFERENCES \`room\` (\`id\`) ON DELETE CASCADE,
  \`user_id\` VARCHAR(66) NOT NULL,
  \`kind\` VARCHAR(8) NOT NULL,
  \`until\` DATETIME NULL,
  \`by_id\` VARCHAR(66) NOT NULL,
  \`created_at\` DATETIME NOT NULL,
  PRIMARY KEY (\`room_id\`, \`kind\`, \`user_id\`)
) WITHOUT ROWID`,
  ],
};

export const up: MigrationFn<MigrationContext> = async ({ context: { sequelize, dialect } }) => {
  for (const sql of CREATE[dialect]) await sequelize.query(sql);
};

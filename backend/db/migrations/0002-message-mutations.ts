/**
 * Edits and deletes (issue 10) as entries of the room's stream: a mutation is a `message` row of
 * type `edit` or `delete` that names its target by `target_seq`, so it takes its seq from the same
 * unique (room_id, seq) key as a message and every reader of a seq range (resume, history, a
 * receiving instance filling a gap) gets both kinds in one ordered read. The target row itself
 * changes in place: `edited_at` after an edit, `deleted` (with its text emptied) after a delete.
 *
 * Every step checks what exists first, so a run interrupted half-way (MySQL DDL is not
 * transactional) can simply run again. Additive only: there is no `down`.
 */
import type { MigrationFn } from 'umzug';
import type { MigrationContext } from '../migrate.js';
import { MESSAGE_TARGET_INDEX } from '../models/message.js';

const COLUMNS: readonly { name: string; mysql: string; sqlite: string }[] = [
  { name: 'target_seq', mysql: 'BIGINT NULL', sqlite: 'INTEGER NULL' },
  { name: 'edited_at', mysql: 'DATETIME(3) NULL', sqlite: 'DATETIME NULL' },
  { name: 'deleted', mysql: 'TINYINT(1) NOT NULL DEFAULT 0', sqlite: 'INTEGER NOT NULL DEFAULT 0' },
];

export const up: MigrationFn<MigrationContext> = async ({ context: { sequelize, dialect } }) => {
  const qi = sequelize.getQueryInterface();
  const existing = await qi.describeTable('message');
  const toAdd = COLUMNS.filter((c) => !(c.name in existing));
  if (toAdd.length > 0) {
    if (dialect === 'mysql') {
      // One statement: one table rebuild at most on a big message table.
      await sequelize.query(`ALTER TABLE \`message\` ${toAdd.map((c) => `ADD COLUMN \`${c.name}\` ${c.mysql}`).join(', ')}`);
    } else {
      for (const c of toAdd) await sequelize.query(`ALTER TABLE \`message\` ADD COLUMN \`${c.name}\` ${c.sqlite}`);
    }
  }
  // The last edit of a message (a retried PATCH answers it again) is found through this index.
  const indexes = (await qi.showIndex('message')) as { name: string }[];
  if (!indexes.some((i) => i.name === MESSAGE_TARGET_INDEX)) {
    await sequelize.query(`CREATE INDEX \`${MESSAGE_TARGET_INDEX}\` ON \`message\` (\`room_id\`, \`target_seq\`)`);
  }
};

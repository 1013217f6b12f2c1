import { afterAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { openDatabase, type Database } from '../../../backend/db/database.js';
import { MIGRATIONS, MIGRATION_TABLE } from '../../../backend/db/migrate.js';
import { createMysqlDatabase, tempSqliteUrl } from '../../helpers/databases.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe.each(['sqlite', 'mysql'] as const)('instances starting at the same moment on an empty database (%s)', (dialect) => {
  it('run each migration once and all come up', async () => {
    let url: string;
    if (dialect === 'sqlite') {
      const s = tempSqliteUrl();
      url = s.url;
      cleanups.push(s.cleanup);
    } else {
      const m = await createMysqlDatabase('cluster_migrate');
      url = m.url;
      cleanups.push(m.drop);
    }
    const opened = await Promise.allSettled([0, 1, 2, 3].map(() => openDatabase(url)));
    const dbs = opened.filter((r): r is PromiseFulfilledResult<Database> => r.status === 'fulfilled').map((r) => r.value);
    try {
      expect(opened.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      const rows = await dbs[0]!.sequelize.query<{ name: string }>(`SELECT name FROM ${MIGRATION_TABLE}`, { type: QueryTypes.SELECT });
      expect(rows.map((r) => r.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
      // Every instance can write.
      const rooms = await Promise.all(dbs.map((d, i) => d.rooms.create({ name: `r${i}`, kind: 'chat', maxUsers: 10, passwordHash: null, ownerId: 'u' })));
      expect(new Set(rooms.map((r) => r.id)).size).toBe(dbs.length);
    } finally {
      for (const d of dbs) await d.close();
    }
  });
});

/**
 * Times sequential `messages.insert` calls (the message hot path) on a SQLite file and on MySQL.
 *
 *   npx tsx scripts/bench-db.ts [count]
 *
 * MySQL: PARLEY_BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306/test) names a server on
 * which a throw-away database is created and dropped. Set PARLEY_BENCH_SKIP_MYSQL=1 to skip it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { openDatabase } from '../backend/db/database.js';
import type { Database } from '../backend/db/database.js';

const COUNT = Number(process.argv[2] ?? 2000);
const WARM_UP = 200;

async function timeInserts(db: Database, label: string): Promise<void> {
  const room = await db.rooms.create({ name: 'bench', kind: 'chat', maxUsers: 100, passwordHash: null, ownerId: 'bench' });
  // Warm-up: lets the JIT settle and MySQL cache the prepared statement.
  for (let seq = 1; seq <= WARM_UP; seq++) {
    await db.messages.insert({ roomId: room.id, seq, type: 'text', senderId: 'u1', senderNickname: '벤치', text: 'warm-up', clientMsgId: `w-${seq}` });
  }
  const start = process.hrtime.bigint();
  for (let i = 1; i <= COUNT; i++) {
    const seq = WARM_UP + i;
    await db.messages.insert({
      roomId: room.id,
      seq,
      type: 'text',
      senderId: `u${i % 7}`,
      senderNickname: '벤치 사용자',
      text: `메시지 ${i} — hello 👋`,
      clientMsgId: `c-${seq}`,
    });
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if ((await db.messages.lastSeq(room.id)) !== WARM_UP + COUNT) throw new Error(`${label}: not every insert landed`);
  console.log(`${label.padEnd(36)} ${COUNT} inserts in ${ms.toFixed(0).padStart(6)} ms = ${Math.round((COUNT / ms) * 1000).toString().padStart(6)} inserts/s`);
}

async function benchSqlite(synchronous: 'NORMAL' | 'FULL'): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-'));
  try {
    const db = await openDatabase(`sqlite:${path.join(dir, 'bench.sqlite')}`);
    try {
      // The handle outside transactions is the one inserts use, so this applies to all of them.
      if (synchronous === 'FULL') await db.sequelize.query('PRAGMA synchronous = FULL');
      await timeInserts(db, `SQLite file (WAL, synchronous=${synchronous})`);
    } finally {
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchMysql(): Promise<void> {
  const base = process.env['PARLEY_BENCH_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';
  const name = `parley_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = await mysql.createConnection({ uri: base });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  try {
    const url = new URL(base);
    url.pathname = `/${name}`;
    const db = await openDatabase(url.toString());
    try {
      const [[version]] = (await db.sequelize.query('SELECT VERSION() AS v')) as unknown as [[{ v: string }]];
      await timeInserts(db, `MySQL (${version.v.split('-').slice(0, 2).join('-')})`);
    } finally {
      await db.close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

await benchSqlite('NORMAL');
await benchSqlite('FULL');
if (process.env['PARLEY_BENCH_SKIP_MYSQL'] !== '1') await benchMysql();

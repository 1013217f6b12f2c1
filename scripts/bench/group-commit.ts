// Cross-room group commit, on the repository alone (issue 12): stores one message in each of
// `rooms` rooms, `rounds` times, first one INSERT per room (what 1,000 busy rooms cost before:
// every room's lane committed its own write) and then one multi-room INSERT per round
// (`insertRooms`, what GroupCommit issues when the rooms' writes meet in one turn).
//   npx tsx scripts/bench/group-commit.ts [--rooms 1000] [--rounds 5] [--mysql mysql://root@127.0.0.1:3306/test]
// SQLite is a temp file in WAL mode (as the server opens it); --mysql creates and drops a database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { openDatabase, type Database } from '../../backend/db/database.js';
import type { NewMessage } from '../../backend/messages/message-repository.js';

const { values } = parseArgs({ options: { rooms: { type: 'string', default: '1000' }, rounds: { type: 'string', default: '5' }, mysql: { type: 'string' } } });
const ROOMS = Number(values.rooms);
const ROUNDS = Number(values.rounds);

const row = (roomId: number, seq: number): NewMessage => ({ roomId, seq, type: 'text', senderId: 'u1', senderNickname: 'bench', text: `message ${seq} of room ${roomId} — 150 bytes or so of chat text, padded to look like a real one.`, clientMsgId: `c-${seq}` });

async function run(db: Database, label: string): Promise<void> {
  const rooms: number[] = [];
  for (let i = 0; i < ROOMS * 2; i++) rooms.push((await db.rooms.create({ name: `gc ${i}`, kind: 'chat', maxUsers: 100, passwordHash: null, ownerId: 'bench' })).id);
  const alone = rooms.slice(0, ROOMS);
  const together = rooms.slice(ROOMS);
  let start = process.hrtime.bigint();
  for (let seq = 1; seq <= ROUNDS; seq++) await Promise.all(alone.map((roomId) => db.messages.insert(row(roomId, seq))));
  const aloneMs = Number(process.hrtime.bigint() - start) / 1e6;
  start = process.hrtime.bigint();
  for (let seq = 1; seq <= ROUNDS; seq++) await db.messages.insertRooms(together.map((roomId) => [row(roomId, seq)]));
  const togetherMs = Number(process.hrtime.bigint() - start) / 1e6;
  for (const roomId of [...alone, ...together]) if ((await db.messages.lastSeq(roomId)) !== ROUNDS) throw new Error(`${label}: room ${roomId} is missing messages`);
  const rate = (ms: number): string => Math.round((ROOMS * ROUNDS) / (ms / 1000)).toLocaleString('en');
  console.log(`${label}: ${ROOMS} rooms × ${ROUNDS} rounds — one INSERT per room ${rate(aloneMs)} msg/s; one INSERT per round ${rate(togetherMs)} msg/s (${(aloneMs / togetherMs).toFixed(1)}×)`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-gc-'));
  try {
    const db = await openDatabase(`sqlite:${path.join(dir, 'bench.sqlite')}`);
    await run(db, 'SQLite');
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (values.mysql === undefined) return;
  const name = `bench_gc_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({ uri: values.mysql });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  try {
    const url = new URL(values.mysql);
    url.pathname = `/${name}`;
    const db = await openDatabase(url.toString());
    await run(db, 'MySQL');
    await db.close();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

void main();

// Benchmarks for the closing notes: messages/s stored and broadcast with one sender (SQLite and
// MySQL), and the server's RSS with 1,000 idle connections. Runs the server as its own process.
//   npx tsx scripts/bench.ts [--messages 5000] [--idle 1000] [--mysql mysql://root@127.0.0.1:3306/test]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { RawStomp } from '../test/helpers/raw-stomp.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '5000' },
    idle: { type: 'string', default: '1000' },
    mysql: { type: 'string', default: process.env['PARLEY_TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test' },
  },
});
const MESSAGES = Number(values.messages);
const IDLE = Number(values.idle);
const ROOT = new URL('..', import.meta.url).pathname;

async function startServer(databaseUrl: string, dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  // `node --import tsx` rather than the tsx CLI: the CLI runs the server in a child process, and
  // the RSS we read must be the server's own.
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, DATA_DIR: dataDir, RATE_LIMIT_PER_S: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"port":(\d+)/.exec(out);
      if (m !== null) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, port };
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

async function guest(base: string, nickname: string): Promise<string> {
  const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nickname }) });
  return ((await res.json()) as { token: string }).token;
}

async function throughput(label: string, databaseUrl: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
  const { child, port } = await startServer(databaseUrl, dir);
  const base = `http://127.0.0.1:${port}`;
  try {
    const token = await guest(base, 'sender');
    const roomRes = await fetch(`${base}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ name: 'bench' }) });
    const room = (await roomRes.json()) as { id: number };
    const sender = await RawStomp.ws(`ws://127.0.0.1:${port}/ws`);
    await sender.connect(token);
    const readerToken = await guest(base, 'reader');
    const reader = await RawStomp.ws(`ws://127.0.0.1:${port}/ws`);
    await reader.connect(readerToken);
    for (const peer of [sender, reader]) {
      peer.send('SEND', { destination: `/app/rooms/${room.id}/join`, receipt: 'j' }, '');
      await peer.receipt('j');
      peer.send('SUBSCRIBE', { destination: `/topic/rooms/${room.id}`, id: 's', receipt: 'sub' });
      await peer.receipt('sub');
    }
    const firstSeq = 3; // two enter messages came first
    let received = 0;
    const done = new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        received += reader.frames.filter((f) => f.headers.get('x-type') === 'message' && Number(f.headers.get('x-seq')) >= firstSeq).length;
        reader.frames.length = 0;
        sender.frames.length = 0;
        if (received >= MESSAGES) {
          clearInterval(tick);
          resolve();
        }
      }, 5);
    });
    const t0 = performance.now();
    for (let i = 0; i < MESSAGES; i++) {
      sender.send('SEND', { destination: `/app/rooms/${room.id}/messages`, receipt: `m${i}` }, JSON.stringify({ text: `message ${i} 안녕하세요`, clientMsgId: `c${i}` }));
    }
    await done;
    const seconds = (performance.now() - t0) / 1000;
    console.log(`${label}: ${MESSAGES} messages stored and broadcast in ${seconds.toFixed(2)} s = ${Math.round(MESSAGES / seconds)} msg/s (one sender, pipelined, one subscriber)`);
    sender.close();
    reader.close();
  } finally {
    await stopServer(child);
    await rm(dir, { recursive: true, force: true });
  }
}

async function idleConnections(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
  const { child, port } = await startServer(`sqlite:${join(dir, 'p.sqlite')}`, dir);
  const base = `http://127.0.0.1:${port}`;
  try {
    const token = await guest(base, 'idle');
    await new Promise((r) => setTimeout(r, 500));
    const before = await rssKiB(child.pid!);
    const peers: RawStomp[] = [];
    for (let i = 0; i < IDLE; i += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, IDLE - i) }, async () => {
        const p = await RawStomp.ws(`ws://127.0.0.1:${port}/ws`);
        await p.connect(token);
        p.send('SUBSCRIBE', { destination: '/user/queue/errors', id: 'e' });
        p.send('SUBSCRIBE', { destination: '/topic/lobby', id: 'l' });
        return p;
      }));
      peers.push(...batch);
    }
    await new Promise((r) => setTimeout(r, 2000));
    const after = await rssKiB(child.pid!);
    console.log(`idle: server RSS ${Math.round(before / 1024)} MiB before, ${Math.round(after / 1024)} MiB with ${IDLE} idle STOMP connections (each with 2 subscriptions) = ${((after - before) / IDLE).toFixed(1)} KiB per connection`);
    for (const p of peers) p.close();
  } finally {
    await stopServer(child);
    await rm(dir, { recursive: true, force: true });
  }
}

async function freshMysql(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `parley_bench_${process.pid}`;
  const conn = await mysql.createConnection(url);
  await conn.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = await mysql.createConnection(url);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

const sqliteDir = await mkdtemp(join(tmpdir(), 'parley-bench-db-'));
await throughput('SQLite (file, WAL)', `sqlite:${join(sqliteDir, 'bench.sqlite')}`);
await rm(sqliteDir, { recursive: true, force: true });
const db = await freshMysql(values.mysql);
try {
  await throughput('MySQL (MariaDB 10.11, loopback)', db.url);
} finally {
  await db.drop();
}
await idleConnections();

// The server side of scripts/bench/memory.ts: a Parley app in this process (SQLite in a temp
// folder, limits off), listening on port 0. Started with --expose-gc under tsx; answers IPC
// `measure` with process.memoryUsage() after two full collections, and `snapshot` with the path
// of a heap snapshot written to the temp folder (for a look in Chrome DevTools).
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { pino } from 'pino';
import { createApp } from '../../backend/app.js';
import { loadConfig } from '../../backend/config.js';
import { openDatabase } from '../../backend/db/database.js';
import { LIMITS_OFF_ENV } from '../../backend/limits/limits-off.js';

type Request = { kind: 'measure' | 'snapshot' | 'stop' };

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined || process.send === undefined) throw new Error('run by scripts/bench/memory.ts (needs --expose-gc and IPC)');
  const dir = await mkdtemp(join(tmpdir(), 'parley-mem-'));
  const config = loadConfig({
    ...LIMITS_OFF_ENV,
    LOG_LEVEL: 'silent',
    DATABASE_URL: `sqlite:${join(dir, 'parley.sqlite')}`,
    AUTH_SECRET: 'memory-bench-secret-memory-bench-secret-0123',
    PORT: '0',
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('PARLEY_MEM_ENV_')).map(([k, v]) => [k.slice('PARLEY_MEM_ENV_'.length), v ?? ''])),
  });
  const database = await openDatabase(config.databaseUrl);
  const app = createApp({ config, database, logger: pino({ level: 'silent' }), authSecret: config.authSecret! });
  app.http.listen(0, '127.0.0.1');
  await once(app.http, 'listening');
  const address = app.http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let snapshots = false;
  process.on('message', (m: Request) => {
    if (m.kind === 'measure') {
      gc();
      gc();
      process.send!({ kind: 'memory', usage: process.memoryUsage() });
    } else if (m.kind === 'snapshot') {
      gc();
      snapshots = true;
      process.send!({ kind: 'snapshot', path: writeHeapSnapshot(join(dir, `heap-${Date.now()}.heapsnapshot`)) });
    } else {
      // The folder stays when it holds snapshots someone asked for.
      void app
        .shutdown()
        .then(() => database.close())
        .then(() => (snapshots ? undefined : rm(dir, { recursive: true, force: true })))
        .then(() => process.exit(0));
    }
  });
  process.send({ kind: 'ready', port });
}

void main();

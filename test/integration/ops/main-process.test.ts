import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKEND_MAIN, buildBackend } from '../../../scripts/build-backend.mjs';

const ROOT = new URL('../../../', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');

interface Run {
  code: Promise<number | null>;
  output: () => string;
  kill: (signal: NodeJS.Signals) => void;
  port: Promise<number>;
}

/** `tsx backend/main.ts` (development) or `node dist/backend/main.js` (what `npm start` runs). */
function runMain(env: Record<string, string>, command: readonly [string, ...string[]] = [TSX, 'backend/main.ts']): Run {
  const [bin, ...args] = command;
  const child = spawn(bin, args, { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let resolvePort!: (p: number) => void;
  const port = new Promise<number>((r) => (resolvePort = r));
  const onData = (d: Buffer): void => {
    out += d.toString();
    const m = /"port":(\d+)/.exec(out);
    if (m !== null) resolvePort(Number(m[1]));
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return {
    code: new Promise((r) => child.on('exit', (c) => r(c))),
    output: () => out,
    kill: (s) => child.kill(s),
    port,
  };
}

describe('the server process', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('refuses to start on an invalid DATABASE_URL, naming the variable', async () => {
    const run = runMain({ DATABASE_URL: 'postgres://nope', PORT: '0' });
    expect(await run.code).toBe(2);
    expect(run.output()).toContain('DATABASE_URL');
  });

  it('starts with a generated secret under DATA_DIR, serves, and exits 0 on SIGTERM', async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-main-'));
    const run = runMain({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'db', 'parley.sqlite')}` });
    const port = await run.port;
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    const demo = await fetch(`http://127.0.0.1:${port}/`);
    expect(demo.status).toBe(200);
    expect(await demo.text()).toContain('<html');
    expect((await readFile(join(dir, 'auth-secret'), 'utf8')).trim().length).toBeGreaterThanOrEqual(32);
    run.kill('SIGTERM');
    expect(await run.code).toBe(0);
  });

  it('runs as compiled JavaScript from dist/backend and still finds the demo, the vendor bundle and SQLite', async () => {
    await buildBackend();
    dir = await mkdtemp(join(tmpdir(), 'parley-main-'));
    const run = runMain({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'parley.sqlite')}` }, [process.execPath, BACKEND_MAIN]);
    const port = await run.port;
    const demo = await fetch(`http://127.0.0.1:${port}/`);
    expect(await demo.text()).toContain('<html');
    expect((await fetch(`http://127.0.0.1:${port}/vendor/stomp.umd.min.js`)).status).toBe(200);
    const guest = await fetch(`http://127.0.0.1:${port}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"nickname":"compiled"}' });
    expect(guest.status).toBe(201);
    run.kill('SIGTERM');
    expect(await run.code).toBe(0);
  });
});

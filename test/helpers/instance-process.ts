import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { NO_ABUSE_LIMITS, TEST_SECRET } from './server.js';

const ROOT = new URL('../../', import.meta.url).pathname;

/** One backend as its own process (`node --import tsx backend/main.ts`), so a test can `kill -9` it. */
export interface InstanceProcess {
  readonly port: number;
  readonly url: string;
  /** SIGKILL: no shutdown, no cleanup, as if the machine died. */
  kill(): Promise<void>;
  /** Starts it again on the same port; resolves once `/healthz` answers. */
  start(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** Its stdout and stderr so far (for a failing test's message). */
  output(): string;
}

/** `env` is added to a test baseline (silent logs, no rate limit, the test secret); `port` must be free. */
export function instanceProcess(port: number, env: Record<string, string>): InstanceProcess {
  let child: ChildProcess | undefined;
  let out = '';
  const url = `http://127.0.0.1:${port}`;
  const exited = async (c: ChildProcess): Promise<void> => {
    if (c.exitCode === null && c.signalCode === null) await once(c, 'exit');
  };
  return {
    port,
    url,
    output: () => out,
    async start() {
      const c = spawn(process.execPath, ['--import', 'tsx', 'backend/main.ts'], {
        cwd: ROOT,
        env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', RATE_LIMIT_PER_S: '0', ...NO_ABUSE_LIMITS, AUTH_SECRET: TEST_SECRET, HOST: '127.0.0.1', ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      const keep = (d: Buffer): void => {
        out = (out + d.toString()).slice(-20_000);
      };
      c.stdout!.on('data', keep);
      c.stderr!.on('data', keep);
      const end = Date.now() + 60_000;
      for (;;) {
        if (c.exitCode !== null) throw new Error(`instance on ${port} exited with ${c.exitCode}: ${out}`);
        try {
          if ((await fetch(`${url}/healthz`)).status === 200) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > end) throw new Error(`instance on ${port} did not start: ${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill() {
      const c = child;
      child = undefined;
      if (c === undefined) return;
      c.kill('SIGKILL');
      await exited(c);
    },
    async stop() {
      const c = child;
      child = undefined;
      if (c === undefined) return;
      c.kill('SIGTERM');
      await exited(c);
    },
  };
}

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TurnServer {
  /** `turn:127.0.0.1:PORT?transport=udp` and `…?transport=tcp`. */
  readonly urls: string[];
  readonly port: number;
  readonly secret: string;
  readonly realm: string;
  /** Everything coturn printed (for failure messages). */
  readonly output: () => string;
  stop(): Promise<void>;
}

/** A port free for both TCP and UDP on 127.0.0.1 (coturn listens on both). */
async function freePort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const u = createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free port for TURN');
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ host: '127.0.0.1', port });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/**
 * Starts coturn's `turnserver` on 127.0.0.1 with the TURN REST API scheme (`use-auth-secret`):
 * loopback peers allowed (every participant is on this machine), relays on 127.0.0.1 from a
 * random range of ports, no TLS/DTLS, no CLI, no config file. Resolves once it accepts TCP.
 */
export async function startTurnServer(options: { secret?: string; realm?: string } = {}): Promise<TurnServer> {
  const secret = options.secret ?? 'turn-test-secret';
  const realm = options.realm ?? 'parley.test';
  const port = await freePort();
  // Relay ports: a random 200-port window above the ephemeral range's usual start.
  const minPort = 50_000 + Math.floor(Math.random() * 70) * 200;
  const dir = await mkdtemp(join(tmpdir(), 'parley-turn-'));
  const args = [
    '-n',
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    `--realm=${realm}`,
    '--allow-loopback-peers',
    '--no-cli',
    '--no-tls',
    '--no-dtls',
    '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1',
    `--listening-port=${port}`,
    `--min-port=${minPort}`,
    `--max-port=${minPort + 199}`,
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    `--userdb=${join(dir, 'turndb')}`,
    '--log-file=stdout',
    '--simple-log',
    // Per-session lines (`user <…>: incoming packet ALLOCATE processed, success`) are only logged verbosely.
    '--verbose',
  ];
  let output = '';
  const child: ChildProcess = spawn('turnserver', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));
  const spawnError = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`turnserver could not start (is coturn installed?): ${e.message}`))));
  const ready = (async () => {
    const end = Date.now() + 15_000;
    while (!(await accepts(port))) {
      if (exited) throw new Error(`turnserver exited:\n${output.slice(-2000)}`);
      if (Date.now() > end) throw new Error(`turnserver did not listen on ${port}:\n${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    await Promise.race([ready, spawnError]);
  } catch (e) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    urls: [`turn:127.0.0.1:${port}?transport=udp`, `turn:127.0.0.1:${port}?transport=tcp`],
    port,
    secret,
    realm,
    output: () => output,
    stop: async () => {
      if (!exited) {
        const gone = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await gone;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

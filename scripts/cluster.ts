// `npm run cluster`: N backend instances (default 3) sharing state through Redis, behind a
// round-robin TCP load balancer on PORT, for trying several instances on one machine.
//   npm run cluster -- [--instances 3] [--port 8080]
// Environment: REDIS_URL (default redis://127.0.0.1:6379/0), DATABASE_URL (default the shared
// SQLite file under DATA_DIR), and anything else main.ts reads. Production: docs/scaling.md.
import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { resolveAuthSecret } from '../backend/auth/secret.js';
import { startTcpBalancer } from '../backend/net/tcp-balancer.js';

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: process.env['CLUSTER_INSTANCES'] ?? '3' },
    port: { type: 'string', default: process.env['PORT'] ?? '8080' },
  },
});
const count = Number(values.instances);
const port = Number(values.port);
if (!Number.isInteger(count) || count < 1 || count > 32) throw new RangeError('--instances must be 1..32');
if (!Number.isInteger(port) || port < 1 || port > 65535 - count) throw new RangeError('--port must leave room for the instance ports above it');

const ROOT = new URL('..', import.meta.url).pathname;
const dataDir = process.env['DATA_DIR'] ?? './data';
// One secret for all: a token from one instance must be valid on every other.
const authSecret = await resolveAuthSecret(process.env['AUTH_SECRET'], dataDir);
const env = {
  ...process.env,
  REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0',
  DATA_DIR: dataDir,
  // One database for all instances; SQLite in WAL mode takes writers from several processes.
  DATABASE_URL: process.env['DATABASE_URL'] ?? `sqlite:${dataDir}/parley.sqlite`,
  AUTH_SECRET: authSecret,
  HOST: '127.0.0.1',
};
const ports = Array.from({ length: count }, (_, i) => port + 1 + i);
const children = new Map<number, ChildProcess>();
let stopping = false;

function start(p: number): void {
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/main.ts'], { cwd: ROOT, env: { ...env, PORT: String(p) }, stdio: 'inherit' });
  children.set(p, child);
  child.on('exit', (code, signal) => {
    children.delete(p);
    if (stopping) return;
    // A crashed or killed instance comes back, as an orchestrator would bring it back.
    process.stderr.write(`cluster: instance on ${p} exited (${signal ?? code}); restarting in 1 s\n`);
    setTimeout(() => start(p), 1000);
  });
}

for (const p of ports) start(p);
const balancer = await startTcpBalancer({ targets: () => ports, port, host: process.env['CLUSTER_HOST'] ?? '127.0.0.1' });
process.stdout.write(`cluster: ${count} instances on ${ports.join(', ')} behind http://localhost:${balancer.port} (round robin)\n`);

const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void balancer.close();
  for (const child of children.values()) child.kill('SIGTERM');
  const exit = (): void => (children.size === 0 ? process.exit(0) : void setTimeout(exit, 100));
  exit();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

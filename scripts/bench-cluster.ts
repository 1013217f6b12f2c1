// Cost of sharing through Redis, for docs/scaling.md: fan-out deliveries per second with the
// subscribers on 1 instance (no Redis, then Redis) and spread over 3 instances, and server RSS
// per idle connection with Redis. Loopback only, bounded in time (about a minute in all).
//   npx tsx scripts/bench-cluster.ts [--subscribers 300] [--seconds 5] [--idle 1000] [--redis redis://127.0.0.1:6379/0]
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { LIMITS_OFF_ENV } from '../backend/limits/limits-off.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '300' },
    seconds: { type: 'string', default: '5' },
    idle: { type: 'string', default: '1000' },
    redis: { type: 'string', default: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0' },
  },
});
const SUBSCRIBERS = Number(values.subscribers);
const SECONDS = Number(values.seconds);
const IDLE = Number(values.idle);
const ROOT = new URL('..', import.meta.url).pathname;
const SECRET = randomBytes(32).toString('base64url');

interface Instance {
  child: ChildProcess;
  port: number;
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...LIMITS_OFF_ENV, LOG_LEVEL: 'info', AUTH_SECRET: SECRET, HEARTBEAT_OUT_MS: '0', HEARTBEAT_IN_MS: '0', ...env },
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
  child.stdout!.resume();
  return { child, port };
}

async function stop(i: Instance): Promise<void> {
  const exited = new Promise((r) => i.child.on('exit', r));
  i.child.kill('SIGTERM');
  await exited;
}

async function rssKiB(pid: number): Promise<number> {
  return Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1]);
}

async function guest(port: number, nickname: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nickname }) });
  return ((await res.json()) as { token: string }).token;
}

const frame = (command: string, headers: Record<string, string>, body = ''): string =>
  `${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}`).join('\n')}\n\n${body}\0`;

/** A bare STOMP client over `ws` that counts MESSAGE frames instead of keeping them. */
class Peer {
  messages = 0;
  private readonly waiters = new Map<string, () => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('MESSAGE')) this.messages++;
      const receipt = /^receipt-id:(.*)$/m.exec(text);
      if (text.startsWith('RECEIPT') && receipt !== null) this.waiters.get(receipt[1]!)?.();
      if (text.startsWith('CONNECTED')) this.waiters.get('connected')?.();
    });
  }

  static async open(port: number, token: string): Promise<Peer> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, ['v12.stomp']);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const p = new Peer(ws);
    const connected = p.wait('connected');
    ws.send(frame('CONNECT', { 'accept-version': '1.2', host: 'bench', passcode: token, 'heart-beat': '0,0' }));
    await connected;
    return p;
  }

  wait(id: string): Promise<void> {
    return new Promise((resolve) => this.waiters.set(id, () => {
      this.waiters.delete(id);
      resolve();
    }));
  }

  send(command: string, headers: Record<string, string>, body = ''): void {
    this.ws.send(frame(command, headers, body));
  }

  async request(command: string, headers: Record<string, string>, body = ''): Promise<void> {
    const id = `r${Math.random()}`;
    const done = this.wait(id);
    this.send(command, { ...headers, receipt: id }, body);
    await done;
  }

  close(): void {
    this.ws.terminate();
  }
}

async function fanOut(label: string, instanceCount: number, redis: boolean): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-cluster-'));
  const prefix = `pbench:${process.pid}:${randomBytes(3).toString('hex')}:`;
  const env: Record<string, string> = { DATABASE_URL: `sqlite:${join(dir, 'p.sqlite')}`, DATA_DIR: dir, ...(redis ? { REDIS_URL: values.redis!, REDIS_KEY_PREFIX: prefix } : {}) };
  const instances: Instance[] = [];
  // One after the other: the first creates the database.
  for (let i = 0; i < instanceCount; i++) instances.push(await startInstance(env));
  const peers: Peer[] = [];
  try {
    const ownerToken = await guest(instances[0]!.port, 'owner');
    const room = (await (await fetch(`http://127.0.0.1:${instances[0]!.port}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ownerToken}` }, body: JSON.stringify({ name: 'bench', maxUsers: 1000 }) })).json()) as { id: number };
    const subscribers: Peer[] = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const port = instances[i % instanceCount]!.port;
      const p = await Peer.open(port, await guest(port, `s${i}`));
      await p.request('SEND', { destination: `/app/rooms/${room.id}/join` });
      await p.request('SUBSCRIBE', { destination: `/topic/rooms/${room.id}`, id: 'room' });
      subscribers.push(p);
    }
    peers.push(...subscribers);
    const sender = await Peer.open(instances[0]!.port, ownerToken);
    peers.push(sender);
    await sender.request('SEND', { destination: `/app/rooms/${room.id}/join` });
    await new Promise((r) => setTimeout(r, 500));
    for (const s of subscribers) s.messages = 0;

    // Sends with at most 50 unacknowledged, for SECONDS; then wait for the fan-out to drain.
    const t0 = performance.now();
    let sent = 0;
    let inFlight = 0;
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        while (inFlight < 50 && performance.now() - t0 < SECONDS * 1000) {
          const n = sent++;
          inFlight++;
          const done = sender.wait(`m${n}`);
          sender.send('SEND', { destination: `/app/rooms/${room.id}/messages`, receipt: `m${n}` }, JSON.stringify({ text: `message ${n}` }));
          void done.then(() => {
            inFlight--;
            pump();
          });
        }
        if (inFlight === 0) resolve();
      };
      pump();
    });
    const expected = sent * SUBSCRIBERS;
    const drainUntil = performance.now() + 20_000;
    const total = () => subscribers.reduce((a, s) => a + s.messages, 0);
    while (total() < expected && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 10));
    const seconds = (performance.now() - t0) / 1000;
    const rate = Math.round(total() / seconds);
    console.log(`${label}: ${sent} messages × ${SUBSCRIBERS} subscribers = ${total()}/${expected} deliveries in ${seconds.toFixed(2)} s = ${rate} deliveries/s (${Math.round(sent / seconds)} msg/s)`);
    return rate;
  } finally {
    for (const p of peers) p.close();
    for (const i of instances) await stop(i);
    await rm(dir, { recursive: true, force: true });
    if (redis) await deletePrefix(prefix);
  }
}

async function idleWithRedis(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-cluster-'));
  const prefix = `pbench:${process.pid}:idle:`;
  const instance = await startInstance({ DATABASE_URL: `sqlite:${join(dir, 'p.sqlite')}`, DATA_DIR: dir, REDIS_URL: values.redis!, REDIS_KEY_PREFIX: prefix });
  const peers: Peer[] = [];
  try {
    const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => guest(instance.port, `idle${i}`)));
    await new Promise((r) => setTimeout(r, 500));
    const before = await rssKiB(instance.child.pid!);
    for (let i = 0; i < IDLE; i += 50) {
      peers.push(...(await Promise.all(Array.from({ length: Math.min(50, IDLE - i) }, async (_, k) => {
        const p = await Peer.open(instance.port, tokens[k]!);
        p.send('SUBSCRIBE', { destination: '/user/queue/errors', id: 'e' });
        p.send('SUBSCRIBE', { destination: '/topic/lobby', id: 'l' });
        return p;
      }))));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const after = await rssKiB(instance.child.pid!);
    console.log(`idle with Redis: RSS ${Math.round(before / 1024)} MiB before, ${Math.round(after / 1024)} MiB with ${IDLE} idle connections (2 subscriptions each, 50 users) = ${((after - before) / IDLE).toFixed(1)} KiB per connection`);
  } finally {
    for (const p of peers) p.close();
    await stop(instance);
    await rm(dir, { recursive: true, force: true });
    await deletePrefix(prefix);
  }
}

async function deletePrefix(prefix: string): Promise<void> {
  const r = new Redis(values.redis!);
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await r.del(...keys);
  } while (cursor !== '0');
  r.disconnect();
}

const one = await fanOut('1 instance, in process (no Redis)', 1, false);
const oneRedis = await fanOut('1 instance through Redis', 1, true);
const three = await fanOut(`3 instances through Redis (subscribers spread, ${SUBSCRIBERS / 3} each)`, 3, true);
console.log(`3 instances vs 1: ${(three / one).toFixed(2)}× (vs 1 through Redis: ${(three / oneRedis).toFixed(2)}×), on ${(await import('node:os')).cpus().length} cores shared by servers, Redis and this client`);
await idleWithRedis();

// `npm run bench` (after `npm run build`): Parley against a raw `ws` broadcast loop and Socket.IO
// rooms, in one run, on loopback. Each server runs as its own process pinned to CPU 0; this load
// generator re-runs itself pinned to CPU 1 (where `taskset` exists). Per server: idle RSS, RSS per
// joined+subscribed connection over 1,000 rooms × 10, latency at a fixed 10,000 deliveries/s and
// saturation in that layout and in one room of 500 subscribers with 5 publishers; for Parley also
// the replay of 1,000 missed messages. Writes bench/results/latest.{json,md,svg}. Method and
// results: docs/performance.md.
//   npm run bench [-- --seconds 4 --rooms 1000 --big 500 --size 150 --only parley]
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { guestTokens, parleyTarget, rawTarget, socketIoTarget, StompPeer, type Target } from './bench/clients.js';
import { fixedRate, populate, Recorder, saturate, type Layout, type Population } from './bench/load.js';
import { markdown, svg, type BenchRun, type ScenarioResult, type TargetResult } from './bench/report.js';
import { LIMITS_OFF_ENV } from '../backend/limits/limits-off.js';

const ROOT = new URL('..', import.meta.url).pathname;
const HAS_TASKSET = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

// Pin the load generator to CPU 1 by running this script again under taskset.
if (HAS_TASKSET && process.env['PARLEY_BENCH_PINNED'] === undefined) {
  const r = spawnSync('taskset', ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, PARLEY_BENCH_PINNED: '1' } });
  process.exit(r.status ?? 1);
}

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    rooms: { type: 'string', default: '1000' },
    members: { type: 'string', default: '10' },
    big: { type: 'string', default: '500' },
    publishers: { type: 'string', default: '5' },
    size: { type: 'string', default: '150' },
    rate: { type: 'string', default: '10000' },
    missed: { type: 'string', default: '1000' },
    only: { type: 'string' },
    out: { type: 'string', default: 'bench/results' },
  },
});
const MEASURE_MS = Number(values.seconds) * 1000;
const WARMUP_MS = 1000;
const SIZE = Number(values.size);
const RATE = Number(values.rate);
const MANY: Layout = { rooms: Number(values.rooms), subscribersPerRoom: Number(values.members), publishersPerRoom: 1, separatePublishers: false };
const BIG: Layout = { rooms: 1, subscribersPerRoom: Number(values.big), publishersPerRoom: Number(values.publishers), separatePublishers: true };
const MISSED = Number(values.missed);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function startServer(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  const [cmd, cmdArgs] = HAS_TASKSET ? ['taskset', ['-c', '0', process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd, cmdArgs, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: no port within 20 s`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"port":(\d+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)));
  });
  child.stdout!.resume();
  return { child, port };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
}

async function rssKiB(pid: number): Promise<number> {
  return Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1]);
}

function closeAll(pop: Population): void {
  for (const c of pop.clients) c.close();
}

async function scenario(pop: Population, recorder: Recorder, window: number): Promise<ScenarioResult> {
  const latency = await fixedRate(pop, recorder, RATE, WARMUP_MS, MEASURE_MS, SIZE);
  const saturationPerS = await saturate(pop, recorder, window, WARMUP_MS, MEASURE_MS, SIZE);
  return { latency, saturationPerS };
}

/** Parley only: SUBSCRIBE with x-since-seq after `MISSED` messages, until the `resume` control frame. */
async function resume(port: number, tokens: string[], roomId: string): Promise<{ messages: number; ms: number }> {
  const publisher = await StompPeer.open(port, tokens[0]!, () => undefined);
  await publisher.withReceipt('SEND', { destination: `/app/rooms/${roomId}/join` });
  const first = await publisher.withReceipt('SEND', { destination: `/app/rooms/${roomId}/messages` }, JSON.stringify({ text: 'before' }));
  const since = Number(/^x-seq:(\d+)$/m.exec(first)![1]);
  for (let i = 1; i < MISSED; i++) publisher.send('SEND', { destination: `/app/rooms/${roomId}/messages` }, JSON.stringify({ text: `missed ${i}` }));
  await publisher.withReceipt('SEND', { destination: `/app/rooms/${roomId}/messages` }, JSON.stringify({ text: 'last missed' }));
  const reader = await StompPeer.open(port, tokens[1]!, () => undefined);
  await reader.withReceipt('SEND', { destination: `/app/rooms/${roomId}/join` });
  let messages = 0;
  const t0 = performance.now();
  const ms = await Promise.race([
    new Promise<number>((resolve) => {
      reader.onFrame = (data) => {
        const head = data.toString('latin1', 0, Math.min(data.length, 400));
        if (head.includes('x-type:resume')) resolve(performance.now() - t0);
        else if (head.includes('x-type:message')) messages++;
      };
      reader.send('SUBSCRIBE', { destination: `/topic/rooms/${roomId}`, id: 'resume', 'x-since-seq': String(since) });
    }),
    sleep(30_000).then(() => NaN),
  ]);
  publisher.close();
  reader.close();
  return { messages, ms: Math.round(ms * 10) / 10 };
}

async function measure(name: Target['name']): Promise<TargetResult> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
  const server =
    name === 'raw-ws'
      ? await startServer(['scripts/bench/raw-ws-server.mjs'])
      : name === 'socket.io'
        ? await startServer(['scripts/bench/socketio-server.mjs'])
        : await startServer(['dist/backend/main.js'], {
            PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`, LOG_LEVEL: 'info',
            ...LIMITS_OFF_ENV, HEARTBEAT_OUT_MS: '0', HEARTBEAT_IN_MS: '0', RESUME_MAX_MESSAGES: String(MISSED + 10), MAX_SUBSCRIPTIONS: '100',
          });
  const pid = server.child.pid!;
  try {
    const tokens = name === 'parley' ? await guestTokens(server.port, BIG.subscribersPerRoom + BIG.publishersPerRoom) : [];
    const target = name === 'raw-ws' ? rawTarget(server.port) : name === 'socket.io' ? socketIoTarget(server.port) : parleyTarget(server.port, tokens);
    const manyIds = await target.createRooms(MANY.rooms);
    await sleep(1500);
    const idleServer = await rssKiB(pid);
    const recorder = new Recorder();
    const many = await populate(target, manyIds, MANY, recorder);
    await sleep(3000);
    const withIdle = await rssKiB(pid);
    const idleConnections = many.clients.length;
    console.log(`${name}: idle ${Math.round(idleServer / 1024)} MiB, ${idleConnections} joined connections +${((withIdle - idleServer) / idleConnections).toFixed(1)} KiB each`);
    const manyRooms = await scenario(many, recorder, 2);
    console.log(`${name}: 1,000 rooms ${JSON.stringify(manyRooms)}`);
    closeAll(many);
    await sleep(1500);
    const bigRecorder = new Recorder();
    const big = await populate(target, await target.createRooms(1), BIG, bigRecorder);
    const bigRoom = await scenario(big, bigRecorder, 8);
    console.log(`${name}: one room ${JSON.stringify(bigRoom)}`);
    closeAll(big);
    const result: TargetResult = {
      name,
      idleServerRssMiB: Math.round((idleServer / 1024) * 10) / 10,
      idleConnections,
      rssPerConnectionKiB: Math.round(((withIdle - idleServer) / idleConnections) * 10) / 10,
      bigRoom,
      manyRooms,
    };
    if (name === 'parley') {
      result.resume = await resume(server.port, tokens, (await target.createRooms(1))[0]!);
      console.log(`${name}: resume ${JSON.stringify(result.resume)}`);
    }
    return result;
  } finally {
    await stopServer(server.child);
    await rm(dir, { recursive: true, force: true });
  }
}

if (!existsSync(join(ROOT, 'dist/backend/main.js'))) {
  console.error('bench: dist/backend/main.js is missing; run `npm run build` first');
  process.exit(1);
}
const loadBefore = loadavg().map((n) => Math.round(n * 100) / 100);
const names: Target['name'][] = ['raw-ws', 'socket.io', 'parley'];
const targets: TargetResult[] = [];
for (const name of names) {
  if (values.only !== undefined && name !== 'raw-ws' && name !== values.only) continue;
  targets.push(await measure(name));
}
const run: BenchRun = {
  date: new Date().toISOString(),
  commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim(),
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
  pinned: HAS_TASKSET,
  loadBefore,
  loadAfter: loadavg().map((n) => Math.round(n * 100) / 100),
  settings: { measureMs: MEASURE_MS, warmupMs: WARMUP_MS, messageBytes: SIZE, offeredDeliveriesPerS: RATE, manyRooms: `${MANY.rooms} × ${MANY.subscribersPerRoom}`, bigRoom: `${BIG.subscribersPerRoom} subscribers, ${BIG.publishersPerRoom} publishers`, missed: MISSED },
  targets,
};
const out = join(ROOT, values.out);
await mkdir(out, { recursive: true });
await writeFile(join(out, 'latest.json'), `${JSON.stringify(run, null, 2)}\n`);
await writeFile(join(out, 'latest.md'), markdown(run));
await writeFile(join(out, 'latest.svg'), svg(run));
console.log(`\n${markdown(run)}\nwritten to ${values.out}/latest.{json,md,svg}`);
process.exit(0);

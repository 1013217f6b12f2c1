// What an idle joined connection costs the server, layer by layer (issue 12, item 3):
//   npx tsx scripts/bench/memory.ts [--connections 3000] [--members 10] [--snapshot]
// Starts scripts/bench/memory-server.ts (a Parley app in its own process, --expose-gc), then opens
// the connections in stages and, after each stage, asks the server for process.memoryUsage()
// after two full GCs. The difference between stages, divided by the connections, is the cost of:
//   ws        an upgraded WebSocket on /ws (the ws socket, the transport and the new session)
//   connect   STOMP CONNECT (user, heart-beat, the session's connected state)
//   join      joining a room of `members` (presence, the room's member bookkeeping)
//   subscribe SUBSCRIBE to the room topic (the subscription, the broker's index of it)
// heap = V8 heap used; ext = external memory (Buffers, socket buffers); rss = resident set.
// --snapshot writes heap snapshots before the first stage and after the last (their paths are
// printed) to compare in Chrome DevTools (Memory → Load, Comparison view). Runs alone: no other load meanwhile.
import { fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '3000' },
    members: { type: 'string', default: '10' },
    snapshot: { type: 'boolean', default: false },
  },
});
const N = Number(values.connections);
const MEMBERS = Number(values.members);

type Usage = NodeJS.MemoryUsage;
type Reply = { kind: 'ready'; port: number } | { kind: 'memory'; usage: Usage } | { kind: 'snapshot'; path: string };

const server = fork(new URL('./memory-server.ts', import.meta.url).pathname, [], {
  execArgv: ['--expose-gc', '--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const replies: Reply[] = [];
let wake: (() => void) | undefined;
server.on('message', (m: Reply) => {
  replies.push(m);
  wake?.();
});
async function reply<K extends Reply['kind']>(kind: K): Promise<Extract<Reply, { kind: K }>> {
  for (;;) {
    const i = replies.findIndex((r) => r.kind === kind);
    if (i >= 0) return replies.splice(i, 1)[0] as Extract<Reply, { kind: K }>;
    await new Promise<void>((r) => (wake = r));
  }
}
async function measure(): Promise<Usage> {
  // Let the last frames' work settle before collecting.
  await new Promise((r) => setTimeout(r, 500));
  server.send({ kind: 'measure' });
  return (await reply('memory')).usage;
}

const frame = (command: string, headers: Record<string, string>, body = ''): string =>
  `${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}`).join('\n')}\n\n${body}\0`;

/** Sends `data` on every socket, `width` at a time, each waiting for its answer (`done`). */
async function inWaves(sockets: WebSocket[], send: (ws: WebSocket, i: number) => Promise<void>, width = 200): Promise<void> {
  for (let i = 0; i < sockets.length; i += width) await Promise.all(sockets.slice(i, i + width).map((ws, k) => send(ws, i + k)));
}

function answer(ws: WebSocket, match: (text: string) => boolean, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const on = (d: Buffer): void => {
      const text = d.toString();
      if (text.startsWith('ERROR')) reject(new Error(text.slice(0, 200)));
      else if (match(text)) {
        ws.off('message', on);
        resolve();
      }
    };
    ws.on('message', on);
    ws.send(data);
  });
}

async function main(): Promise<void> {
  const { port } = await reply('ready');
  const base = `http://127.0.0.1:${port}`;
  const post = async <T>(path: string, body: unknown, token?: string): Promise<T> => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const tokens: string[] = [];
  for (let i = 0; i < N; i++) tokens.push((await post<{ token: string }>('/api/session', { nickname: `m${i}` })).token);
  const rooms: number[] = [];
  for (let i = 0; i < Math.ceil(N / MEMBERS); i++) rooms.push((await post<{ id: number }>('/api/rooms', { name: `mem ${i}` }, tokens[0])).id);

  const stages: [string, Usage][] = [['idle', await measure()]];
  if (values.snapshot) {
    server.send({ kind: 'snapshot' });
    console.log(`heap snapshot (idle): ${(await reply('snapshot')).path}`);
  }
  const sockets: WebSocket[] = [];
  for (let i = 0; i < N; i += 200) {
    sockets.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(200, N - i) }, () => new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, 'v12.stomp', { perMessageDeflate: false });
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        })),
      )),
    );
  }
  stages.push(['ws', await measure()]);
  await inWaves(sockets, (ws, i) => answer(ws, (t) => t.startsWith('CONNECTED'), frame('CONNECT', { 'accept-version': '1.2', host: 'localhost', 'heart-beat': '10000,10000', Authorization: `Bearer ${tokens[i]}` })));
  stages.push(['connect', await measure()]);
  const roomOf = (i: number): number => rooms[Math.floor(i / MEMBERS)]!;
  await inWaves(sockets, (ws, i) => answer(ws, (t) => t.includes('receipt-id:j'), frame('SEND', { destination: `/app/rooms/${roomOf(i)}/join`, receipt: 'j' })));
  stages.push(['join', await measure()]);
  await inWaves(sockets, (ws, i) => answer(ws, (t) => t.includes('receipt-id:s'), frame('SUBSCRIBE', { destination: `/topic/rooms/${roomOf(i)}`, id: 'room', receipt: 's' })));
  stages.push(['subscribe', await measure()]);
  if (values.snapshot) {
    server.send({ kind: 'snapshot' });
    console.log(`heap snapshot (all stages): ${(await reply('snapshot')).path}`);
  }

  const kib = (bytes: number): string => (bytes / 1024 / N).toFixed(2);
  console.log(`${N} connections, rooms of ${MEMBERS}; KiB per connection added by each stage`);
  console.log('| stage | heap | ext | rss |');
  console.log('| --- | --- | --- | --- |');
  for (let i = 1; i < stages.length; i++) {
    const [name, u] = stages[i]!;
    const p = stages[i - 1]![1];
    console.log(`| ${name} | ${kib(u.heapUsed - p.heapUsed)} | ${kib(u.external - p.external)} | ${kib(u.rss - p.rss)} |`);
  }
  const first = stages[0]![1];
  const last = stages.at(-1)![1];
  console.log(`| total | ${kib(last.heapUsed - first.heapUsed)} | ${kib(last.external - first.external)} | ${kib(last.rss - first.rss)} |`);
  console.log(`idle server: rss ${(first.rss / 1048576).toFixed(1)} MiB, heap ${(first.heapUsed / 1048576).toFixed(1)} MiB (under tsx)`);
  for (const ws of sockets) ws.terminate();
  server.send({ kind: 'stop' });
}

main().catch((e: unknown) => {
  console.error(e);
  server.kill('SIGKILL');
  process.exit(1);
});

// The phases `npm run bench` runs against each server: rooms of subscribers and publishers, a
// fixed offered load (latency) and a windowed flood (saturation). Every loop stops at a deadline.
import type { BenchClient, Target } from './clients.js';

/** Payloads carry `T~<publisher>~<sent at, ms>~`, padded to the message size. */
export function payload(publisher: number, size: number): string {
  const head = `T~${publisher}~${performance.now().toFixed(3)}~`;
  return head + 'x'.repeat(Math.max(0, size - head.length));
}

const MARK = 'T~';

function parseMark(data: Buffer | string): { publisher: number; sentAt: number } | undefined {
  const text = typeof data === 'string' ? data : data.toString('latin1', Math.max(0, data.indexOf(MARK)), data.indexOf(MARK) + 40);
  const at = text.indexOf(MARK);
  if (at < 0) return undefined;
  const a = text.indexOf('~', at + 2);
  const b = text.indexOf('~', a + 1);
  return { publisher: Number(text.slice(at + 2, a)), sentAt: Number(text.slice(a + 1, b)) };
}

/** Counts deliveries; while `recording`, keeps latencies (bounded) and what the probes saw. */
export class Recorder {
  deliveries = 0;
  recording = false;
  private readonly latencies = new Float64Array(400_000);
  private kept = 0;
  private seen = 0;
  /** Per publisher: messages its room's probe has received. */
  probeSeen: number[] = [];

  onDelivery(data: Buffer | string, isProbe: boolean): void {
    this.deliveries++;
    if (!this.recording && !isProbe) return;
    const mark = parseMark(data);
    if (mark === undefined) return;
    if (isProbe) this.probeSeen[mark.publisher] = (this.probeSeen[mark.publisher] ?? 0) + 1;
    if (!this.recording) return;
    const latency = performance.now() - mark.sentAt;
    // Reservoir sampling keeps the percentiles honest once the buffer is full.
    this.seen++;
    if (this.kept < this.latencies.length) this.latencies[this.kept++] = latency;
    else {
      const j = Math.floor(Math.random() * this.seen);
      if (j < this.latencies.length) this.latencies[j] = latency;
    }
  }

  reset(): void {
    this.kept = 0;
    this.seen = 0;
  }

  percentile(p: number): number {
    const sorted = this.latencies.slice(0, this.kept).sort();
    return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  }
}

export interface Layout {
  rooms: number;
  subscribersPerRoom: number;
  /** Publishers per room; `separate`: they join without subscribing (else the first members publish). */
  publishersPerRoom: number;
  separatePublishers: boolean;
}

export interface Room {
  id: string;
  publishers: BenchClient[];
  /** Index of each publisher in the recorder. */
  publisherIds: number[];
}

export interface Population {
  rooms: Room[];
  clients: BenchClient[];
  recipients: number;
}

/** Opens and joins everyone, `concurrency` clients at a time; the last subscriber of each room is its probe. */
export async function populate(target: Target, ids: readonly string[], layout: Layout, recorder: Recorder, concurrency = 100): Promise<Population> {
  const jobs: (() => Promise<BenchClient>)[] = [];
  const rooms: Room[] = ids.map((id) => ({ id, publishers: [], publisherIds: [] }));
  let clientIndex = 0;
  let publisherIndex = 0;
  for (const room of rooms) {
    const members = layout.subscribersPerRoom + (layout.separatePublishers ? layout.publishersPerRoom : 0);
    for (let m = 0; m < members; m++) {
      const index = clientIndex++;
      const isPublisher = layout.separatePublishers ? m >= layout.subscribersPerRoom : m < layout.publishersPerRoom;
      const subscribes = !layout.separatePublishers || m < layout.subscribersPerRoom;
      const isProbe = m === layout.subscribersPerRoom - 1;
      const pid = isPublisher ? publisherIndex++ : -1;
      jobs.push(async () => {
        const client = await target.open(index, (data) => recorder.onDelivery(data, isProbe));
        await client.join(room.id, subscribes);
        if (isPublisher) {
          room.publishers.push(client);
          room.publisherIds.push(pid);
        }
        return client;
      });
    }
  }
  const clients: BenchClient[] = [];
  for (let i = 0; i < jobs.length; i += concurrency) clients.push(...(await Promise.all(jobs.slice(i, i + concurrency).map((j) => j()))));
  recorder.probeSeen = new Array<number>(publisherIndex).fill(0);
  return { rooms, clients, recipients: layout.subscribersPerRoom };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface LatencyResult {
  offeredPerS: number;
  achievedPerS: number;
  p50Ms: number;
  p99Ms: number;
}

/** Publishes round-robin so that `deliveriesPerS` arrive in all; latencies after `warmupMs`. */
export async function fixedRate(pop: Population, recorder: Recorder, deliveriesPerS: number, warmupMs: number, measureMs: number, size: number): Promise<LatencyResult> {
  const senders = pop.rooms.flatMap((r) => r.publishers.map((c, k) => ({ room: r.id, client: c, id: r.publisherIds[k]! })));
  const perMs = deliveriesPerS / pop.recipients / 1000;
  let sent = 0;
  let next = 0;
  const t0 = performance.now();
  const tick = setInterval(() => {
    const due = Math.floor((performance.now() - t0) * perMs);
    // A stalled loop does not burst: at most 50 ms of backlog is caught up.
    sent = Math.max(sent, due - Math.ceil(50 * perMs));
    for (; sent < due; sent++) {
      const s = senders[next++ % senders.length]!;
      s.client.publish(s.room, payload(s.id, size));
    }
  }, 2);
  await sleep(warmupMs);
  recorder.reset();
  recorder.recording = true;
  const d0 = recorder.deliveries;
  const m0 = performance.now();
  await sleep(measureMs);
  recorder.recording = false;
  const seconds = (performance.now() - m0) / 1000;
  const achieved = (recorder.deliveries - d0) / seconds;
  clearInterval(tick);
  const result = { offeredPerS: deliveriesPerS, achievedPerS: Math.round(achieved), p50Ms: recorder.percentile(50), p99Ms: recorder.percentile(99) };
  await sleep(500);
  return result;
}

/** Each publisher keeps `window` messages its room's probe has not yet received in flight. */
export async function saturate(pop: Population, recorder: Recorder, window: number, warmupMs: number, measureMs: number, size: number): Promise<number> {
  const senders = pop.rooms.flatMap((r) => r.publishers.map((c, k) => ({ room: r.id, client: c, id: r.publisherIds[k]!, sent: 0 })));
  const base = senders.map((s) => recorder.probeSeen[s.id] ?? 0);
  const pump = (): void => {
    senders.forEach((s, i) => {
      while (s.sent - ((recorder.probeSeen[s.id] ?? 0) - base[i]!) < window) {
        s.client.publish(s.room, payload(s.id, size));
        s.sent++;
      }
    });
  };
  const tick = setInterval(pump, 1);
  await sleep(warmupMs);
  const d0 = recorder.deliveries;
  const m0 = performance.now();
  await sleep(measureMs);
  const rate = (recorder.deliveries - d0) / ((performance.now() - m0) / 1000);
  clearInterval(tick);
  // Let what is in flight drain before the next phase.
  await sleep(1000);
  return Math.round(rate);
}

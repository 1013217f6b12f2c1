import { afterAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../helpers/databases.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { NetworkSwitch, makeClient, sequenceDefect, waitFor } from '../../helpers/sdk-client.js';
import type { RoomHandle } from '../../../sdk/room-handle.js';
import type { ResumeInfo } from '../../../sdk/types.js';

let server: TestServer;

/** Sends `count` messages as fast as the queue allows (batches of `batch`). */
async function fill(room: RoomHandle, count: number, batch = 400): Promise<void> {
  for (let i = 0; i < count; i += batch) {
    const n = Math.min(batch, count - i);
    await Promise.all(Array.from({ length: n }, (_, k) => room.send(`m${i + k}`)));
  }
}

async function measureResume1000(server: TestServer, label: string, expectTruncated: boolean): Promise<void> {
  const network = new NetworkSwitch();
  const writer = makeClient(server.url, 'writer2', { maxQueuedMessages: 1000 });
  const reader = makeClient(server.url, 'reader2', { network });
  try {
    await writer.connect();
    await reader.connect();
    const room = await writer.rooms.create({ name: 'resume-1000' });
    const w = await writer.join(room.id);
    const r = await reader.join(room.id);
    const seqs: number[] = [];
    r.on('message', (m) => seqs.push(m.seq));

    network.online = false;
    server.dropAllSockets();
    await waitFor(() => reader.state === 'reconnecting', 'reader offline');
    const before = r.lastSeq;
    await fill(w, 1000, 500);
    const target = w.lastSeq;

    let connectedAt = 0;
    reader.on('stateChanged', (s) => {
      if (s === 'connected') connectedAt = performance.now();
    });
    const resumed = new Promise<{ info: ResumeInfo; at: number }>((resolve) => {
      r.on('resumed', (info) => resolve({ info, at: performance.now() }));
    });
    const t0 = performance.now();
    network.online = true;
    const { info, at } = await resumed;
    await waitFor(() => r.lastSeq === target, 'caught up');
    console.log(
      `[${label}] resume of ${info.recovered} missed messages (truncated=${info.truncated}): ` +
        `${(at - connectedAt).toFixed(0)} ms from CONNECTED to caught up, ${(at - t0).toFixed(0)} ms from network back`,
    );
    expect(info.sinceSeq).toBe(before);
    expect(info.truncated).toBe(expectTruncated);
    expect(info.recovered).toBe(target - before);
    expect(seqs).toEqual(Array.from({ length: target - before }, (_, i) => before + 1 + i));
  } finally {
    await writer.disconnect();
    await reader.disconnect();
  }
}

describe.each(databaseBackends())('long rooms on $name', (db) => {
  // Readers go offline for a while on purpose; on a clock nobody advances the leave grace never
  // ends, so they come back as the same members however long the machine takes.
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db, clock: new FakeClock() });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('resumes 10,000 missed messages exactly once and in order while keeping the handle bounded', async () => {
    const network = new NetworkSwitch();
    const writer = makeClient(server.url, 'writer', { maxQueuedMessages: 1000 });
    const reader = makeClient(server.url, 'reader', { network });
    try {
      await writer.connect();
      await reader.connect();
      const room = await writer.rooms.create({ name: 'long' });
      const w = await writer.join(room.id);
      const r = await reader.join(room.id);
      const start = r.lastSeq;
      let delivered = 0;
      let order = true;
      let prev = start;
      r.on('message', (m) => {
        delivered++;
        if (m.seq !== prev + 1) order = false;
        prev = m.seq;
      });

      network.online = false;
      server.dropAllSockets();
      await waitFor(() => reader.state === 'reconnecting', 'reader offline');
      const t0 = Date.now();
      await fill(w, 10_000);
      console.log(`long room: wrote 10,000 messages in ${Date.now() - t0} ms`);
      const target = w.lastSeq;
      expect(w.messages.length).toBeLessThanOrEqual(500);

      network.online = true;
      await waitFor(() => r.lastSeq === target, 'reader caught up', 40_000);
      expect(order).toBe(true);
      expect(delivered).toBe(target - start);
      expect(r.messages).toHaveLength(500);
      expect(r.oldestSeq).toBe(target - 499);
      expect(sequenceDefect(r.messages)).toBeNull();

      // Older messages are read back on demand.
      const older = await r.history({ before: r.oldestSeq, limit: 50 });
      expect(older.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => target - 549 + i));
      expect(r.messages).toHaveLength(500);
    } finally {
      await writer.disconnect();
      await reader.disconnect();
    }
  }, 60_000);

  it('measures the time to resume 1,000 missed messages (gap over RESUME_MAX_MESSAGES: REST paging)', async () => {
    await measureResume1000(server, 'REST paging', true);
  }, 60_000);

  it('measures the time to resume 1,000 missed messages (replayed by the server)', async () => {
    const replaying = await startTestServer({ db, clock: new FakeClock(), env: { RESUME_MAX_MESSAGES: '2000' } });
    try {
      await measureResume1000(replaying, 'server replay', false);
    } finally {
      await replaying.stop();
    }
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { whileServingOthers } from '../../helpers/bystander.js';
import type { RawStomp } from '../../helpers/raw-stomp.js';
import type { TestServer } from '../../helpers/server.js';
import { connectAs, sleep } from '../stomp/support.js';
import { serverPerTest } from './support.js';

const BODY = 60 * 1024;

/** Issue 11 item 4: an open queue's backlog is bounded and expires; the oldest messages go first. */
describe('/queue/** backlogs without a consumer', () => {
  const { peers, start } = serverPerTest();

  async function flood(server: TestServer, destination: string, count: number): Promise<void> {
    const sender = await connectAs(peers, server, 'sender');
    for (let i = 0; i < count; i++) {
      sender.peer.send('SEND', { destination, receipt: `q${i}`, 'x-n': String(i) }, `${i}:`.padEnd(BODY, 'x'));
      // Every frame is receipted: the sender is told nothing was refused.
      if (i % 20 === 19 || i === count - 1) await sender.peer.receipt(`q${i}`);
    }
    sender.peer.close();
  }

  async function drain(peer: RawStomp, destination: string, settleMs = 400): Promise<number[]> {
    peer.send('SUBSCRIBE', { id: 'sink', destination, receipt: 'sub' });
    await peer.receipt('sub');
    await sleep(settleMs);
    return peer.frames.filter((f) => f.command === 'MESSAGE' && f.headers.get('destination') === destination).map((f) => Number(f.headers.get('x-n')));
  }

  it('keeps only the newest QUEUE_MAX_BYTES after the sender is gone', async () => {
    const server = await start({ env: { QUEUE_MAX_BYTES: String(1024 * 1024) } });
    await whileServingOthers(server, () => flood(server, '/queue/sink-1', 100));
    const consumer = await connectAs(peers, server, 'consumer');
    const got = await drain(consumer.peer, '/queue/sink-1');
    // 1 MiB holds 17 frames of 60 KiB and a little more; they are the last ones sent.
    expect(got).toEqual(Array.from({ length: 17 }, (_, i) => 83 + i));
  });

  it('keeps only the newest QUEUE_MAX_MESSAGES', async () => {
    const server = await start({ env: { QUEUE_MAX_MESSAGES: '5' } });
    await whileServingOthers(server, () => flood(server, '/queue/sink-2', 40));
    const consumer = await connectAs(peers, server, 'consumer');
    expect(await drain(consumer.peer, '/queue/sink-2')).toEqual([35, 36, 37, 38, 39]);
  });

  it('drops what waited longer than QUEUE_TTL_MS', async () => {
    const server = await start({ env: { QUEUE_TTL_MS: '300' } });
    await whileServingOthers(server, async () => {
      await flood(server, '/queue/sink-3', 10);
      await sleep(600);
    });
    const consumer = await connectAs(peers, server, 'consumer');
    expect(await drain(consumer.peer, '/queue/sink-3')).toEqual([]);
  });
});

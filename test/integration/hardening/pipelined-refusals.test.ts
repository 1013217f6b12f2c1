import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../backend/stomp/frame.js';
import { whileServingOthers } from '../../helpers/bystander.js';
import { serverPerTest } from './support.js';
import { connectAs, createRoom, ERRORS, eventually, joinRoom } from '../stomp/support.js';

/** Issue 11 item 7: a burst of refused pipelined SENDs is debug-level noise, never an unhandled rejection. */
describe('a burst of refused pipelined SENDs', () => {
  const { peers, start } = serverPerTest();

  async function burst(env: Record<string, string>, join: boolean, expectedCode: string): Promise<void> {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => { lines.push(chunk.toString()); done(); } });
    const s = await start({ env, logger: pino({ level: 'warn' }, sink) });
    const warnings: string[] = [];
    const rejections: unknown[] = [];
    const onWarning = (w: Error): void => { warnings.push(`${w.name}: ${w.message}`); };
    const onRejection = (e: unknown): void => { rejections.push(e); };
    process.on('warning', onWarning);
    process.on('unhandledRejection', onRejection);
    try {
      const owner = await connectAs(peers, s, 'owner');
      const room = await createRoom(s, owner.token);
      const spammer = await connectAs(peers, s, 'spammer');
      if (join) await joinRoom(spammer, room.id);
      const frames = Array.from({ length: 2000 }, (_, i) =>
        encodeFrame('SEND', { destination: `/app/rooms/${room.id}/messages`, receipt: `b${i}` }, JSON.stringify({ text: `spam ${i}` })),
      );
      await whileServingOthers(s, async () => {
        spammer.peer.sendRaw(Buffer.concat(frames));
        // Every frame is answered: a RECEIPT (stored) or a refusal.
        const answered = await eventually(
          async () => spammer.peer.frames.filter((f) => f.command === 'RECEIPT' || f.headers.get('destination') === ERRORS).length,
          (n) => n >= 2000,
          15_000,
          50,
        );
        expect(answered).toBe(2000);
      });
      const codes = new Set(spammer.peer.frames.filter((f) => f.headers.get('destination') === ERRORS).map((f) => f.headers.get('x-error-code')));
      expect([...codes]).toEqual([expectedCode]);
      // Let any late rejection or warning surface before looking.
      await new Promise((r) => setTimeout(r, 200));
      const metrics = await (await fetch(`${s.url}/metrics`)).text();
      const counted = Number(new RegExp(`parley_errors_total\\{code="${expectedCode}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
      const refused = spammer.peer.frames.filter((f) => f.headers.get('destination') === ERRORS).length;
      expect(refused).toBeGreaterThanOrEqual(1900);
      expect(counted).toBe(refused);
    } finally {
      process.off('warning', onWarning);
      process.off('unhandledRejection', onRejection);
    }
    expect(rejections).toEqual([]);
    expect(warnings).toEqual([]);
    expect(lines).toEqual([]);
  }

  it('to a room the sender has not joined: refused with NOT_MEMBER, counted, nothing logged at warn or above', async () => {
    await burst({}, false, 'NOT_MEMBER');
  });

  it('over the rate limit: refused with RATE_LIMITED, counted, nothing logged at warn or above', async () => {
    await burst({ RATE_LIMIT_PER_S: '5', RATE_LIMIT_BURST: '20' }, true, 'RATE_LIMITED');
  });
});

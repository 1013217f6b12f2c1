import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../../sdk/errors.js';
import { reconnectLoop } from '../../../sdk/reconnect-loop.js';
import type { ReconnectContext } from '../../../sdk/reconnect-policy.js';
import { FakeClock } from './fake-clock.js';

/** A loop over a scripted policy and scripted attempts (each resolves or rejects when the test says). */
function setup(delays: Array<number | null>, final: (e: ParleyError) => boolean = () => false) {
  const clock = new FakeClock();
  const asked: ReconnectContext[] = [];
  const attempts: Array<{ resolve(): void; reject(e: unknown): void; current: () => boolean }> = [];
  const gaveUp: string[] = [];
  const loop = reconnectLoop(
    {
      nextRetryDelayInMs: (ctx) => {
        asked.push(ctx);
        return delays[Math.min(asked.length - 1, delays.length - 1)] ?? null;
      },
    },
    clock,
    (current) => new Promise<void>((resolve, reject) => attempts.push({ resolve, reject, current })),
    final,
    (e) => void gaveUp.push(e.code),
  );
  return { clock, asked, attempts, gaveUp, loop };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('reconnect loop', () => {
  it('waits what the policy says, on the injected clock, with one timer and one attempt at a time', async () => {
    const { clock, asked, attempts, loop } = setup([300, 700]);
    loop.start(ParleyError.disconnected('lost'));
    expect(asked).toEqual([{ retryCount: 0, elapsedMs: 0, lastError: expect.objectContaining({ code: 'DISCONNECTED' }) }]);
    expect(clock.pending).toBe(1);
    clock.advance(299);
    expect(attempts).toHaveLength(0);
    clock.advance(1);
    expect(attempts).toHaveLength(1);
    expect(clock.pending).toBe(0);
    attempts[0]!.reject(ParleyError.network());
    await settle();
    expect(asked[1]).toMatchObject({ retryCount: 1, elapsedMs: 300, lastError: { code: 'NETWORK' } });
    clock.advance(700);
    expect(attempts).toHaveLength(2);
    attempts[1]!.resolve();
    await settle();
    expect(clock.pending).toBe(0);
    expect(asked).toHaveLength(2);
  });

  it('gives up when the policy returns null, or at once on a final error', async () => {
    const a = setup([null]);
    a.loop.start(ParleyError.disconnected('lost'));
    expect(a.gaveUp).toEqual(['DISCONNECTED']);
    expect(a.clock.pending).toBe(0);

    const b = setup([10], (e) => e.code === 'AUTH_FAILED');
    b.loop.start(ParleyError.disconnected('lost'));
    b.clock.advance(10);
    b.attempts[0]!.reject(ParleyError.authFailed('refused'));
    await settle();
    expect(b.gaveUp).toEqual(['AUTH_FAILED']);
    expect(b.asked).toHaveLength(1);
    expect(b.clock.pending).toBe(0);
  });

  it('stop() clears the timer and makes an attempt in flight stale', async () => {
    const { clock, attempts, asked, loop, gaveUp } = setup([50]);
    loop.start(ParleyError.disconnected('lost'));
    clock.advance(50);
    expect(attempts[0]!.current()).toBe(true);
    loop.stop();
    expect(attempts[0]!.current()).toBe(false);
    attempts[0]!.reject(ParleyError.network());
    await settle();
    expect(asked).toHaveLength(1);
    expect(gaveUp).toEqual([]);
    expect(clock.pending).toBe(0);
    // A new loss starts over from retry 0.
    clock.advance(5000);
    loop.start(ParleyError.disconnected('again'));
    expect(asked[1]).toMatchObject({ retryCount: 0, elapsedMs: 0 });
    expect(clock.pending).toBe(1);
    loop.stop();
    expect(clock.pending).toBe(0);
  });
});

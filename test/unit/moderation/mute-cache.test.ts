import { describe, expect, it } from 'vitest';
import { MuteCache } from '../../../backend/moderation/mute-cache.js';

/** A load the test answers by hand, so it can interleave invalidations with reads in flight. */
function manualLoads(): { load: (roomId: number) => Promise<Map<string, number>>; calls: number[]; answer: (i: number, mutes: Record<string, number>) => void } {
  const calls: number[] = [];
  const resolvers: ((m: Map<string, number>) => void)[] = [];
  return {
    calls,
    load: (roomId) => {
      calls.push(roomId);
      return new Promise((resolve) => resolvers.push(resolve));
    },
    answer: (i, mutes) => resolvers[i]!(new Map(Object.entries(mutes))),
  };
}

describe('MuteCache', () => {
  it('answers synchronously once the room is read, and a mute ends at its time', async () => {
    let now = 1_000;
    const loads = manualLoads();
    const cache = new MuteCache({ load: loads.load, now: () => now, maxAgeMs: 60_000, onError: () => undefined });
    const first = cache.isMuted(7, 'u_a');
    expect(first).toBeInstanceOf(Promise);
    loads.answer(0, { u_a: 2_000 });
    expect(await first).toBe(true);
    expect(cache.isMuted(7, 'u_a')).toBe(true);
    expect(cache.isMuted(7, 'u_b')).toBe(false);
    now = 2_000;
    expect(cache.isMuted(7, 'u_a')).toBe(false);
    expect(loads.calls).toEqual([7]);
  });

  it('never keeps an answer read before an invalidation', async () => {
    const loads = manualLoads();
    const cache = new MuteCache({ load: loads.load, now: () => 0, maxAgeMs: 60_000, onError: () => undefined });
    const warming = cache.warm(3);
    cache.invalidate(3); // a mute was stored while the old read was in flight
    loads.answer(0, {});
    await warming;
    const fresh = cache.isMuted(3, 'u_a');
    expect(fresh).toBeInstanceOf(Promise);
    loads.answer(1, { u_a: 10 });
    expect(await fresh).toBe(true);
    expect(loads.calls).toEqual([3, 3]);
  });

  it('re-reads an old entry in the background and answers from it meanwhile', async () => {
    let now = 0;
    const loads = manualLoads();
    const cache = new MuteCache({ load: loads.load, now: () => now, maxAgeMs: 100, onError: () => undefined });
    const warming = cache.warm(1);
    loads.answer(0, {});
    await warming;
    now = 101;
    expect(cache.isMuted(1, 'u_a')).toBe(false);
    expect(loads.calls).toEqual([1, 1]);
    loads.answer(1, { u_a: 1_000 });
    await new Promise((r) => setImmediate(r));
    expect(cache.isMuted(1, 'u_a')).toBe(true);
  });
});

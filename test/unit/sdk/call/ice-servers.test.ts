import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../../sdk/clock.js';
import { IceServerManager } from '../../../../sdk/call/ice-servers.js';
import type { IceServerEntry, IceServersResponse } from '../../../../sdk/call/types.js';

const answer = (n: number, ttl = 3600): IceServersResponse => ({
  ttl,
  iceServers: [{ urls: ['stun:127.0.0.1:3478'] }, { urls: ['turn:127.0.0.1:3478?transport=udp'], username: `${n}:u_1`, credential: `cred-${n}` }],
});

describe('ICE server refresh scheduling', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refreshes once 80 % of the ttl has passed, before the credentials expire, and again after that', async () => {
    let n = 0;
    const fetch = vi.fn(async () => answer(++n));
    const refreshed: Array<readonly IceServerEntry[]> = [];
    const m = new IceServerManager({ fetch, clock: systemClock, onRefresh: (s) => refreshed.push(s) });
    const servers = await m.load();
    expect(servers[1]?.username).toBe('1:u_1');
    expect(m.expiresAt).toBe(Date.now() + 3_600_000);
    await vi.advanceTimersByTimeAsync(2_879_000);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(refreshed.map((s) => s[1]?.credential)).toEqual(['cred-2']);
    // The new lifetime counts from the refresh.
    await vi.advanceTimersByTimeAsync(2_880_000);
    expect(refreshed.map((s) => s[1]?.credential)).toEqual(['cred-2', 'cred-3']);
    m.stop();
  });

  it('follows a short ttl from the server', async () => {
    let n = 0;
    const fetch = vi.fn(async () => answer(++n, 60));
    const onRefresh = vi.fn();
    const m = new IceServerManager({ fetch, clock: systemClock, onRefresh });
    await m.load();
    await vi.advanceTimersByTimeAsync(47_999);
    expect(onRefresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(onRefresh).toHaveBeenCalledTimes(1);
    m.stop();
  });

  it('retries a failed refresh well before expiry and reports the failure', async () => {
    let calls = 0;
    const fetch = vi.fn(async () => {
      calls++;
      if (calls === 2 || calls === 3) throw new Error('offline');
      return answer(calls, 100);
    });
    const onRefresh = vi.fn();
    const onError = vi.fn();
    const m = new IceServerManager({ fetch, clock: systemClock, onRefresh, onError, retryMs: 5_000 });
    await m.load();
    await vi.advanceTimersByTimeAsync(80_000); // refresh #1 fails, 20 s left
    expect(onError).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(5_000); // retry fails, 15 s left
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onRefresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(5_000); // retry succeeds before expiry at 100 s
    expect(onRefresh).toHaveBeenCalledTimes(1);
    expect(Date.now() - new Date('2025-01-01T00:00:00Z').getTime()).toBeLessThan(100_000);
    m.stop();
  });

  it('shares one request between concurrent loads and stops refreshing after stop()', async () => {
    const fetch = vi.fn(async () => answer(1, 100));
    const onRefresh = vi.fn();
    const m = new IceServerManager({ fetch, clock: systemClock, onRefresh });
    await Promise.all([m.load(), m.load(), m.load()]);
    expect(fetch).toHaveBeenCalledTimes(1);
    m.stop();
    await vi.advanceTimersByTimeAsync(1_000_000);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(onRefresh).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});

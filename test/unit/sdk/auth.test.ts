import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Auth, decodeJwt } from '../../../sdk/auth.js';
import { systemClock } from '../../../sdk/clock.js';
import type { FetchInit, FetchLike } from '../../../sdk/types.js';

const TTL_MS = 60_000;

/** A fake session endpoint: issues tokens for one user id and records every call. */
function sessionServer() {
  const calls: Array<{ url: string; init: FetchInit }> = [];
  let n = 0;
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const path = new URL(url).pathname;
    const issue = (status: number) => ({
      ok: true,
      status,
      text: async () =>
        JSON.stringify({
          token: `tok-${++n}`,
          user: { id: 'u_same', nickname: 'guest' },
          expiresAt: new Date(Date.now() + TTL_MS).toISOString(),
        }),
    });
    if (path === '/api/session') return issue(201);
    if (path === '/api/session/refresh') return issue(200);
    return { ok: false, status: 404, text: async () => '{"error":{"code":"NOT_FOUND","message":"x"}}' };
  };
  return { calls, fetch };
}

describe('Auth (guest sessions)', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('refreshes before expiry with the current token and keeps the same user id', async () => {
    const srv = sessionServer();
    const auth = new Auth({
      nickname: 'guest',
      token: undefined,
      tokenProvider: undefined,
      http: { baseUrl: 'http://x', fetch: srv.fetch, clock: systemClock, requestTimeoutMs: 1000 },
    });
    auth.start();
    expect(await auth.token()).toBe('tok-1');
    expect(srv.calls.map((c) => new URL(c.url).pathname)).toEqual(['/api/session']);

    // 20 % of a 60 s lifetime before expiry = at 48 s.
    await vi.advanceTimersByTimeAsync(47_000);
    expect(srv.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(srv.calls.map((c) => new URL(c.url).pathname)).toEqual(['/api/session', '/api/session/refresh']);
    expect(srv.calls[1]!.init.headers.authorization).toBe('Bearer tok-1');
    expect(await auth.token()).toBe('tok-2');
    expect(auth.user?.id).toBe('u_same');

    auth.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('after a refusal, renews by refresh rather than a new identity', async () => {
    const srv = sessionServer();
    const auth = new Auth({
      nickname: 'guest',
      token: undefined,
      tokenProvider: undefined,
      http: { baseUrl: 'http://x', fetch: srv.fetch, clock: systemClock, requestTimeoutMs: 1000 },
    });
    await auth.token();
    auth.invalidate();
    expect(await auth.token()).toBe('tok-2');
    expect(srv.calls.map((c) => new URL(c.url).pathname)).toEqual(['/api/session', '/api/session/refresh']);
  });

  it('calls the tokenProvider again after an auth refusal; a static token cannot be renewed', async () => {
    let n = 0;
    const provided = new Auth({
      nickname: undefined,
      token: undefined,
      tokenProvider: async () => `p-${++n}`,
      http: { baseUrl: 'http://x', fetch: sessionServer().fetch, clock: systemClock, requestTimeoutMs: 1000 },
    });
    expect(await provided.token()).toBe('p-1');
    expect(await provided.token()).toBe('p-1');
    provided.invalidate();
    expect(await provided.token()).toBe('p-2');

    const fixed = new Auth({
      nickname: undefined,
      token: 'static',
      tokenProvider: undefined,
      http: { baseUrl: 'http://x', fetch: sessionServer().fetch, clock: systemClock, requestTimeoutMs: 1000 },
    });
    expect(await fixed.token()).toBe('static');
    fixed.invalidate();
    await expect(fixed.token()).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('reads sub, nick and exp from a JWT payload (UTF-8 safe)', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'u_1', nick: '민수', exp: 123 })).toString('base64url');
    expect(decodeJwt(`h.${payload}.s`)).toEqual({ sub: 'u_1', nick: '민수', exp: 123 });
    expect(decodeJwt('not-a-jwt')).toBeUndefined();
  });
});

import { describe, expect, it, vi } from 'vitest';
import { CallSession } from '../../../../sdk/call/call-session.js';
import { DefaultCallRejoinPolicy } from '../../../../sdk/call/rejoin-policy.js';
import type { CallRejoinContext } from '../../../../sdk/call/rejoin-policy.js';
import { ParleyError } from '../../../../sdk/errors.js';
import { FakeSignalling, fakeEnvironment, participant } from './fake-environment.js';

const ctx = (attempt: number, code?: string, previousRejoins: number[] = [], now = 100_000): CallRejoinContext => ({
  attempt,
  previousRejoins,
  now,
  ...(code ? { lastError: new ParleyError(code as 'TIMEOUT', code) } : {}),
});

describe('DefaultCallRejoinPolicy', () => {
  it('starts a re-join at once, at most maxRejoins per window', () => {
    const p = new DefaultCallRejoinPolicy({ maxRejoins: 2, windowMs: 10_000 });
    expect(p.nextRejoinDelayMs(ctx(0))).toBe(0);
    expect(p.nextRejoinDelayMs(ctx(0, undefined, [95_000]))).toBe(0);
    expect(p.nextRejoinDelayMs(ctx(0, undefined, [95_000, 99_000]))).toBeNull();
    // Re-joins older than the window no longer count.
    expect(p.nextRejoinDelayMs(ctx(0, undefined, [80_000, 89_999]))).toBe(0);
  });

  it('retries recoverable failures with a growing, capped delay, then gives up', () => {
    const p = new DefaultCallRejoinPolicy();
    expect([1, 2, 3, 4, 5, 8].map((a) => p.nextRejoinDelayMs(ctx(a, 'TIMEOUT')))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect(p.nextRejoinDelayMs(ctx(9, 'TIMEOUT'))).toBeNull();
    // The protocol's retryable codes and NOT_IN_CALL are recoverable; a refusal is not.
    expect(p.nextRejoinDelayMs(ctx(1, 'RATE_LIMITED'))).toBe(500);
    expect(p.nextRejoinDelayMs(ctx(1, 'NOT_IN_CALL'))).toBe(500);
    expect(p.nextRejoinDelayMs(ctx(1, 'CALL_FULL'))).toBeNull();
    expect(p.nextRejoinDelayMs(ctx(1, 'NOT_MEMBER'))).toBeNull();
  });
});

describe('CallSession with an injected rejoin policy', () => {
  function joinedSession(policy: { nextRejoinDelayMs(c: CallRejoinContext): number | null }) {
    const log: string[] = [];
    const sig = new FakeSignalling(log);
    const call = new CallSession({ signalling: sig, environment: fakeEnvironment(log), rejoinPolicy: policy });
    sig.nextJoin.push(async () => {
      sig.announce([participant('p1', 1), participant('me', 2)]);
      return { participantId: 'me', order: 2 };
    });
    return { sig, call };
  }

  it('asks the policy before re-joining and leaves with an error when it says no', async () => {
    const asked: CallRejoinContext[] = [];
    const { sig, call } = joinedSession({ nextRejoinDelayMs: (c) => (asked.push(c), null) });
    await call.join();
    const errors: string[] = [];
    call.on('error', (e) => errors.push(e.code));
    sig.announce([participant('p1', 1)]); // the server no longer lists us
    await vi.waitFor(() => expect(call.state).toBe('left'));
    expect(asked).toEqual([expect.objectContaining({ attempt: 0, previousRejoins: [] })]);
    expect(errors).toEqual(['UNAVAILABLE']);
    expect(sig.joins).toHaveLength(1);
  });

  it('waits the delay it returns between attempts and passes each failure to it', async () => {
    vi.useFakeTimers();
    try {
      const asked: CallRejoinContext[] = [];
      const { sig, call } = joinedSession({ nextRejoinDelayMs: (c) => (asked.push(c), c.attempt === 0 ? 0 : 1000) });
      await call.join();
      sig.nextJoin.push(async () => {
        throw new ParleyError('TIMEOUT', 'no receipt');
      });
      sig.nextJoin.push(async () => {
        sig.announce([participant('p1', 1), participant('me-2', 3)]);
        return { participantId: 'me-2', order: 3 };
      });
      sig.announce([participant('p1', 1)]);
      await vi.advanceTimersByTimeAsync(10);
      expect(call.state).toBe('rejoining');
      expect(asked.map((c) => [c.attempt, c.lastError?.code])).toEqual([[0, undefined], [1, 'TIMEOUT']]);
      expect(sig.joins).toHaveLength(2);
      // The failed attempt came at once; the next one waits the policy's 1000 ms.
      await vi.advanceTimersByTimeAsync(980);
      expect(sig.joins).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(20);
      expect(sig.joins).toHaveLength(3);
      expect(call.state).toBe('joined');
      expect(call.self?.participantId).toBe('me-2');
      await call.leave();
    } finally {
      vi.useRealTimers();
    }
  });
});

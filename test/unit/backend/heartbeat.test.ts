import { describe, expect, it } from 'vitest';
import { HeartbeatMonitor, negotiateHeartbeat } from '../../../backend/stomp/heartbeat.js';
import { FakeClock } from '../../helpers/fake-clock.js';

describe('negotiateHeartbeat', () => {
  it('takes the larger of the two wishes in each direction', () => {
    expect(negotiateHeartbeat('4000,20000', 10000, 10000)).toEqual({ sendEveryMs: 20000, expectEveryMs: 10000 });
    expect(negotiateHeartbeat('30000,1000', 10000, 10000)).toEqual({ sendEveryMs: 10000, expectEveryMs: 30000 });
  });

  it('turns a direction off when either side says 0, and treats a missing header as 0,0', () => {
    expect(negotiateHeartbeat('0,5000', 10000, 10000)).toEqual({ sendEveryMs: 10000, expectEveryMs: 0 });
    expect(negotiateHeartbeat('5000,5000', 0, 10000)).toEqual({ sendEveryMs: 0, expectEveryMs: 10000 });
    expect(negotiateHeartbeat(undefined, 10000, 10000)).toEqual({ sendEveryMs: 0, expectEveryMs: 0 });
  });

  it('ignores a malformed header rather than guessing', () => {
    expect(negotiateHeartbeat('10, 10', 10000, 10000)).toEqual({ sendEveryMs: 0, expectEveryMs: 0 });
  });
});

describe('HeartbeatMonitor', () => {
  it('beats when the line is quiet and not when frames flow', () => {
    const clock = new FakeClock();
    let beats = 0;
    const m = new HeartbeatMonitor({ sendEveryMs: 1000, expectEveryMs: 0 }, 3, clock, () => beats++, () => undefined);
    m.start();
    clock.advance(1000);
    expect(beats).toBe(1);
    for (let i = 0; i < 10; i++) {
      clock.advance(400);
      m.sawOutgoing();
    }
    expect(beats).toBe(1);
    m.stop();
  });

  it('times out a client silent for tolerance × interval, and not before', () => {
    const clock = new FakeClock();
    let timedOut = 0;
    const m = new HeartbeatMonitor({ sendEveryMs: 0, expectEveryMs: 1000 }, 3, clock, () => undefined, () => timedOut++);
    m.start();
    clock.advance(2500);
    m.sawIncoming();
    clock.advance(2900);
    expect(timedOut).toBe(0);
    clock.advance(700);
    expect(timedOut).toBe(1);
    clock.advance(10_000);
    expect(timedOut).toBe(1);
  });
});

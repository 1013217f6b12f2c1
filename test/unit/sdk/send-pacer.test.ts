import { describe, expect, it } from 'vitest';
import { SEND_WINDOW, sendPacer } from '../../../sdk/send-pacer.js';
import { FakeClock } from './fake-clock.js';

describe('send pacer', () => {
  it('allows a full window until the server asks to wait, then none until the wait (plus jitter) is over', () => {
    const clock = new FakeClock();
    let resumed = 0;
    const pacer = sendPacer(clock, () => resumed++, () => 0.5);
    expect(pacer.window()).toBe(SEND_WINDOW);
    // 200 ms asked, an eighth more of jitter with random() = 0.5.
    expect(pacer.wait(200)).toBe(225);
    expect(pacer.window()).toBe(0);
    clock.advance(224);
    expect(resumed).toBe(0);
    clock.advance(1);
    expect(resumed).toBe(1);
    // After a wait, one at a time until the queue drains.
    expect(pacer.window()).toBe(1);
    pacer.idle();
    expect(pacer.window()).toBe(SEND_WINDOW);
  });

  it('keeps one timer for the refusals of one burst, and waits 1 s when the server names no wait', () => {
    const clock = new FakeClock();
    let resumed = 0;
    const pacer = sendPacer(clock, () => resumed++, () => 0);
    expect(pacer.wait(undefined)).toBe(1000);
    expect(pacer.wait(300)).toBe(300);
    expect(clock.pending).toBe(1);
    clock.advance(1000);
    expect(resumed).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('jitters up to a quarter over the asked wait', () => {
    const clock = new FakeClock();
    const waits = [0, 0.999].map((r) => sendPacer(clock, () => undefined, () => r).wait(400));
    expect(waits).toEqual([400, 500]);
  });

  it('reset forgets the wait and its timer; a new connection sends one at a time until drained', () => {
    const clock = new FakeClock();
    let resumed = 0;
    const pacer = sendPacer(clock, () => resumed++, () => 0);
    pacer.wait(500);
    pacer.reset();
    expect(clock.pending).toBe(0);
    expect(pacer.window()).toBe(1);
    clock.advance(1000);
    expect(resumed).toBe(0);
    pacer.idle();
    expect(pacer.window()).toBe(SEND_WINDOW);
  });
});

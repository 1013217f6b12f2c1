import type { Clock as TimeoutClock } from '../../sdk/clock.js';

/**
 * Time, injectable so tests can drive heart-beats and grace periods without waiting: the SDK's
 * clock plus intervals, which the server's heart-beats and sweeps use.
 */
export interface Clock extends TimeoutClock {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn, ms) => {
    const t = setInterval(fn, ms);
    t.unref?.();
    return t;
  },
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

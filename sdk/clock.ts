import type { Clock } from './types.js';

/** The default clock: global timers and `Date.now`, looked up at call time (so fake timers apply). */
export const systemClock: Clock = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
  now: () => Date.now(),
};

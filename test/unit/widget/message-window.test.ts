import { describe, expect, it } from 'vitest';
import { afterAppend, shiftForPrepend, slideDown, slideUp, windowAtEnd } from '../../../widget/model/message-window.js';

const sizes = { max: 100, step: 30 };

describe('message window', () => {
  it('shows the newest rows, at most max of them', () => {
    expect(windowAtEnd(10_000, sizes)).toEqual({ start: 9900, end: 10_000 });
    expect(windowAtEnd(40, sizes)).toEqual({ start: 0, end: 40 });
  });

  it('slides up and down by step without ever exceeding max rows', () => {
    let w = windowAtEnd(10_000, sizes);
    for (let i = 0; i < 500; i++) {
      w = slideUp(w, sizes);
      expect(w.end - w.start).toBeLessThanOrEqual(sizes.max);
    }
    expect(w).toEqual({ start: 0, end: 100 });
    w = slideDown(w, 10_000, sizes);
    expect(w).toEqual({ start: 30, end: 130 });
    for (let i = 0; i < 500; i++) w = slideDown(w, 10_000, sizes);
    expect(w).toEqual({ start: 9900, end: 10_000 });
  });

  it('keeps the same rows rendered when a history page is inserted above', () => {
    expect(shiftForPrepend({ start: 0, end: 80 }, 100)).toEqual({ start: 100, end: 180 });
  });

  it('follows appended rows at the bottom, and otherwise only grows while there is room', () => {
    expect(afterAppend({ start: 900, end: 1000 }, 1000, 1003, true, sizes)).toEqual({ start: 903, end: 1003 });
    expect(afterAppend({ start: 950, end: 1000 }, 1000, 1003, false, sizes)).toEqual({ start: 950, end: 1003 });
    expect(afterAppend({ start: 900, end: 1000 }, 1000, 1003, false, sizes)).toEqual({ start: 900, end: 1000 });
    // A window that does not reach the end is left alone.
    expect(afterAppend({ start: 0, end: 100 }, 1000, 1003, true, sizes)).toEqual({ start: 0, end: 100 });
  });
});

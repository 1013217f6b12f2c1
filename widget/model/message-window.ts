/**
 * The slice `[start, end)` of the loaded messages that is in the DOM. The message list keeps at
 * most `max` rows rendered whatever the room's length, and slides the slice by `step` rows as the
 * reader scrolls; the scroll position is kept by anchoring (see `ScrollAnchorController`).
 */
export interface WindowRange {
  readonly start: number;
  readonly end: number;
}

/** Sizes of the rendered window. */
export interface WindowSizes {
  /** Most rows in the DOM. */
  readonly max: number;
  /** Rows added or removed per slide. */
  readonly step: number;
}

/** The default: 120 rows at most, sliding by 40. */
export const DEFAULT_WINDOW: WindowSizes = { max: 120, step: 40 };

/** The newest `max` rows of `total`. */
export function windowAtEnd(total: number, sizes: WindowSizes = DEFAULT_WINDOW): WindowRange {
  return { start: Math.max(0, total - sizes.max), end: total };
}

/** Slides toward older rows: adds up to `step` above, drops rows below past `max`. */
export function slideUp(w: WindowRange, sizes: WindowSizes = DEFAULT_WINDOW): WindowRange {
  const start = Math.max(0, w.start - sizes.step);
  return { start, end: Math.min(w.end, start + sizes.max) };
}

/** Slides toward newer rows: adds up to `step` below, drops rows above past `max`. */
export function slideDown(w: WindowRange, total: number, sizes: WindowSizes = DEFAULT_WINDOW): WindowRange {
  const end = Math.min(total, w.end + sizes.step);
  return { start: Math.max(w.start, end - sizes.max), end };
}

/** `count` rows were inserted before the window (a history page): the same rows stay rendered. */
export function shiftForPrepend(w: WindowRange, count: number): WindowRange {
  return { start: w.start + count, end: w.end + count };
}

/**
 * Rows were appended (total grew from `previousTotal` to `total`). When the reader follows the
 * bottom the window follows the end; otherwise it grows only while it has room, so nothing the
 * reader is looking at is removed.
 */
export function afterAppend(w: WindowRange, previousTotal: number, total: number, followBottom: boolean, sizes: WindowSizes = DEFAULT_WINDOW): WindowRange {
  if (w.end !== previousTotal) return w;
  if (followBottom) return windowAtEnd(total, sizes);
  const end = Math.min(total, w.start + sizes.max);
  return { start: w.start, end: Math.max(end, w.end) };
}

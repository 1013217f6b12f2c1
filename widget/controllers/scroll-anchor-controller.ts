import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What the controller needs from its host. */
export interface ScrollAnchorOptions {
  /** The scrolling element. */
  scroller(): HTMLElement | null | undefined;
  /** Rows that can anchor, in document order, each with a unique `data-anchor` value. */
  rows(): ArrayLike<HTMLElement>;
  /** Distance from the bottom (px) under which the reader counts as "at the bottom". Default 24. */
  bottomSlackPx?: number;
}

type Anchor = { readonly kind: 'bottom' } | { readonly kind: 'row'; readonly key: string; readonly offset: number };

/**
 * Keeps what the reader looks at in place while content changes above or around it.
 *
 * Before each host update (and on every scroll) it records an anchor: "at the bottom", or the
 * first visible row and its distance from the top of the viewport. After the update, and
 * whenever the content's size changes (fonts, wrapping, width), it scrolls so that the anchor
 * row is at the same distance again, or back to the bottom. Browser scroll anchoring
 * (`overflow-anchor`) is switched off in the styles so the two never correct the same change.
 */
export class ScrollAnchorController implements ReactiveController {
  /** Whether the reader was at the bottom at the last capture. */
  atBottom = true;
  readonly #options: ScrollAnchorOptions;
  #anchor: Anchor = { kind: 'bottom' };
  #resizeObserver: ResizeObserver | undefined;
  #observed = new Set<Element>();
  #restoring = false;
  #pinned = false;
  /** scrollTop as last set or seen by this controller; a different value means the reader scrolled. */
  #knownScrollTop = NaN;

  constructor(host: ReactiveControllerHost, options: ScrollAnchorOptions) {
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    if (typeof ResizeObserver !== 'undefined') {
      this.#resizeObserver ??= new ResizeObserver(() => this.restore());
    }
  }

  hostDisconnected(): void {
    this.#resizeObserver?.disconnect();
    this.#observed.clear();
  }

  hostUpdate(): void {
    if (!this.#restoring) this.capture();
  }

  hostUpdated(): void {
    this.#observe();
    this.restore();
  }

  /** The next restore scrolls to the bottom (e.g. after the reader sent a message). */
  pinToBottom(): void {
    this.#anchor = { kind: 'bottom' };
    this.atBottom = true;
    // Survives the capture before the next update; cleared once restored.
    this.#pinned = true;
  }

  /** Records the current anchor. Called on scroll by the host, and before every update. */
  capture(): void {
    if (this.#pinned) return;
    const scroller = this.#options.scroller();
    if (!scroller || scroller.clientHeight === 0) return;
    // Not scrolled since we last looked: whatever moved was layout (a banner, wrapping, new
    // rows), which the current anchor must absorb, not be replaced by.
    if (Math.abs(scroller.scrollTop - this.#knownScrollTop) < 1) return;
    this.#knownScrollTop = scroller.scrollTop;
    const slack = this.#options.bottomSlackPx ?? 24;
    this.atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= slack;
    if (this.atBottom) {
      this.#anchor = { kind: 'bottom' };
      return;
    }
    const row = this.#firstVisible(scroller);
    if (row) {
      const offset = row.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
      this.#anchor = { kind: 'row', key: row.dataset['anchor'] ?? '', offset };
    }
  }

  /** Scrolls so that the recorded anchor is where it was. */
  restore(): void {
    const scroller = this.#options.scroller();
    if (!scroller || scroller.clientHeight === 0) return;
    this.#restoring = true;
    try {
      const anchor = this.#anchor;
      if (anchor.kind === 'bottom') {
        scroller.scrollTop = scroller.scrollHeight;
        this.atBottom = true;
        this.#pinned = false;
        return;
      }
      const row = this.#find(anchor.key);
      if (!row) return;
      const offset = row.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
      const delta = offset - anchor.offset;
      if (Math.abs(delta) >= 0.5) scroller.scrollTop += delta;
    } finally {
      this.#knownScrollTop = scroller.scrollTop;
      this.#restoring = false;
    }
  }

  #find(key: string): HTMLElement | undefined {
    const rows = this.#options.rows();
    for (let i = 0; i < rows.length; i++) if (rows[i]!.dataset['anchor'] === key) return rows[i];
    return undefined;
  }

  /** Binary search for the first row whose bottom edge is below the viewport's top. */
  #firstVisible(scroller: HTMLElement): HTMLElement | undefined {
    const rows = this.#options.rows();
    if (rows.length === 0) return undefined;
    const top = scroller.getBoundingClientRect().top;
    let lo = 0;
    let hi = rows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rows[mid]!.getBoundingClientRect().bottom <= top + 1) lo = mid + 1;
      else hi = mid;
    }
    return rows[lo];
  }

  #observe(): void {
    const ro = this.#resizeObserver;
    const scroller = this.#options.scroller();
    if (!ro || !scroller) return;
    // The scroller (viewport size) and its content box (content size) both matter.
    for (const el of [scroller, scroller.firstElementChild, scroller.lastElementChild]) {
      if (el && !this.#observed.has(el)) {
        this.#observed.add(el);
        ro.observe(el);
      }
    }
  }
}

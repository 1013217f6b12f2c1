import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Width from which the people panel sits beside the messages instead of over them. */
export const WIDE_PX = 640;

/**
 * The element's own width (a ResizeObserver, not the viewport) and whether the people panel is
 * shown: by default beside the messages when wide and closed when narrow, until the user toggles it.
 */
export class LayoutController implements ReactiveController {
  /** Whether the element is at least {@link WIDE_PX} wide. */
  wide = true;
  /** The user's choice for the people panel, once made. */
  #membersOpen: boolean | undefined;
  readonly #host: ReactiveControllerHost & HTMLElement;
  #resize: ResizeObserver | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  /** Whether the people panel is shown. */
  get membersShown(): boolean {
    return this.#membersOpen ?? this.wide;
  }

  /** Shows or hides the people panel (the header button). */
  toggleMembers(): void {
    this.#membersOpen = !this.membersShown;
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    if (typeof ResizeObserver === 'undefined') return;
    this.#resize ??= new ResizeObserver((entries) => {
      const wide = (entries[0]?.contentRect.width ?? 0) >= WIDE_PX;
      if (wide === this.wide) return;
      this.wide = wide;
      this.#host.requestUpdate();
    });
    this.#resize.observe(this.#host);
  }

  hostDisconnected(): void {
    this.#resize?.disconnect();
  }
}

import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How long a notice stays, in milliseconds. */
export const NOTICE_MS = 6000;

/** A short-lived notice under the messages ("You are sending too fast"), cleared after {@link NOTICE_MS}. */
export class NoticeController implements ReactiveController {
  /** The text shown, or `''`. */
  text = '';
  readonly #host: ReactiveControllerHost;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Shows `text`, replacing the current notice and restarting the timer. */
  show(text: string): void {
    this.text = text;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.text = '';
      this.#host.requestUpdate();
    }, NOTICE_MS);
    this.#host.requestUpdate();
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }
}

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { emitChatEvent } from '../events/chat-events.js';

/**
 * Counts messages from others that arrive while the page is hidden (`document.hidden`), and
 * resets when it is shown again. The count is a property of the element and each change is a
 * `chat-unread-changed` event, so the page decides where to show it (tab title, favicon…).
 */
export class UnreadController implements ReactiveController {
  count = 0;
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #onVisibility = (): void => {
    if (!document.hidden) this.#set(0);
  };

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#set(0);
  }

  /** A live message arrived. */
  onMessage(own: boolean): void {
    if (!own && document.hidden) this.#set(this.count + 1);
  }

  #set(count: number): void {
    if (count === this.count) return;
    this.count = count;
    emitChatEvent(this.#host, 'chat-unread-changed', { count });
    this.#host.requestUpdate();
  }
}

import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { emitInternal } from '../events/internal-events.js';
import type { MessageAction } from '../events/internal-events.js';
import { LocalizeController } from '../localize/localize.js';
import type { Translation } from '../localize/localize.js';
import styles from './message-menu.styles.js';

/** Parts of `<chat-message-menu>`, forwarded by `<chat-room>`. */
export const MESSAGE_MENU_PARTS = ['message-menu', 'message-menu-item'] as const;

/**
 * @summary The menu of one message (WAI-ARIA menu pattern): Edit and Delete for your own message; for
 * the room's moderators, owner and site admins also Delete on others' messages and Kick, Mute (10 min)
 * and Ban (1 day) of the sender. Loaded on first use (a lazy chunk), so pages where nobody opens a menu
 * never download it.
 *
 * Keyboard: the first item takes the focus when it opens; ArrowUp/ArrowDown/Home/End move; Enter or
 * Space choose; Escape closes and gives the focus back to the menu button; Tab closes.
 *
 * @event chat-message-action - (internal) `{ action, seq, userId }` an item was chosen
 * @event chat-menu-close - (internal) `{ restoreFocus }` the menu wants to close
 *
 * @csspart message-menu - the menu (`role="menu"`)
 * @csspart message-menu-item - an item (`role="menuitem"`)
 */
export class ChatMessageMenu extends LitElement {
  static override styles = styles;

  /** The message's seq. */
  @property({ type: Number }) seq = 0;
  /** The message's sender. */
  @property({ attribute: false }) sender: { id: string; nickname: string } = { id: '', nickname: '' };
  /** The message is the current user's (Edit and Delete). */
  @property({ type: Boolean }) own = false;
  /** The current user moderates the room (Delete on others' messages, Kick, Mute, Ban). */
  @property({ type: Boolean, attribute: 'can-moderate' }) canModerate = false;

  private readonly localize = new LocalizeController(this);

  /** The items, in order, for the current user and message. */
  items(t: Translation): Array<{ action: MessageAction; label: string }> {
    const name = this.sender.nickname;
    const out: Array<{ action: MessageAction; label: string }> = [];
    if (this.own) out.push({ action: 'edit', label: t.editMessage });
    if (this.own || this.canModerate) out.push({ action: 'delete', label: t.deleteMessage });
    if (this.canModerate && !this.own) {
      out.push({ action: 'kick', label: t.kickUser(name) }, { action: 'mute', label: t.muteUser(name) }, { action: 'ban', label: t.banUser(name) });
    }
    return out;
  }

  #buttons(): HTMLButtonElement[] {
    return [...(this.renderRoot.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
  }

  protected override firstUpdated(): void {
    this.#buttons()[0]?.focus();
  }

  readonly #onKeyDown = (e: KeyboardEvent): void => {
    const buttons = this.#buttons();
    const i = buttons.indexOf(this.shadowRoot?.activeElement as HTMLButtonElement);
    let next: number | undefined;
    if (e.key === 'ArrowDown') next = (i + 1) % buttons.length;
    else if (e.key === 'ArrowUp') next = (i - 1 + buttons.length) % buttons.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = buttons.length - 1;
    else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      emitInternal(this, 'chat-menu-close', { restoreFocus: true });
      return;
    } else if (e.key === 'Tab') emitInternal(this, 'chat-menu-close', { restoreFocus: false });
    if (next === undefined) return;
    e.preventDefault();
    buttons[next]?.focus();
  };

  readonly #onFocusOut = (e: FocusEvent): void => {
    // Focus left the menu (a click or tab elsewhere): close without pulling the focus back.
    const to = e.relatedTarget as Node | null;
    if (!to || !this.shadowRoot?.contains(to)) emitInternal(this, 'chat-menu-close', { restoreFocus: false });
  };

  #choose(action: MessageAction): void {
    emitInternal(this, 'chat-message-action', { action, seq: this.seq, userId: this.sender.id });
  }

  override render(): TemplateResult | typeof nothing {
    const t = this.localize.t;
    const items = this.items(t);
    if (items.length === 0) return nothing;
    return html`<ul part="message-menu" class="menu" role="menu" aria-label=${t.messageActions(this.sender.nickname)} @keydown=${this.#onKeyDown} @focusout=${this.#onFocusOut}>
      ${items.map(
        (item) => html`<li role="none">
          <button
            part="message-menu-item"
            class="item ${item.action === 'edit' ? '' : 'danger'}"
            type="button"
            role="menuitem"
            tabindex="-1"
            data-action=${item.action}
            @click=${() => this.#choose(item.action)}
          >
            ${item.label}
          </button>
        </li>`,
      )}
    </ul>`;
  }
}

export default ChatMessageMenu;

import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, query } from 'lit/decorators.js';
import { emitInternal } from '../events/internal-events.js';
import { LocalizeController } from '../localize/localize.js';
import { lockIcon } from '../room-list/room-list.component.js';
import styles from './password-prompt.styles.js';

/** Parts of `<chat-password-prompt>`, forwarded by `<chat-room>`. */
export const PASSWORD_PROMPT_PARTS = ['password-form', 'password-heading', 'field', 'label', 'password-input', 'password-hint', 'password-error', 'form-actions', 'cancel-button', 'submit-button'] as const;

/**
 * @summary Asks for the password of a locked room: "this room needs a password" when none was
 * given yet, "wrong password" only when one was (the server answers BAD_PASSWORD to both).
 *
 * @event chat-join-request - (internal) `{ roomId, password }`
 * @event chat-cancel - (internal) the user gave up
 *
 * @csspart password-form - the form; `password-heading`, `password-input`, `password-hint` (none given yet), `password-error` (a wrong one) inside
 */
export class ChatPasswordPrompt extends LitElement {
  static override styles = styles;
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  @property({ type: Number, attribute: 'room-id' }) roomId = 0;
  @property({ attribute: 'room-name' }) roomName = '';
  /** The last password was wrong. */
  @property({ type: Boolean, attribute: 'bad-password' }) badPassword = false;
  @property({ type: Boolean }) busy = false;
  /** Offer a cancel button. */
  @property({ type: Boolean }) cancellable = false;
  /** Focus the field when shown (the user just asked to join; not on page load). */
  @property({ type: Boolean, attribute: 'autofocus-input' }) autofocusInput = false;

  @query('input') private input!: HTMLInputElement | null;

  private readonly localize = new LocalizeController(this);

  override firstUpdated(): void {
    if (this.autofocusInput) this.input?.focus();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('badPassword') && this.badPassword) {
      this.input?.focus();
      this.input?.select();
    }
  }

  #onSubmit(event: Event): void {
    event.preventDefault();
    if (this.busy) return;
    const password = this.input?.value ?? '';
    if (password === '') {
      this.input?.focus();
      return;
    }
    emitInternal(this, 'chat-join-request', { roomId: this.roomId, password });
  }

  override render(): TemplateResult {
    const t = this.localize.t;
    return html`
      <form part="password-form" aria-labelledby="pw-heading" @submit=${this.#onSubmit}>
        <h2 part="password-heading" class="heading" id="pw-heading">${lockIcon}<span>${t.passwordHeading(this.roomName)}</span></h2>
        <div part="field" class="field">
          <label part="label" for="pw">${t.passwordLabel}</label>
          <input
            id="pw"
            part="password-input"
            type="password"
            autocomplete="current-password"
            required
            aria-invalid=${this.badPassword ? 'true' : 'false'}
            aria-describedby=${this.badPassword ? 'pw-error' : 'pw-hint'}
          />
          ${this.badPassword
            ? html`<p part="password-error" class="error" id="pw-error" role="alert">${t.badPassword}</p>`
            : html`<p part="password-hint" class="hint" id="pw-hint">${t.needsPassword}</p>`}
        </div>
        <div part="form-actions" class="actions">
          ${this.cancellable
            ? html`<button part="cancel-button" class="btn" type="button" @click=${() => emitInternal(this, 'chat-cancel', {})}>${t.cancel}</button>`
            : nothing}
          <button part="submit-button" class="btn btn-primary" type="submit" ?disabled=${this.busy}>${this.busy ? t.joining : t.passwordSubmit}</button>
        </div>
      </form>
    `;
  }
}

export default ChatPasswordPrompt;

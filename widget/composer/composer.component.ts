import { LitElement, html } from 'lit';
import type { TemplateResult } from 'lit';
import { property, query } from 'lit/decorators.js';
import { ImeController } from '../controllers/ime-controller.js';
import { emitInternal } from '../events/internal-events.js';
import { LocalizeController } from '../localize/localize.js';
import styles from './composer.styles.js';

/** Parts of `<chat-composer>`, forwarded by `<chat-room>`. */
export const COMPOSER_PARTS = ['composer', 'input', 'send-button'] as const;

/**
 * @summary The message field: multi-line, Enter sends, Shift+Enter breaks the line, and safe with
 * Korean/Japanese/Chinese input methods (see ImeController): an Enter that belongs to the IME never
 * sends, the committed last syllable is always part of the message, and a message is sent once.
 *
 * @event chat-send - (internal) `{ text }` to send
 * @event chat-typing - (internal) `{ typing }` when the user starts or stops typing
 *
 * The `disabled` attribute turns the field and the button off (e.g. while the user is muted); the
 * typed text stays.
 *
 * @csspart composer - the form
 * @csspart input - the textarea
 * @csspart send-button - the send button
 */
export class ChatComposer extends LitElement {
  static override styles = styles;
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  /** The user may not send for now (muted): the field and the button are disabled. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  @query('textarea') private textarea!: HTMLTextAreaElement | null;

  private readonly localize = new LocalizeController(this);
  private readonly ime = new ImeController(this, () => this.textarea);
  #typing = false;

  /** The text in the field. */
  get value(): string {
    return this.textarea?.value ?? '';
  }

  /** Puts text back (a send that could not even be queued). */
  restore(text: string): void {
    const el = this.textarea;
    if (!el) return;
    el.value = el.value === '' ? text : `${text}\n${el.value}`;
    this.#autosize();
  }

  readonly #onKeyDown = (event: KeyboardEvent): void => {
    if (this.ime.action(event) !== 'send') return;
    event.preventDefault();
    this.#send();
  };

  readonly #onSubmit = (event: Event): void => {
    event.preventDefault();
    // A tap on "send" during composition sends once the syllable is committed.
    this.ime.whenCommitted(() => this.#send());
  };

  readonly #onInput = (): void => {
    this.#autosize();
    this.#setTyping(this.value.trim() !== '');
  };

  readonly #onBlur = (): void => this.#setTyping(false);

  #send(): void {
    const el = this.textarea;
    if (!el || this.disabled) return;
    // Read the field now: it holds every committed syllable, whatever input events said.
    const text = el.value.trimEnd();
    if (text.trim() === '') return;
    el.value = '';
    this.#autosize();
    // The server ends the typing indicator itself when the message arrives.
    this.#typing = false;
    emitInternal(this, 'chat-send', { text });
  }

  #setTyping(typing: boolean): void {
    if (typing === this.#typing) return;
    this.#typing = typing;
    emitInternal(this, 'chat-typing', { typing });
  }

  #autosize(): void {
    const el = this.textarea;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight + 2, 136)}px`;
  }

  override render(): TemplateResult {
    const t = this.localize.t;
    return html`
      <form part="composer" class="composer" @submit=${this.#onSubmit}>
        <label class="sr-only" for="input">${t.messageLabel}</label>
        <textarea
          id="input"
          part="input"
          rows="1"
          enterkeyhint="send"
          autocomplete="off"
          placeholder=${t.messagePlaceholder}
          aria-describedby="hint"
          ?disabled=${this.disabled}
          @keydown=${this.#onKeyDown}
          @input=${this.#onInput}
          @blur=${this.#onBlur}
        ></textarea>
        <span id="hint" class="sr-only">${t.composerHint}</span>
        <button part="send-button" class="btn btn-primary btn-icon send" type="submit" aria-label=${t.send} title=${t.send} ?disabled=${this.disabled}>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M3.4 20.4 21 12 3.4 3.6 3.4 10.2 15 12 3.4 13.8z" /></svg>
        </button>
      </form>
    `;
  }
}

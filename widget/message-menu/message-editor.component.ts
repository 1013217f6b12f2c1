import { LitElement, css, html } from 'lit';
import type { TemplateResult } from 'lit';
import { property, query } from 'lit/decorators.js';
import { ImeController } from '../controllers/ime-controller.js';
import { emitInternal } from '../events/internal-events.js';
import { LocalizeController } from '../localize/localize.js';
import { sharedStyles } from '../styles/shared.styles.js';

/** Parts of `<chat-message-editor>`, forwarded by `<chat-room>`. */
export const MESSAGE_EDITOR_PARTS = ['edit-form', 'edit-input', 'edit-save-button', 'edit-cancel-button'] as const;

/**
 * @summary Edits a message in place: Enter saves, Shift+Enter breaks the line, Escape cancels, and an
 * Enter that belongs to a Korean/Japanese/Chinese input method never saves (ImeController). Loaded
 * with the first edit (a lazy chunk).
 *
 * @event chat-edit-save - (internal) `{ text }` the new text (trimmed at the end, not blank, changed)
 * @event chat-edit-cancel - (internal) the edit was abandoned
 *
 * @csspart edit-form - the form; `edit-input`, `edit-save-button`, `edit-cancel-button` inside
 */
export class ChatMessageEditor extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      textarea {
        width: 100%;
        min-height: 2.5rem;
        font: inherit;
        color: inherit;
        background: var(--chat-input-bg);
        border: 1px solid var(--chat-border);
        border-radius: 0.35rem;
        padding: 0.35rem;
        resize: vertical;
      }
      .actions {
        display: flex;
        gap: 0.35rem;
        justify-content: flex-end;
        margin-top: 0.25rem;
      }
    `,
  ];

  /** The text to start from (the message's current text). */
  @property() text = '';

  @query('textarea') private textarea!: HTMLTextAreaElement | null;

  private readonly localize = new LocalizeController(this);
  private readonly ime = new ImeController(this, () => this.textarea);

  protected override firstUpdated(): void {
    const el = this.textarea;
    if (!el) return;
    // Set once: a change of the message meanwhile (another tab's edit) must not overwrite what is being typed.
    el.value = this.text;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }

  readonly #onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && !this.ime.composing) {
      e.preventDefault();
      e.stopPropagation();
      emitInternal(this, 'chat-edit-cancel', {});
      return;
    }
    if (this.ime.action(e) !== 'send') return;
    e.preventDefault();
    this.#save();
  };

  readonly #onSubmit = (e: Event): void => {
    e.preventDefault();
    this.ime.whenCommitted(() => this.#save());
  };

  #save(): void {
    const text = (this.textarea?.value ?? '').trimEnd();
    if (text.trim() === '' || text === this.text) {
      emitInternal(this, 'chat-edit-cancel', {});
      return;
    }
    emitInternal(this, 'chat-edit-save', { text });
  }

  override render(): TemplateResult {
    const t = this.localize.t;
    return html`<form part="edit-form" @submit=${this.#onSubmit}>
      <label class="sr-only" for="edit">${t.editLabel}</label>
      <textarea id="edit" part="edit-input" rows="2" aria-describedby="edit-hint" @keydown=${this.#onKeyDown}></textarea>
      <span id="edit-hint" class="sr-only">${t.editHint}</span>
      <div class="actions">
        <button part="edit-cancel-button" class="btn" type="button" @click=${() => emitInternal(this, 'chat-edit-cancel', {})}>${t.cancel}</button>
        <button part="edit-save-button" class="btn btn-primary" type="submit">${t.save}</button>
      </div>
    </form>`;
  }
}

export default ChatMessageEditor;

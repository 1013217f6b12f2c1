import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { RoomKind } from '../../sdk/index.js';
import { emitInternal } from '../events/internal-events.js';
import { LocalizeController } from '../localize/localize.js';
import type { Translation } from '../localize/localize.js';
import { ROOM_LIMITS, toCreateRoomInput, validateRoomForm } from '../model/room-form-validation.js';
import type { RoomFormError, RoomFormErrors, RoomFormValues } from '../model/room-form-validation.js';
import styles from './room-form.styles.js';

/** Parts of `<chat-room-form>`, forwarded by `<chat-room>`. */
export const ROOM_FORM_PARTS = ['room-form', 'room-form-heading', 'field-row', 'field', 'label', 'field-error', 'field-hint', 'form-error', 'form-actions', 'cancel-button', 'submit-button'] as const;

const FIELDS = ['name', 'kind', 'maxUsers', 'password'] as const;

/** The text of a validation error. */
export function roomFormErrorText(t: Translation, error: RoomFormError): string {
  switch (error) {
    case 'nameRequired':
      return t.nameRequired;
    case 'nameTooLong':
      return t.nameTooLong(ROOM_LIMITS.nameMax);
    case 'nameControl':
      return t.nameControl;
    case 'maxUsersRange':
      return t.maxUsersRange(ROOM_LIMITS.minUsers, ROOM_LIMITS.maxUsers);
    case 'passwordTooLong':
      return t.passwordTooLong(ROOM_LIMITS.passwordMax);
  }
}

/**
 * @summary The create-room form: name, kind, maximum people and an optional password, checked
 * inline (on leaving a field and on submit) with the server's own limits.
 *
 * @event chat-create-request - (internal) `{ input }` valid values to create a room with
 * @event chat-cancel - (internal) the user closed the form
 *
 * @csspart room-form - the form; `field`, `field-error`, `field-hint`, `form-error`, `form-actions` inside
 */
export class ChatRoomForm extends LitElement {
  static override styles = styles;
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  /** A request is in flight. */
  @property({ type: Boolean }) busy = false;
  /** The server's refusal, already translated. */
  @property({ attribute: 'server-error' }) serverError = '';

  @state() private values: RoomFormValues = { name: '', kind: 'chat', maxUsers: '10', password: '' };
  @state() private errors: RoomFormErrors = {};
  @state() private touched = new Set<keyof RoomFormValues>();

  private readonly localize = new LocalizeController(this);

  /** Shows every error now, as a submit would (used by stories and tests). */
  validate(): boolean {
    this.touched = new Set(FIELDS);
    this.errors = validateRoomForm(this.values);
    return Object.keys(this.errors).length === 0;
  }

  /** Sets field values (e.g. to prefill). */
  setValues(values: Partial<RoomFormValues>): void {
    this.values = { ...this.values, ...values };
    this.#revalidate();
  }

  override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#name')?.focus();
  }

  #revalidate(): void {
    const all = validateRoomForm(this.values);
    const shown: RoomFormErrors = {};
    for (const f of this.touched) if (all[f]) shown[f] = all[f];
    this.errors = shown;
  }

  #onInput(field: keyof RoomFormValues, event: Event): void {
    const value = (event.target as HTMLInputElement | HTMLSelectElement).value;
    this.values = { ...this.values, [field]: field === 'kind' ? (value as RoomKind) : value };
    if (this.errors[field]) this.#revalidate();
  }

  #onBlur(field: keyof RoomFormValues, event: FocusEvent): void {
    // Leaving for the submit button: submit checks everything. Showing the error now would move
    // the button away from under the pointer between mousedown and click, losing the click.
    if ((event.relatedTarget as Element | null)?.getAttribute('type') === 'submit') return;
    this.touched = new Set([...this.touched, field]);
    this.#revalidate();
  }

  #onSubmit(event: Event): void {
    event.preventDefault();
    if (this.busy) return;
    if (!this.validate()) {
      const first = FIELDS.find((f) => this.errors[f]);
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${first}`)?.focus());
      return;
    }
    emitInternal(this, 'chat-create-request', { input: toCreateRoomInput(this.values) });
  }

  #field(id: keyof RoomFormValues, label: string, control: TemplateResult, hint?: string): TemplateResult {
    const t = this.localize.t;
    const error = this.errors[id];
    return html`<div part="field" class="field">
      <label part="label" for=${id}>${label}</label>
      ${control}
      ${hint ? html`<p part="field-hint" class="hint" id=${`${id}-hint`}>${hint}</p>` : nothing}
      ${error ? html`<p part="field-error" class="error" id=${`${id}-error`}>${roomFormErrorText(t, error)}</p>` : nothing}
    </div>`;
  }

  #describedBy(id: keyof RoomFormValues, hint: boolean): string | typeof nothing {
    const ids = [hint ? `${id}-hint` : '', this.errors[id] ? `${id}-error` : ''].filter(Boolean).join(' ');
    return ids === '' ? nothing : ids;
  }

  override render(): TemplateResult {
    const t = this.localize.t;
    const v = this.values;
    const invalid = (f: keyof RoomFormValues): 'true' | 'false' => (this.errors[f] ? 'true' : 'false');
    return html`
      <form part="room-form" novalidate aria-labelledby="create-heading" @submit=${this.#onSubmit}>
        <h2 part="room-form-heading" id="create-heading">${t.createRoomHeading}</h2>
        ${this.#field(
          'name',
          t.fieldName,
          html`<input id="name" name="name" autocomplete="off" required .value=${v.name} aria-invalid=${invalid('name')}
            aria-describedby=${this.#describedBy('name', false)} @input=${(e: Event) => this.#onInput('name', e)} @blur=${(e: FocusEvent) => this.#onBlur('name', e)} />`,
        )}
        <div part="field-row" class="row">
          ${this.#field(
            'kind',
            t.fieldKind,
            html`<select id="kind" name="kind" .value=${v.kind} @change=${(e: Event) => this.#onInput('kind', e)}>
              <option value="chat" ?selected=${v.kind === 'chat'}>${t.roomKind('chat')}</option>
              <option value="video" ?selected=${v.kind === 'video'}>${t.roomKind('video')}</option>
            </select>`,
          )}
          ${this.#field(
            'maxUsers',
            t.fieldMaxUsers,
            html`<input id="maxUsers" name="maxUsers" type="number" inputmode="numeric" min=${ROOM_LIMITS.minUsers} max=${ROOM_LIMITS.maxUsers}
              .value=${v.maxUsers} aria-invalid=${invalid('maxUsers')} aria-describedby=${this.#describedBy('maxUsers', false)}
              @input=${(e: Event) => this.#onInput('maxUsers', e)} @blur=${(e: FocusEvent) => this.#onBlur('maxUsers', e)} />`,
          )}
        </div>
        ${this.#field(
          'password',
          t.fieldPassword,
          html`<input id="password" name="password" type="password" autocomplete="new-password" .value=${v.password}
            aria-invalid=${invalid('password')} aria-describedby=${this.#describedBy('password', true)}
            @input=${(e: Event) => this.#onInput('password', e)} @blur=${(e: FocusEvent) => this.#onBlur('password', e)} />`,
          t.fieldPasswordHint,
        )}
        ${this.serverError ? html`<p part="form-error" class="form-error" role="alert">${this.serverError}</p>` : nothing}
        <div part="form-actions" class="actions">
          <button part="cancel-button" class="btn" type="button" @click=${() => emitInternal(this, 'chat-cancel', {})}>${t.cancel}</button>
          <button part="submit-button" class="btn btn-primary" type="submit" ?disabled=${this.busy}>${this.busy ? t.creating : t.create}</button>
        </div>
      </form>
    `;
  }
}

export default ChatRoomForm;

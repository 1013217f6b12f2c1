/** An `exportparts` value that forwards a part's parts under their own names. */
export const exportParts = (parts: readonly string[]): string => parts.join(', ');

/**
 * Defines `name` from a chunk loaded on first use (the element upgrades in place when its chunk
 * arrives). The create-room form, the password prompt and the call panel are needed by few
 * visits, so they stay out of the initial load.
 */
export function lazy(name: string, load: () => Promise<{ default: CustomElementConstructor }>): void {
  if (!customElements.get(name)) void load().then((m) => customElements.get(name) || customElements.define(name, m.default));
}

// The lazy parts' part lists, repeated here so that the initial load does not import them.
export const ROOM_FORM_PARTS = ['room-form', 'room-form-heading', 'field-row', 'field', 'label', 'field-error', 'field-hint', 'form-error', 'form-actions', 'cancel-button', 'submit-button'];
export const PASSWORD_PROMPT_PARTS = ['password-form', 'password-heading', 'field', 'label', 'password-input', 'password-error', 'form-actions', 'cancel-button', 'submit-button'];
// The call panel's parts, prefixed so they cannot clash with the message list's (`notice`…).
export const CALL_PANEL_EXPORTPARTS = 'grid:call-grid, tile:call-tile, toolbar:call-toolbar, notice:call-notice';

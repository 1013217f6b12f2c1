/** An `exportparts` value that forwards a part's parts under their own names. */
export const exportParts = (parts: readonly string[]): string => parts.join(', ');

/**
 * Defines `name` from a chunk loaded on first use. The room list (fetched while connecting), the
 * create-room form, the password prompt and the call panel stay out of the initial load.
 * @param host - asked to render again once the element is defined; pass it when the caller
 *   renders the element only once defined (see {@link renderLobby})
 * @returns whether `name` is defined now
 */
export function lazy(name: string, load: () => Promise<{ default: CustomElementConstructor }>, host?: { requestUpdate(): void }): boolean {
  if (customElements.get(name)) return true;
  void load().then((m) => {
    if (!customElements.get(name)) customElements.define(name, m.default);
    host?.requestUpdate();
  });
  return false;
}

// The lazy parts' part lists, repeated here so that the initial load does not import them.
export const ROOM_LIST_PARTS = ['room-list-panel', 'room-list-header', 'room-list-heading', 'new-room-button', 'room-list-status', 'room-list', 'room', 'room-button', 'room-name', 'lock', 'room-kind', 'room-full', 'room-count'];
export const ROOM_FORM_PARTS = ['room-form', 'room-form-heading', 'field-row', 'field', 'label', 'field-error', 'field-hint', 'form-error', 'form-actions', 'cancel-button', 'submit-button'];
export const PASSWORD_PROMPT_PARTS = ['password-form', 'password-heading', 'field', 'label', 'password-input', 'password-hint', 'password-error', 'form-actions', 'cancel-button', 'submit-button'];
// The call panel's parts, prefixed so they cannot clash with the message list's (`notice`…).
export const CALL_PANEL_EXPORTPARTS = 'grid:call-grid, tile:call-tile, toolbar:call-toolbar, notice:call-notice';

/**
 * A module of views loaded on first use: returns it once loaded, else `undefined` after asking
 * `host` to render again when it arrives.
 */
export function lazyViews<T>(load: () => Promise<T>): (host: { requestUpdate(): void }) => T | undefined {
  let loaded: T | undefined;
  let loading: Promise<T> | undefined;
  return (host) => {
    if (loaded === undefined) {
      loading ??= load().then((m) => (loaded = m));
      void loading.then(() => host.requestUpdate());
    }
    return loaded;
  };
}

/** What the guard needs from a `keydown` event. */
export interface EnterKeyLike {
  readonly key: string;
  readonly isComposing: boolean;
  /** Legacy, but the only signal some browsers give for an IME-handled key (229). */
  readonly keyCode: number;
  readonly shiftKey: boolean;
}

/** What an Enter key press should do in the composer. */
export type EnterAction = 'send' | 'newline' | 'ime' | 'none';

/** keyCode of a key the IME is processing (`Process` key). */
export const IME_KEY_CODE = 229;

/**
 * Decides whether Enter sends, so that Korean, Japanese and Chinese input never sends a partial or
 * doubled message and never loses its last syllable.
 *
 * Three signals are combined, because each browser gives a different subset:
 * - `compositionstart`…`compositionend` (tracked here): Enter inside it belongs to the IME;
 * - `KeyboardEvent.isComposing`: true for the keydown that commits a composition in Chrome/Firefox;
 * - `keyCode === 229`: Safari fires the committing keydown *after* `compositionend` with
 *   `isComposing` false, and only this tells it apart. Checking `isComposing` alone would send there.
 *
 * The Enter that a user presses after the commit arrives with keyCode 13 and sends the full text,
 * which is read from the field at that moment (so the committed last syllable is included).
 */
export class ImeEnterGuard {
  #composing = false;

  /** Whether a composition is in progress. */
  get composing(): boolean {
    return this.#composing;
  }

  /** Call on `compositionstart`. */
  compositionStart(): void {
    this.#composing = true;
  }

  /** Call on `compositionend`. */
  compositionEnd(): void {
    this.#composing = false;
  }

  /**
   * The action for a keydown.
   * - `ime`: the IME owns this key; do nothing (and do not prevent its default).
   * - `send`: prevent the default and send.
   * - `newline`: let the default insert a line break (Shift+Enter).
   * - `none`: not Enter.
   */
  action(event: EnterKeyLike): EnterAction {
    if (event.isComposing || event.keyCode === IME_KEY_CODE || this.#composing) return 'ime';
    if (event.key !== 'Enter') return 'none';
    if (event.shiftKey) return 'newline';
    return 'send';
  }
}

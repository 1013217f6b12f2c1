import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ImeEnterGuard } from '../model/ime-enter-guard.js';
import type { EnterAction, EnterKeyLike } from '../model/ime-enter-guard.js';

/**
 * Tracks IME composition on a text field (`compositionstart`/`compositionend`) so the host can
 * tell an Enter that sends from one that belongs to the IME; see {@link ImeEnterGuard}.
 * It can also hold a send requested mid-composition (a tap on the send button) until the
 * composition is committed, so the last syllable is included.
 */
export class ImeController implements ReactiveController {
  readonly #guard = new ImeEnterGuard();
  readonly #target: () => HTMLElement | null | undefined;
  #element: HTMLElement | undefined;
  #afterCommit: (() => void) | undefined;
  readonly #onStart = (): void => this.#guard.compositionStart();
  readonly #onEnd = (): void => {
    this.#guard.compositionEnd();
    const run = this.#afterCommit;
    this.#afterCommit = undefined;
    // The committed text lands in the field's value with the `input` event that follows.
    if (run) setTimeout(run, 0);
  };

  constructor(host: ReactiveControllerHost, target: () => HTMLElement | null | undefined) {
    this.#target = target;
    host.addController(this);
  }

  /** Whether a composition is in progress. */
  get composing(): boolean {
    return this.#guard.composing;
  }

  hostUpdated(): void {
    const el = this.#target() ?? undefined;
    if (el === this.#element) return;
    this.#detach();
    this.#element = el;
    el?.addEventListener('compositionstart', this.#onStart);
    el?.addEventListener('compositionend', this.#onEnd);
  }

  hostDisconnected(): void {
    this.#detach();
    this.#guard.compositionEnd();
  }

  /** What a keydown should do (see {@link ImeEnterGuard.action}). */
  action(event: EnterKeyLike): EnterAction {
    return this.#guard.action(event);
  }

  /** Runs `fn` now, or right after the current composition is committed. */
  whenCommitted(fn: () => void): void {
    if (this.#guard.composing) this.#afterCommit = fn;
    else fn();
  }

  #detach(): void {
    this.#element?.removeEventListener('compositionstart', this.#onStart);
    this.#element?.removeEventListener('compositionend', this.#onEnd);
    this.#element = undefined;
  }
}

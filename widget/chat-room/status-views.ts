// The views few visits see: the nickname form (most pages pass a nickname or a client), a failed
// first connection, and a room that is full, gone or failed. `<chat-room>` loads this module on
// first use, keeping it out of the initial load.
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { KickedBody, ParleyErrorCode } from '../../sdk/index.js';
import { errorText } from '../localize/error-text.js';
import type { Translation } from '../localize/localize.js';

/** The nickname form shown when the page gave neither a nickname, a token nor a client. */
export function renderSignIn(t: Translation, invalid: boolean, onSubmit: (e: SubmitEvent) => void): TemplateResult {
  return html`<form part="signin" class="signin" @submit=${onSubmit} aria-labelledby="signin-heading">
    <h2 part="heading" id="signin-heading">${t.signInHeading}</h2>
    <div part="field" class="field">
      <label part="label" for="nickname">${t.nicknameLabel}</label>
      <input
        id="nickname"
        part="input"
        autocomplete="nickname"
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${invalid ? 'nickname-hint nickname-error' : 'nickname-hint'}
      />
      <p part="field-hint" class="hint" id="nickname-hint">${t.nicknameHint}</p>
      ${invalid ? html`<p part="field-error" class="error" id="nickname-error" role="alert">${t.nicknameInvalid}</p>` : nothing}
    </div>
    <button part="submit-button" class="btn btn-primary" type="submit">${t.signIn}</button>
  </form>`;
}

/** The first connection failed: say so, with a retry button. */
export function renderConnectFailed(t: Translation, onRetry: () => void): TemplateResult {
  return html`<div part="status-panel" class="center" role="alert">
    <p part="status-text">${t.connectFailed}</p>
    <button part="retry-button" class="btn btn-primary" type="button" @click=${onRetry}>${t.retry}</button>
  </div>`;
}

/** A room that could not be entered or went away. */
export interface RoomProblemView {
  readonly status: 'full' | 'not-found' | 'deleted' | 'kicked' | 'error';
  readonly name: string;
  /** The page fixed the room (`room` attribute): no way back to the list. */
  readonly fixed: boolean;
  readonly errorCode: ParleyErrorCode | undefined;
  /** For `kicked`: a kick or a ban, with the ban's end. */
  readonly kicked?: KickedBody | undefined;
  /** Formats a date and time in the widget's language (the end of a ban). */
  readonly dateTime?: (date: Date) => string;
  readonly onBack: () => void;
  readonly onTryAgain: () => void;
}

/** Why the room is not shown, with "back to the rooms" (unless fixed) and "try again" where it may help. */
export function renderRoomProblem(t: Translation, v: RoomProblemView): TemplateResult {
  const back = v.fixed ? nothing : html`<button part="back-to-rooms-button" class="btn" type="button" @click=${v.onBack}>${t.backToRooms}</button>`;
  const actions = html`<div part="actions" class="actions">
    ${back}
    <button part="try-again-button" class="btn btn-primary" type="button" @click=${v.onTryAgain}>${t.tryAgain}</button>
  </div>`;
  switch (v.status) {
    case 'full':
      return html`<div part="status-panel room-full-state" class="center" role="alert">
        <h2 part="heading">${t.roomFullHeading(v.name)}</h2>
        <p part="status-text" class="muted">${t.roomFullBody}</p>
        ${actions}
      </div>`;
    case 'not-found':
    case 'deleted':
      // Always a way back, even when the page fixed the room: a `room` attribute naming a room
      // that does not exist (a copied snippet, a fresh install) must not be a dead end.
      return html`<div part="status-panel room-missing-state" class="center" role="alert">
        <h2 part="heading">${v.status === 'deleted' ? t.roomDeleted : t.roomNotFound}</h2>
        ${v.status === 'not-found' ? html`<p part="status-text" class="muted">${t.roomNotFoundHint}</p>` : nothing}
        <div part="actions" class="actions">
          <button part="back-to-rooms-button" class="btn btn-primary" type="button" @click=${v.onBack}>${t.backToRooms}</button>
        </div>
      </div>`;
    case 'kicked': {
      // No "try again" during a ban: every join would be refused until it ends.
      const k = v.kicked;
      const ban = k?.reason === 'ban' ? (k.until ? t.bannedUntil(v.dateTime?.(new Date(k.until)) ?? k.until) : t.bannedForever) : '';
      return html`<div part="status-panel kicked-state" class="center" role="alert">
        <h2 part="heading">${t.kickedHeading}</h2>
        ${ban ? html`<p part="status-text" class="muted">${ban}</p>` : nothing}
        ${ban ? back : actions}
      </div>`;
    }
    case 'error':
      return html`<div part="status-panel" class="center" role="alert">
        <p part="status-text">${v.errorCode ? errorText(t, v.errorCode) : t.errorGeneric}</p>
        ${actions}
      </div>`;
  }
}

import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { ParleyErrorCode } from '../../sdk/index.js';
import type { RoomStatus } from '../controllers/room-controller.js';
import type { InternalEvent } from '../events/internal-events.js';
import { errorText } from '../localize/error-text.js';
import type { Translation } from '../localize/localize.js';
import { PASSWORD_PROMPT_PARTS, exportParts, lazy } from './lazy-parts.js';

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

/** Before the first connection: "connecting…", or the failure with a retry button. */
export function renderConnecting(t: Translation, failed: boolean, onRetry: () => void): TemplateResult {
  if (!failed) return html`<div part="status-panel" class="center muted" role="status">${t.connecting}</div>`;
  return html`<div part="status-panel" class="center" role="alert">
    <p part="status-text">${t.connectFailed}</p>
    <button part="retry-button" class="btn btn-primary" type="button" @click=${onRetry}>${t.retry}</button>
  </div>`;
}

/** A room that is not (yet) live: joining, locked, full, gone, or failed. */
export interface RoomStateView {
  readonly status: Exclude<RoomStatus, 'live'>;
  readonly roomId: number;
  readonly name: string;
  readonly lang: string;
  /** The page fixed the room (`room` attribute): no way back to the list. */
  readonly fixed: boolean;
  /** The last password was wrong (not merely missing). */
  readonly badPassword: boolean;
  /** Move the focus into the password field (the user asked to open the room). */
  readonly focus: boolean;
  readonly errorCode: ParleyErrorCode | undefined;
  readonly onBack: () => void;
  readonly onTryAgain: () => void;
  readonly onJoinRequest: (e: InternalEvent<'chat-join-request'>) => void;
}

export function renderRoomState(t: Translation, v: RoomStateView): TemplateResult {
  const back = v.fixed ? nothing : html`<button part="back-to-rooms-button" class="btn" type="button" @click=${v.onBack}>${t.backToRooms}</button>`;
  const actions = html`<div part="actions" class="actions">
    ${back}
    <button part="try-again-button" class="btn btn-primary" type="button" @click=${v.onTryAgain}>${t.tryAgain}</button>
  </div>`;
  switch (v.status) {
    case 'idle':
    case 'joining':
      return html`<div part="status-panel" class="center muted" role="status">${t.joining}</div>`;
    case 'password':
      lazy('chat-password-prompt', () => import('../password-prompt/password-prompt.component.js'));
      return html`<chat-password-prompt
        lang=${v.lang}
        exportparts=${exportParts(PASSWORD_PROMPT_PARTS)}
        room-id=${v.roomId}
        room-name=${v.name}
        ?bad-password=${v.badPassword}
        ?cancellable=${!v.fixed}
        ?autofocus-input=${v.focus}
        @chat-join-request=${v.onJoinRequest}
        @chat-cancel=${v.onBack}
      ></chat-password-prompt>`;
    case 'full':
      return html`<div part="status-panel room-full-state" class="center" role="alert">
        <h2 part="heading">${t.roomFullHeading(v.name)}</h2>
        <p part="status-text" class="muted">${t.roomFullBody}</p>
        ${actions}
      </div>`;
    case 'not-found':
    case 'deleted':
      return html`<div part="status-panel" class="center" role="alert">
        <p part="status-text">${v.status === 'deleted' ? t.roomDeleted : t.roomNotFound}</p>
        ${back}
      </div>`;
    case 'error':
      return html`<div part="status-panel" class="center" role="alert">
        <p part="status-text">${v.errorCode ? errorText(t, v.errorCode) : t.errorGeneric}</p>
        ${actions}
      </div>`;
  }
}

import { html } from 'lit';
import type { TemplateResult } from 'lit';
import type { InternalEvent } from '../events/internal-events.js';
import { PASSWORD_PROMPT_PARTS, exportParts, lazy } from './lazy-parts.js';

/** A muted status line while something is under way ("Connecting…", "Joining…"), or empty. */
export function renderWaiting(text: string): TemplateResult {
  return html`<div part="status-panel" class="center muted" role="status">${text}</div>`;
}

/** What the password prompt of a locked room needs. */
export interface PasswordView {
  readonly roomId: number;
  readonly name: string;
  readonly lang: string;
  /** The last password was wrong (not merely missing). */
  readonly badPassword: boolean;
  /** The user may go back to the list (the page did not fix the room). */
  readonly cancellable: boolean;
  /** Move the focus into the field (the user asked to open the room). */
  readonly focus: boolean;
  readonly onJoinRequest: (e: InternalEvent<'chat-join-request'>) => void;
  readonly onCancel: () => void;
}

/** The password prompt of a locked room (a lazy chunk, defined on first use). */
export function renderPassword(v: PasswordView): TemplateResult {
  lazy('chat-password-prompt', () => import('../password-prompt/password-prompt.component.js'));
  return html`<chat-password-prompt
    lang=${v.lang}
    exportparts=${exportParts(PASSWORD_PROMPT_PARTS)}
    room-id=${v.roomId}
    room-name=${v.name}
    ?bad-password=${v.badPassword}
    ?cancellable=${v.cancellable}
    ?autofocus-input=${v.focus}
    @chat-join-request=${v.onJoinRequest}
    @chat-cancel=${v.onCancel}
  ></chat-password-prompt>`;
}

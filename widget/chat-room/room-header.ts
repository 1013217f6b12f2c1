import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { ConnectionState } from '../../sdk/index.js';
import type { Translation } from '../localize/localize.js';

/** What `<chat-room>`'s header shows. */
export interface HeaderView {
  readonly title: string;
  /** Show the back button (in a room the page did not fix). */
  readonly back: boolean;
  readonly unread: number;
  /** The people button, in a live room. */
  readonly members: { readonly shown: boolean; readonly count: number } | undefined;
  /** People in the room's call, when the call button is shown. */
  readonly callCount: number | undefined;
  readonly state: ConnectionState;
  readonly onBack: () => void;
  readonly onMembers: () => void;
  readonly onCall: () => void;
}

/** The header: back button, title, unread badge, people and call buttons, connection dot. */
export function renderHeader(t: Translation, v: HeaderView): TemplateResult {
  return html`<header part="header" class="header">
    ${v.back
      ? html`<button part="back-button" class="btn btn-icon" type="button" aria-label=${t.backToRooms} title=${t.backToRooms} @click=${v.onBack}>
          <span aria-hidden="true">←</span>
        </button>`
      : nothing}
    <h2 part="title" class="title">${v.title}</h2>
    ${v.unread > 0 ? html`<span part="unread-badge" class="unread" role="status">${t.unread(v.unread)}</span>` : nothing}
    ${v.members
      ? html`<button
          part="members-button"
          class="btn"
          type="button"
          aria-expanded=${v.members.shown ? 'true' : 'false'}
          aria-controls="members"
          title=${t.people}
          @click=${v.onMembers}
        >
          <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-3.3 0-7 1.6-7 4v3h14v-3c0-2.4-3.7-4-7-4zm7.5-2a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zm.5 2c-.5 0-1 0-1.5.1 1.5 1 2.5 2.3 2.5 3.9v3h5.5v-3c0-2.2-3.4-4-6.5-4z"/></svg>
          <span class="sr-only">${t.people}</span> ${v.members.count}
        </button>`
      : nothing}
    ${v.callCount !== undefined ? renderCallButton(t, v.callCount, v.onCall) : nothing}
    <span part="state-dot" class="state-dot" data-state=${v.state} aria-hidden="true"></span>
  </header>`;
}

function renderCallButton(t: Translation, count: number, onCall: () => void): TemplateResult {
  const label = count > 0 ? t.callJoinCount(count) : t.callStart;
  return html`<button part="call-button" class="btn" type="button" aria-label=${label} title=${label} @click=${onCall}>
    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11z"/></svg>
    ${count > 0 ? html`<span aria-hidden="true">${count}</span>` : nothing}
  </button>`;
}

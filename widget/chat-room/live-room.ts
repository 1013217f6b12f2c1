import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { CallController } from '../controllers/call-controller.js';
import type { RoomController } from '../controllers/room-controller.js';
import type { InternalEvent } from '../events/internal-events.js';
import type { Translation } from '../localize/localize.js';
import { COMPOSER_PARTS } from '../composer/composer.component.js';
import { MEMBER_LIST_PARTS } from '../member-list/member-list.component.js';
import { MESSAGE_LIST_PARTS } from '../message-list/message-list.component.js';
import { CALL_PANEL_EXPORTPARTS, exportParts, lazy } from './lazy-parts.js';

/** What a live room needs from `<chat-room>`. */
export interface LiveRoomView {
  readonly lang: string;
  readonly room: RoomController;
  readonly call: CallController;
  readonly selfId: string | undefined;
  /** The user moderates the room: menus on others' messages, with Delete, Kick, Mute and Ban. */
  readonly canModerate: boolean;
  readonly membersShown: boolean;
  /** A short-lived notice under the messages (`''` for none). */
  readonly notice: string;
  readonly onSend: (e: InternalEvent<'chat-send'>) => void;
}

/** A joined room: the call panel (when open), messages, typing line, notice, composer and people. */
export function renderLiveRoom(t: Translation, v: LiveRoomView): TemplateResult {
  const r = v.room;
  const typingNames = r.typing.map((u) => u.nickname);
  return html`<div part="room" class="room ${v.membersShown ? 'members-open' : ''}">
    <div part="room-main" class="room-main">
      ${renderCall(v)}
      <chat-message-list
        lang=${v.lang}
        exportparts=${exportParts(MESSAGE_LIST_PARTS)}
        .messages=${r.messages}
        .pending=${r.pending}
        .selfId=${v.selfId}
        .roomKey=${r.roomId}
        ?has-more=${r.hasMore}
        ?loading-older=${r.loadingOlder}
        ?older-failed=${r.olderFailed}
        ?can-moderate=${v.canModerate}
        @chat-load-older=${() => void r.loadOlder()}
        @chat-retry-message=${(e: InternalEvent<'chat-retry-message'>) => r.retry(e.detail.clientMsgId, e.detail.text)}
        @chat-dismiss-message=${(e: InternalEvent<'chat-dismiss-message'>) => r.dismiss(e.detail.clientMsgId)}
        @chat-edit-message=${(e: InternalEvent<'chat-edit-message'>) => r.edit(e.detail.seq, e.detail.text)}
        @chat-message-action=${(e: InternalEvent<'chat-message-action'>) => {
          const { action, seq, userId } = e.detail;
          if (action !== 'edit') r.act(action, seq, userId);
        }}
      ></chat-message-list>
      <div part="typing" class="typing">${typingNames.length > 0 ? t.typing(typingNames) : nothing}</div>
      ${v.notice ? html`<p part="alert" class="alert" role="alert">${v.notice}</p>` : nothing}
      ${r.muted ? html`<p part="muted-notice" class="alert" role="status">${t.mutedNotice}</p>` : nothing}
      <chat-composer
        lang=${v.lang}
        exportparts=${exportParts(COMPOSER_PARTS)}
        ?disabled=${r.muted}
        @chat-send=${v.onSend}
        @chat-typing=${(e: InternalEvent<'chat-typing'>) => r.setTyping(e.detail.typing)}
      ></chat-composer>
    </div>
    <chat-member-list
      id="members"
      lang=${v.lang}
      exportparts=${exportParts(MEMBER_LIST_PARTS)}
      ?hidden=${!v.membersShown}
      .members=${r.members}
      .typing=${r.typing}
      .selfId=${v.selfId}
      count=${r.userCount}
    ></chat-member-list>
  </div>`;
}

function renderCall(v: LiveRoomView): TemplateResult | typeof nothing {
  const call = v.call;
  // Rendered once the session exists, so the panel gets it in its first binding: a value set
  // between the lazy element's upgrade and its first update would be overwritten by the
  // pre-upgrade one (Lit replays properties set before the upgrade).
  if (!call.open || !call.session) return nothing;
  const video = v.room.room?.kind === 'video';
  // Loaded on first use: chat-only pages never download the panel or the call layer.
  lazy('chat-call-panel', () => import('../call-panel/call-panel.component.js'));
  return html`<chat-call-panel
    part="call-panel"
    class=${video ? 'video' : 'chat'}
    lang=${v.lang}
    exportparts=${CALL_PANEL_EXPORTPARTS}
    auto-join
    .session=${call.session}
    @chat-call-left=${() => {
      // A chat room goes back to chat only; a video room keeps the panel (with "Join call").
      if (!video) call.close();
    }}
  ></chat-call-panel>`;
}

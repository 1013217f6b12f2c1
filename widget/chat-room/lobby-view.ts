import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { CreateRoomController } from '../controllers/create-room-controller.js';
import type { LobbyController } from '../controllers/lobby-controller.js';
import type { InternalEvent } from '../events/internal-events.js';
import type { Translation } from '../localize/localize.js';
import { ROOM_FORM_PARTS, ROOM_LIST_PARTS, exportParts, lazy } from './lazy-parts.js';
import { renderWaiting } from './waiting-views.js';

/** Loads the room list's chunk (`<chat-room>` starts it while connecting); see {@link lazy}. */
export const loadRoomList = (host?: { requestUpdate(): void }): boolean => lazy('chat-room-list', () => import('../room-list/room-list.component.js'), host);

/** What the room list needs from `<chat-room>`. */
export interface LobbyView {
  /** Renders again once the room list's chunk has arrived. */
  readonly host: { requestUpdate(): void };
  readonly lang: string;
  readonly lobby: LobbyController;
  readonly form: CreateRoomController;
  readonly onJoinRequest: (e: InternalEvent<'chat-join-request'>) => void;
  readonly onCreateRequest: (e: InternalEvent<'chat-create-request'>) => void;
}

/**
 * The room list, with the create-room form (a lazy chunk) in its `form` slot while open. The list
 * is rendered only once its chunk is defined, so that it gets its rooms in its first binding (Lit
 * replays properties set before an upgrade over newer ones).
 */
export function renderLobby(t: Translation, v: LobbyView): TemplateResult {
  if (!loadRoomList(v.host)) return renderWaiting(t.roomsLoading);
  const form = v.form;
  if (form.open) lazy('chat-room-form', () => import('../room-form/room-form.component.js'));
  return html`<div part="lobby" class="lobby">
    <chat-room-list
      lang=${v.lang}
      exportparts=${exportParts(ROOM_LIST_PARTS)}
      .rooms=${v.lobby.rooms}
      status=${v.lobby.status}
      ?form-open=${form.open}
      @chat-join-request=${v.onJoinRequest}
      @chat-create-open=${() => form.toggle()}
    >
      ${form.open
        ? html`<chat-room-form
            slot="form"
            lang=${v.lang}
            exportparts=${exportParts(ROOM_FORM_PARTS)}
            ?busy=${form.busy}
            server-error=${form.error}
            @chat-create-request=${v.onCreateRequest}
            @chat-cancel=${() => form.close()}
          ></chat-room-form>`
        : nothing}
    </chat-room-list>
  </div>`;
}

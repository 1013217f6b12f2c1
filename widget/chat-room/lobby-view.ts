import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { CreateRoomController } from '../controllers/create-room-controller.js';
import type { LobbyController } from '../controllers/lobby-controller.js';
import type { InternalEvent } from '../events/internal-events.js';
import { ROOM_LIST_PARTS } from '../room-list/room-list.component.js';
import { ROOM_FORM_PARTS, exportParts, lazy } from './lazy-parts.js';

/** What the room list needs from `<chat-room>`. */
export interface LobbyView {
  readonly lang: string;
  readonly lobby: LobbyController;
  readonly form: CreateRoomController;
  readonly onJoinRequest: (e: InternalEvent<'chat-join-request'>) => void;
  readonly onCreateRequest: (e: InternalEvent<'chat-create-request'>) => void;
}

/** The room list, with the create-room form (a lazy chunk) in its `form` slot while open. */
export function renderLobby(v: LobbyView): TemplateResult {
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

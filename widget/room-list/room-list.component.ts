import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Room } from '../../sdk/index.js';
import type { LobbyStatus } from '../controllers/lobby-controller.js';
import { emitInternal } from '../events/internal-events.js';
import { LocalizeController } from '../localize/localize.js';
import styles from './room-list.styles.js';

/** Parts of `<chat-room-list>`, forwarded by `<chat-room>`. */
export const ROOM_LIST_PARTS = [
  'room-list-panel', 'room-list-header', 'room-list-heading', 'new-room-button', 'room-list-status', 'room-list',
  'room', 'room-button', 'room-name', 'lock', 'room-kind', 'room-full', 'room-count',
] as const;

/** A padlock, drawn beside locked rooms. */
export const lockIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5zm-3 8V7a3 3 0 0 1 6 0v3z"/></svg>`;

/**
 * @summary The room list: live user counts, a lock mark on locked rooms, a "full" mark, and the
 * "new room" button.
 *
 * @event chat-join-request - (internal) `{ roomId }` the user picked a room
 * @event chat-create-open - (internal) the user wants to create a room
 *
 * @csspart room-list - the list; each `room` item holds a `room-button` with `room-name`, `lock`,
 *   `room-kind`, `room-full` and `room-count`
 * @csspart new-room-button - opens the create form
 * @slot form - the create-room form, shown under the heading
 */
export class ChatRoomList extends LitElement {
  static override styles = styles;

  @property({ attribute: false }) rooms: readonly Room[] = [];
  @property() status: LobbyStatus = 'idle';
  /** Whether the create form is open (for `aria-expanded`). */
  @property({ type: Boolean, attribute: 'form-open' }) formOpen = false;

  private readonly localize = new LocalizeController(this);

  override render(): TemplateResult {
    const t = this.localize.t;
    let status: TemplateResult | typeof nothing = nothing;
    if (this.status === 'loading' && this.rooms.length === 0) status = html`${t.roomsLoading}`;
    else if (this.status === 'error') status = html`${t.roomsLoadFailed}`;
    else if (this.status === 'ready' && this.rooms.length === 0) status = html`${t.roomsEmpty}`;
    return html`
      <section part="room-list-panel" class="panel" aria-labelledby="rooms-heading">
        <div part="room-list-header" class="head">
          <h2 part="room-list-heading" id="rooms-heading">${t.roomsHeading}</h2>
          <button
            part="new-room-button"
            class="btn btn-primary"
            type="button"
            aria-expanded=${this.formOpen ? 'true' : 'false'}
            @click=${() => emitInternal(this, 'chat-create-open', {})}
          >
            <span aria-hidden="true">+</span> ${t.newRoom}
          </button>
        </div>
        <slot name="form"></slot>
        <p part="room-list-status" class="status" role="status">${status}</p>
        ${this.rooms.length > 0
          ? html`<ul part="room-list" class="list" aria-labelledby="rooms-heading">
              ${repeat(this.rooms, (r) => r.id, (r) => this.#renderRoom(r))}
            </ul>`
          : nothing}
      </section>
    `;
  }

  #renderRoom(room: Room): TemplateResult {
    const t = this.localize.t;
    const full = room.userCount >= room.maxUsers;
    return html`<li part="room" data-room-id=${room.id}>
      <button part="room-button" class="room" type="button" @click=${() => emitInternal(this, 'chat-join-request', { roomId: room.id, password: undefined })}>
        <span part="room-name" class="name">${room.name}</span>
        ${room.locked ? html`<span part="lock" class="lock" title=${t.roomLocked}>${lockIcon}<span class="sr-only">, ${t.roomLocked}</span></span>` : nothing}
        ${room.kind === 'video' ? html`<span part="room-kind" class="badge">${t.roomKind(room.kind)}</span>` : nothing}
        ${full ? html`<span part="room-full" class="badge full">${t.roomFull}</span>` : nothing}
        <span part="room-count" class="count">
          <span aria-hidden="true">${t.roomUsers(room.userCount, room.maxUsers)}</span>
          <span class="sr-only">, ${t.roomUsersLabel(room.userCount, room.maxUsers)}</span>
        </span>
      </button>
    </li>`;
  }
}

// For <chat-room>'s lazy loader (`import()` then define the default export).
export default ChatRoomList;

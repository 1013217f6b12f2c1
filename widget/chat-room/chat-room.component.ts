import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ConnectionState } from '../../sdk/connection-state.js';
import { ParleyError } from '../../sdk/errors.js';
import type { Message } from '../../sdk/types.js';
import { CallController } from '../controllers/call-controller.js';
import { ClientController } from '../controllers/client-controller.js';
import { LobbyController } from '../controllers/lobby-controller.js';
import { RoomController } from '../controllers/room-controller.js';
import { UnreadController } from '../controllers/unread-controller.js';
import { emitChatEvent } from '../events/chat-events.js';
import type { InternalEvent } from '../events/internal-events.js';
import { LocalizeController } from '../localize/localize.js';
import type { Translation } from '../localize/localize.js';
import type { ChatClientLike } from '../model/chat-client-like.js';
import { codePoints } from '../model/room-form-validation.js';
import { COMPOSER_PARTS } from '../composer/composer.component.js';
import type { ChatComposer } from '../composer/composer.component.js';
import { CONNECTION_BANNER_PARTS, bannerKind } from '../connection-banner/connection-banner.component.js';
import { MEMBER_LIST_PARTS } from '../member-list/member-list.component.js';
import { MESSAGE_LIST_PARTS } from '../message-list/message-list.component.js';
import type { ChatMessageList } from '../message-list/message-list.component.js';
import { ROOM_LIST_PARTS } from '../room-list/room-list.component.js';
import styles from './chat-room.styles.js';

/** Colour scheme: follow the system (`auto`, the default) or force one. */
export type ChatTheme = 'light' | 'dark' | 'auto';

const exportParts = (parts: readonly string[]): string => parts.join(', ');

// The create-room form and the password prompt are needed by few visits: they are separate
// chunks, loaded and defined on first use (the element upgrades in place when its chunk arrives).
// Their part lists are repeated here so that the main chunk does not import them.
const ROOM_FORM_PARTS = ['room-form', 'room-form-heading', 'field-row', 'field', 'label', 'field-error', 'field-hint', 'form-error', 'form-actions', 'cancel-button', 'submit-button'];
const PASSWORD_PROMPT_PARTS = ['password-form', 'password-heading', 'field', 'label', 'password-input', 'password-error', 'form-actions', 'cancel-button', 'submit-button'];
function lazy(name: string, load: () => Promise<{ default: CustomElementConstructor }>): void {
  if (!customElements.get(name)) void load().then((m) => customElements.get(name) || customElements.define(name, m.default));
}

const NOTICE_MS = 6000;
// The panel's parts, prefixed so they cannot clash with the message list's (`notice`…). Written
// out here: importing them from the panel's module would pull it into the initial bundle.
const CALL_PANEL_EXPORTPARTS = 'grid:call-grid, tile:call-tile, toolbar:call-toolbar, notice:call-notice';

/** The translated text for an error code shown to the user. */
export function errorText(t: Translation, error: ParleyError): string {
  switch (error.code) {
    case 'RATE_LIMITED':
      return t.errorRateLimited;
    case 'MESSAGE_TOO_LONG':
      return t.errorMessageTooLong;
    case 'QUEUE_FULL':
      return t.errorQueueFull;
    case 'NETWORK':
    case 'TIMEOUT':
    case 'UNAVAILABLE':
      return t.errorNetwork;
    case 'AUTH_FAILED':
    case 'TOKEN_EXPIRED':
    case 'UNAUTHORIZED':
      return t.errorAuth;
    case 'ROOM_NOT_FOUND':
      return t.roomNotFound;
    default:
      return t.errorGeneric;
  }
}

/**
 * @summary A chat room for any page: the room list, or one room with its messages, composer,
 * people and connection state. One script tag, shadow DOM, themeable, Korean and English.
 *
 * @event chat-message - `{ message, own }` a new message arrived in the open room
 * @event chat-joined - `{ roomId, room }` a room was entered
 * @event chat-left - `{ roomId, reason }` the room was left (`left`, `deleted`, `replaced`, `closed`)
 * @event chat-error - `{ code, message, roomId }` something failed (the user was told)
 * @event chat-state-changed - `{ state, previous }` the connection state changed
 * @event chat-unread-changed - `{ count }` messages from others while the page is hidden
 *
 * @csspart base - the frame; `header`, `title`, `back-button`, `members-button`, `unread-badge`,
 *   `state-dot`, `body`, `room`, `typing`, `alert` inside, plus every part of the sub-components
 *   (see docs/widget.md)
 *
 * @cssproperty --chat-height - height of the widget (default 32rem)
 * @cssproperty --chat-accent - accent colour (buttons, own messages)
 * @cssproperty --chat-bg - background (see docs/widget.md for the full list)
 */
export class ChatRoom extends LitElement {
  static override styles = styles;

  /** Chat server base URL. Default: the origin the widget script was loaded from. */
  @property() server: string | undefined;
  /** Room id to show. Without it the widget shows the room list. */
  @property({ type: Number }) room: number | null | undefined;
  /** Join as a guest with this nickname (1–32 characters). */
  @property() nickname: string | undefined;
  /** A bearer token obtained by the page (instead of `nickname`). */
  @property() token: string | undefined;
  /** `light`, `dark` or `auto` (follow the system). */
  @property({ reflect: true }) theme: ChatTheme = 'auto';
  /** A ready `ChatClient` (or compatible object); takes precedence over `server`/`nickname`/`token`. */
  @property({ attribute: false }) client: ChatClientLike | undefined;

  @state() private target: number | undefined;
  @state() private fixedRoom = false;
  @state() private formOpen = false;
  @state() private creating = false;
  @state() private createError = '';
  @state() private notice = '';
  @state() private membersOpen: boolean | undefined;
  @state() private wide = true;
  @state() private signInError = false;
  @state() private focusOnOpen = false;

  @query('chat-message-list') private messageList!: ChatMessageList | null;
  @query('chat-composer') private composer!: ChatComposer | null;

  private readonly localize = new LocalizeController(this);
  private readonly unread = new UnreadController(this);
  private readonly conn: ClientController = new ClientController(this, {
    onConnected: () => this.#syncRoom(),
    onStateChanged: (state, previous) => this.#onStateChanged(state, previous),
    onReleased: () => {
      this.roomCtl.close('closed');
      this.lobby.stop();
    },
  });
  private readonly lobby = new LobbyController(this);
  private readonly callCtl = new CallController(this);
  private readonly roomCtl: RoomController = new RoomController(this, {
    onMessage: (message, own) => this.#onMessage(message, own),
    onError: (error, roomId) => this.#onRoomError(error, roomId),
  });
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;
  #resize: ResizeObserver | undefined;

  /** The connection state. */
  get connectionState(): ConnectionState {
    return this.conn.state;
  }

  /** Messages from others received while the page was hidden (0 when visible). */
  get unreadCount(): number {
    return this.unread.count;
  }

  /** The id of the room shown, when one is joined. */
  get joinedRoomId(): number | undefined {
    return this.roomCtl.joined ? this.roomCtl.roomId : undefined;
  }

  /**
   * Opens a room as if the user had picked it in the list (a back button returns to the list).
   * @param roomId - the room
   * @param password - for a locked room; asked for when missing
   */
  join(roomId: number, password?: string): void {
    if (!Number.isSafeInteger(roomId) || roomId < 1) throw new RangeError('chat-room: join needs a positive integer room id');
    this.target = roomId;
    this.fixedRoom = false;
    this.#open(password);
  }

  /** Leaves the room and shows the room list. */
  leave(): void {
    this.roomCtl.close('left');
    this.target = undefined;
    this.fixedRoom = false;
    if (this.room != null) {
      this.room = undefined;
      this.removeAttribute('room');
    }
    this.#syncRoom();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (typeof ResizeObserver !== 'undefined') {
      this.#resize ??= new ResizeObserver((entries) => {
        const width = entries[0]?.contentRect.width ?? 0;
        const wide = width >= 640;
        if (wide !== this.wide) this.wide = wide;
      });
      this.#resize.observe(this);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
    clearTimeout(this.#noticeTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('room')) {
      const id = this.room;
      const valid = typeof id === 'number' && Number.isSafeInteger(id) && id > 0;
      if (valid || this.fixedRoom || changed.get('room') != null) {
        this.target = valid ? id : undefined;
        this.fixedRoom = valid;
      }
    }
    if (changed.has('client') || changed.has('server') || changed.has('nickname') || changed.has('token')) {
      this.conn.use({ client: this.client, server: this.server, nickname: this.nickname, token: this.token });
    }
    if (changed.has('room')) this.#syncRoom();
    // The open room's call: video rooms show it at once, chat rooms on request.
    this.callCtl.sync(this.roomCtl.joined ? this.roomCtl.handle : undefined, this.roomCtl.room?.kind === 'video');
  }

  /** Shows the target room, or the list when there is none, once connected. */
  #syncRoom(): void {
    const client = this.conn.client;
    if (!client || !this.conn.everConnected) return;
    if (this.target === undefined) {
      if (this.roomCtl.roomId !== undefined) this.roomCtl.close('left');
      this.lobby.start(client);
      return;
    }
    this.lobby.stop();
    if (this.roomCtl.roomId !== this.target) this.#open(undefined);
  }

  /**
   * Joins the target room. `byUser`: the user asked (picked a room, typed a password, pressed
   * "try again"), so focus moves into the widget; a page load or an attribute change never
   * takes the focus away from the host page.
   */
  #open(password: string | undefined, byUser = false): void {
    const client = this.conn.client;
    if (!client || !this.conn.everConnected || this.target === undefined) return;
    this.lobby.stop();
    this.focusOnOpen = byUser;
    void this.roomCtl.open(client, this.target, password).then(() => {
      if (this.roomCtl.status === 'live' && byUser) this.updateComplete.then(() => this.composer?.focus());
    });
  }

  #onStateChanged(state: ConnectionState, previous: ConnectionState): void {
    if (state !== 'connected' || previous === 'connecting') return;
    // Back after an outage: the room handle resumes by itself; the list missed pushed changes.
    if (this.lobby.active) this.lobby.refresh();
    if (this.target !== undefined && this.roomCtl.status === 'error') this.#open(undefined);
  }

  #onMessage(message: Message, own: boolean): void {
    this.unread.onMessage(own);
    emitChatEvent(this, 'chat-message', { message, own });
  }

  #onRoomError(error: ParleyError, roomId: number): void {
    this.conn.report(error, roomId);
    if (['RATE_LIMITED', 'MESSAGE_TOO_LONG', 'QUEUE_FULL'].includes(error.code)) this.#showNotice(errorText(this.localize.t, error));
  }

  #showNotice(text: string): void {
    this.notice = text;
    clearTimeout(this.#noticeTimer);
    this.#noticeTimer = setTimeout(() => (this.notice = ''), NOTICE_MS);
  }

  // ---- events from the parts ----

  #onJoinRequest = (e: InternalEvent<'chat-join-request'>): void => {
    e.stopPropagation();
    if (this.target !== e.detail.roomId) {
      this.target = e.detail.roomId;
      this.fixedRoom = false;
    }
    this.formOpen = false;
    this.#open(e.detail.password, true);
  };

  #onCreateRequest = (e: InternalEvent<'chat-create-request'>): void => {
    e.stopPropagation();
    const client = this.conn.client;
    if (!client || this.creating) return;
    const { input } = e.detail;
    this.creating = true;
    this.createError = '';
    client.rooms.create(input).then(
      (room) => {
        this.creating = false;
        this.formOpen = false;
        this.target = room.id;
        this.fixedRoom = false;
        this.#open(input.password, true);
      },
      (error: unknown) => {
        const err = ParleyError.from(error);
        this.creating = false;
        this.createError = err.code === 'VALIDATION_FAILED' ? err.message : errorText(this.localize.t, err);
        this.conn.report(err, undefined);
      },
    );
  };

  #backToList = (): void => {
    this.leave();
  };

  #onSend = (e: InternalEvent<'chat-send'>): void => {
    const { text } = e.detail;
    this.messageList?.scrollToLatest();
    void this.roomCtl.send(text).then((accounted) => {
      if (!accounted) this.composer?.restore(text);
    });
  };

  #onSignIn = (e: SubmitEvent): void => {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).querySelector('input');
    const value = input?.value.trim() ?? '';
    const n = codePoints(value);
    if (n < 1 || n > 32) {
      this.signInError = true;
      input?.focus();
      return;
    }
    this.signInError = false;
    this.nickname = value;
  };

  // ---- rendering ----

  override render(): TemplateResult {
    const t = this.localize.t;
    const lang = this.localize.lang();
    const kind = bannerKind(this.conn.state, this.conn.online, this.conn.everConnected);
    const waiting = this.roomCtl.pending.filter((p) => p.state !== 'failed').length;
    return html`
      <div part="base" class="base" role="region" aria-label=${t.widgetLabel} lang=${lang} dir=${t.$dir}>
        ${this.#renderHeader(t)}
        <chat-connection-banner
          lang=${lang}
          exportparts=${exportParts(CONNECTION_BANNER_PARTS)}
          kind=${kind}
          pending-count=${waiting}
          @chat-retry-connect=${() => this.conn.retry()}
        ></chat-connection-banner>
        <div part="body" class="body">${this.#renderBody(t, lang)}</div>
      </div>
    `;
  }

  #inRoomView(): boolean {
    return this.target !== undefined && this.conn.everConnected;
  }

  #renderHeader(t: Translation): TemplateResult {
    const inRoom = this.#inRoomView();
    const live = inRoom && this.roomCtl.status === 'live';
    const title = inRoom ? (this.roomCtl.room?.name ?? (this.target !== undefined ? `#${this.target}` : '')) : t.widgetLabel;
    const membersShown = this.membersOpen ?? this.wide;
    const count = Math.max(this.roomCtl.userCount, this.roomCtl.members.length);
    return html`<header part="header" class="header">
      ${inRoom && !this.fixedRoom
        ? html`<button part="back-button" class="btn btn-icon" type="button" aria-label=${t.backToRooms} title=${t.backToRooms} @click=${this.#backToList}>
            <span aria-hidden="true">←</span>
          </button>`
        : nothing}
      <h2 part="title" class="title">${title}</h2>
      ${this.unread.count > 0 ? html`<span part="unread-badge" class="unread" role="status">${t.unread(this.unread.count)}</span>` : nothing}
      ${live
        ? html`<button
            part="members-button"
            class="btn"
            type="button"
            aria-expanded=${membersShown ? 'true' : 'false'}
            aria-controls="members"
            title=${t.people}
            @click=${() => (this.membersOpen = !membersShown)}
          >
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-3.3 0-7 1.6-7 4v3h14v-3c0-2.4-3.7-4-7-4zm7.5-2a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zm.5 2c-.5 0-1 0-1.5.1 1.5 1 2.5 2.3 2.5 3.9v3h5.5v-3c0-2.2-3.4-4-6.5-4z"/></svg>
            <span class="sr-only">${t.people}</span> ${count}
          </button>`
        : nothing}
      ${live && this.callCtl.available && !this.callCtl.open ? this.#renderCallButton(t) : nothing}
      <span part="state-dot" class="state-dot" data-state=${this.conn.state} aria-hidden="true"></span>
    </header>`;
  }

  #renderCallButton(t: Translation): TemplateResult {
    const count = this.callCtl.count;
    const label = count > 0 ? t.callJoinCount(count) : t.callStart;
    return html`<button part="call-button" class="btn" type="button" aria-label=${label} title=${label} @click=${() => this.callCtl.start()}>
      <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11z"/></svg>
      ${count > 0 ? html`<span aria-hidden="true">${count}</span>` : nothing}
    </button>`;
  }

  #renderCall(lang: string): TemplateResult | typeof nothing {
    const call = this.callCtl;
    // Rendered once the session exists, so the panel gets it in its first binding: a value set
    // between the lazy element's upgrade and its first update would be overwritten by the
    // pre-upgrade one (Lit replays properties set before the upgrade).
    if (!call.open || !call.session) return nothing;
    const video = this.roomCtl.room?.kind === 'video';
    // Loaded on first use: chat-only pages never download the panel or the call layer.
    lazy('chat-call-panel', () => import('../call-panel/call-panel.component.js'));
    return html`<chat-call-panel
      part="call-panel"
      class=${video ? 'video' : 'chat'}
      lang=${lang}
      exportparts=${CALL_PANEL_EXPORTPARTS}
      auto-join
      .session=${call.session}
      @chat-call-left=${() => {
        // A chat room goes back to chat only; a video room keeps the panel (with "Join call").
        if (!video) call.close();
      }}
    ></chat-call-panel>`;
  }

  #renderBody(t: Translation, lang: string): TemplateResult {
    const conn = this.conn;
    if (!conn.client && !ClientController.canBuild({ client: this.client, server: this.server, nickname: this.nickname, token: this.token })) {
      return this.#renderSignIn(t);
    }
    if (!conn.everConnected) {
      if (conn.failure) {
        return html`<div part="status-panel" class="center" role="alert">
          <p part="status-text">${t.connectFailed}</p>
          <button part="retry-button" class="btn btn-primary" type="button" @click=${() => conn.retry()}>${t.retry}</button>
        </div>`;
      }
      return html`<div part="status-panel" class="center muted" role="status">${t.connecting}</div>`;
    }
    if (this.target !== undefined) return this.#renderRoom(t, lang);
    return this.#renderLobby(lang);
  }

  #renderSignIn(t: Translation): TemplateResult {
    return html`<form part="signin" class="signin" @submit=${this.#onSignIn} aria-labelledby="signin-heading">
      <h2 part="heading" id="signin-heading">${t.signInHeading}</h2>
      <div part="field" class="field">
        <label part="label" for="nickname">${t.nicknameLabel}</label>
        <input
          id="nickname"
          part="input"
          autocomplete="nickname"
          aria-invalid=${this.signInError ? 'true' : 'false'}
          aria-describedby=${this.signInError ? 'nickname-hint nickname-error' : 'nickname-hint'}
        />
        <p part="field-hint" class="hint" id="nickname-hint">${t.nicknameHint}</p>
        ${this.signInError ? html`<p part="field-error" class="error" id="nickname-error" role="alert">${t.nicknameInvalid}</p>` : nothing}
      </div>
      <button part="submit-button" class="btn btn-primary" type="submit">${t.signIn}</button>
    </form>`;
  }

  #renderLobby(lang: string): TemplateResult {
    if (this.formOpen) lazy('chat-room-form', () => import('../room-form/room-form.component.js'));
    return html`<div part="lobby" class="lobby">
      <chat-room-list
        lang=${lang}
        exportparts=${exportParts(ROOM_LIST_PARTS)}
        .rooms=${this.lobby.rooms}
        status=${this.lobby.status}
        ?form-open=${this.formOpen}
        @chat-join-request=${this.#onJoinRequest}
        @chat-create-open=${() => {
          this.formOpen = !this.formOpen;
          this.createError = '';
        }}
      >
        ${this.formOpen
          ? html`<chat-room-form
              slot="form"
              lang=${lang}
              exportparts=${exportParts(ROOM_FORM_PARTS)}
              ?busy=${this.creating}
              server-error=${this.createError}
              @chat-create-request=${this.#onCreateRequest}
              @chat-cancel=${() => {
                this.formOpen = false;
                this.createError = '';
              }}
            ></chat-room-form>`
          : nothing}
      </chat-room-list>
    </div>`;
  }

  #renderRoom(t: Translation, lang: string): TemplateResult {
    const r = this.roomCtl;
    const name = r.room?.name ?? `#${this.target}`;
    const back = this.fixedRoom
      ? nothing
      : html`<button part="back-to-rooms-button" class="btn" type="button" @click=${this.#backToList}>${t.backToRooms}</button>`;
    switch (r.status) {
      case 'idle':
      case 'joining':
        return html`<div part="status-panel" class="center muted" role="status">${t.joining}</div>`;
      case 'password':
        lazy('chat-password-prompt', () => import('../password-prompt/password-prompt.component.js'));
        return html`<chat-password-prompt
          lang=${lang}
          exportparts=${exportParts(PASSWORD_PROMPT_PARTS)}
          room-id=${this.target!}
          room-name=${name}
          ?bad-password=${r.badPassword}
          ?cancellable=${!this.fixedRoom}
          ?autofocus-input=${this.focusOnOpen}
          @chat-join-request=${this.#onJoinRequest}
          @chat-cancel=${this.#backToList}
        ></chat-password-prompt>`;
      case 'full':
        return html`<div part="status-panel room-full-state" class="center" role="alert">
          <h2 part="heading">${t.roomFullHeading(name)}</h2>
          <p part="status-text" class="muted">${t.roomFullBody}</p>
          <div part="actions" class="actions">
            ${back}
            <button part="try-again-button" class="btn btn-primary" type="button" @click=${() => this.#open(undefined, true)}>${t.tryAgain}</button>
          </div>
        </div>`;
      case 'not-found':
      case 'deleted':
        return html`<div part="status-panel" class="center" role="alert">
          <p part="status-text">${r.status === 'deleted' ? t.roomDeleted : t.roomNotFound}</p>
          ${back}
        </div>`;
      case 'error':
        return html`<div part="status-panel" class="center" role="alert">
          <p part="status-text">${r.error ? errorText(t, r.error) : t.errorGeneric}</p>
          <div part="actions" class="actions">
            ${back}
            <button part="try-again-button" class="btn btn-primary" type="button" @click=${() => this.#open(undefined, true)}>${t.tryAgain}</button>
          </div>
        </div>`;
      case 'live':
        return this.#renderLiveRoom(t, lang);
    }
  }

  #renderLiveRoom(t: Translation, lang: string): TemplateResult {
    const r = this.roomCtl;
    const selfId = this.conn.user?.id;
    const membersShown = this.membersOpen ?? this.wide;
    const typingNames = r.typing.map((u) => u.nickname);
    return html`<div part="room" class="room ${membersShown ? 'members-open' : ''}">
      <div part="room-main" class="room-main">
        ${this.#renderCall(lang)}
        <chat-message-list
          lang=${lang}
          exportparts=${exportParts(MESSAGE_LIST_PARTS)}
          .messages=${r.messages}
          .pending=${r.pending}
          .selfId=${selfId}
          .roomKey=${r.roomId}
          ?has-more=${r.hasMore}
          ?loading-older=${r.loadingOlder}
          ?older-failed=${r.olderFailed}
          @chat-load-older=${() => void r.loadOlder()}
          @chat-retry-message=${(e: InternalEvent<'chat-retry-message'>) => r.retry(e.detail.clientMsgId, e.detail.text)}
          @chat-dismiss-message=${(e: InternalEvent<'chat-dismiss-message'>) => r.dismiss(e.detail.clientMsgId)}
        ></chat-message-list>
        <div part="typing" class="typing">${typingNames.length > 0 ? t.typing(typingNames) : nothing}</div>
        ${this.notice ? html`<p part="alert" class="alert" role="alert">${this.notice}</p>` : nothing}
        <chat-composer
          lang=${lang}
          exportparts=${exportParts(COMPOSER_PARTS)}
          @chat-send=${this.#onSend}
          @chat-typing=${(e: InternalEvent<'chat-typing'>) => r.setTyping(e.detail.typing)}
        ></chat-composer>
      </div>
      <chat-member-list
        id="members"
        lang=${lang}
        exportparts=${exportParts(MEMBER_LIST_PARTS)}
        ?hidden=${!membersShown}
        .members=${r.members}
        .typing=${r.typing}
        .selfId=${selfId}
        count=${r.userCount}
      ></chat-member-list>
    </div>`;
  }
}

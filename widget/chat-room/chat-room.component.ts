import { LitElement, html } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ConnectionState, Message, ParleyError } from '../../sdk/index.js';
import { CallController } from '../controllers/call-controller.js';
import { ClientController } from '../controllers/client-controller.js';
import type { ClientSource } from '../controllers/client-controller.js';
import { CreateRoomController } from '../controllers/create-room-controller.js';
import { LayoutController } from '../controllers/layout-controller.js';
import { LobbyController } from '../controllers/lobby-controller.js';
import { NoticeController } from '../controllers/notice-controller.js';
import { RoomController } from '../controllers/room-controller.js';
import { UnreadController } from '../controllers/unread-controller.js';
import { emitChatEvent } from '../events/chat-events.js';
import type { InternalEvent } from '../events/internal-events.js';
import { errorText } from '../localize/error-text.js';
import { LocalizeController } from '../localize/localize.js';
import type { Translation } from '../localize/localize.js';
import type { ChatClientLike } from '../model/chat-client-like.js';
import { codePoints } from '../model/room-form-validation.js';
import type { ChatComposer } from '../composer/composer.component.js';
import { CONNECTION_BANNER_PARTS, bannerKind } from '../connection-banner/connection-banner.component.js';
import type { ChatMessageList } from '../message-list/message-list.component.js';
import { exportParts, lazyViews } from './lazy-parts.js';
import { renderLiveRoom } from './live-room.js';
import { loadRoomList, renderLobby } from './lobby-view.js';
import { renderHeader } from './room-header.js';
import { renderPassword, renderWaiting } from './waiting-views.js';
import styles from './chat-room.styles.js';

/** Colour scheme: follow the system (`auto`, the default) or force one. */
export type ChatTheme = 'light' | 'dark' | 'auto';

// The nickname form and the failure views, loaded when first needed (outside the initial load).
const statusViews = lazyViews(() => import('./status-views.js'));

/** Refusals of a send that the user hears about as a notice under the messages. */
const SEND_NOTICES: readonly string[] = [
  'RATE_LIMITED',
  'MESSAGE_TOO_LONG',
  'QUEUE_FULL',
  // Refusals of edits, deletes and moderation from the message menu.
  'EDIT_WINDOW_CLOSED',
  'NOT_SENDER',
  'NOT_MODERATOR',
  'CANNOT_MODERATE',
  'NOT_OWNER',
  'NOT_EDITABLE',
  'MESSAGE_DELETED',
  'MESSAGE_NOT_FOUND',
];

/**
 * @summary A chat room for any page: the room list, or one room with its messages, composer,
 * people and connection state. One script tag, shadow DOM, themeable, Korean and English.
 *
 * @event chat-message - `{ message, own }` a new message arrived in the open room
 * @event chat-joined - `{ roomId, room }` a room was entered
 * @event chat-left - `{ roomId, reason }` the room was left (`left`, `deleted`, `replaced`, `closed`, `kicked`)
 * @event chat-error - `{ code, message, roomId }` something failed (the user was told)
 * @event chat-state-changed - `{ state, previous }` the connection state changed
 * @event chat-unread-changed - `{ count }` messages from others while the page is hidden
 * @event chat-moderate-request - `{ roomId, action, seq, userId }` (cancelable) a moderator chose Delete on
 *   someone else's message, or Kick / Mute / Ban; `preventDefault()` stops it
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
  /**
   * A ready `ChatClient` (or compatible object); takes precedence over `server`/`nickname`/`token`.
   * It may come from another copy of the SDK than the widget's: errors are read by `code`.
   */
  @property({ attribute: false }) client: ChatClientLike | undefined;

  @state() private target: number | undefined;
  @state() private fixedRoom = false;
  @state() private signInError = false;
  @state() private focusOnOpen = false;

  @query('chat-message-list') private messageList!: ChatMessageList | null;
  @query('chat-composer') private composer!: ChatComposer | null;

  private readonly localize = new LocalizeController(this);
  private readonly unread = new UnreadController(this);
  private readonly layout = new LayoutController(this);
  private readonly notice = new NoticeController(this);
  private readonly conn: ClientController = new ClientController(this, {
    onConnected: () => this.#syncRoom(),
    onStateChanged: (state, previous) => this.#onStateChanged(state, previous),
    onReleased: () => {
      this.roomCtl.close('closed');
      this.lobby.stop();
    },
  });
  private readonly lobby = new LobbyController(this);
  private readonly creator = new CreateRoomController(this, () => this.localize.t, (error) => this.conn.report(error, undefined));
  private readonly callCtl = new CallController(this);
  private readonly roomCtl: RoomController = new RoomController(this, {
    onMessage: (message, own) => this.#onMessage(message, own),
    onError: (error, roomId) => this.#onRoomError(error, roomId),
  });

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
    this.#goTo(roomId);
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
      this.conn.use(this.#source());
    }
    if (changed.has('room')) this.#syncRoom();
    // The open room's call: video rooms show it at once, chat rooms on request.
    this.callCtl.sync(this.roomCtl.joined ? this.roomCtl.handle : undefined, this.roomCtl.room?.kind === 'video');
  }

  #source(): ClientSource {
    return { client: this.client, server: this.server, nickname: this.nickname, token: this.token };
  }

  /** Makes `roomId` the room to show, picked by the user or the page's script (not fixed). */
  #goTo(roomId: number): void {
    this.target = roomId;
    this.fixedRoom = false;
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
      if (this.roomCtl.status === 'live' && byUser) void this.updateComplete.then(() => this.composer?.focus());
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
    if (SEND_NOTICES.includes(error.code)) this.notice.show(errorText(this.localize.t, error.code));
  }

  // ---- events from the parts ----

  #onJoinRequest = (e: InternalEvent<'chat-join-request'>): void => {
    e.stopPropagation();
    if (this.target !== e.detail.roomId) this.#goTo(e.detail.roomId);
    this.creator.close();
    this.#open(e.detail.password, true);
  };

  #onCreateRequest = (e: InternalEvent<'chat-create-request'>): void => {
    e.stopPropagation();
    const client = this.conn.client;
    if (!client) return;
    const { input } = e.detail;
    void this.creator.create(client, input).then((room) => {
      if (!room) return;
      this.#goTo(room.id);
      this.#open(input.password, true);
    });
  };

  #backToList = (): void => {
    this.leave();
  };

  #tryAgain = (): void => {
    this.#open(undefined, true);
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

  /**
   * Whether the user moderates the open room: its owner, one of its moderators, or a site admin
   * (`user.admin`, from a host token's roles).
   */
  #canModerate(): boolean {
    const user = this.conn.user;
    if (!user) return false;
    if (user.admin === true) return true;
    const room = this.roomCtl.room;
    return room !== undefined && (room.ownerId === user.id || (room.moderatorIds ?? []).includes(user.id));
  }

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

  #renderHeader(t: Translation): TemplateResult {
    const inRoom = this.target !== undefined && this.conn.everConnected;
    const r = this.roomCtl;
    const live = inRoom && r.status === 'live';
    const call = this.callCtl;
    return renderHeader(t, {
      title: inRoom ? (r.room?.name ?? `#${this.target}`) : t.widgetLabel,
      back: inRoom && !this.fixedRoom,
      unread: this.unread.count,
      members: live ? { shown: this.layout.membersShown, count: Math.max(r.userCount, r.members.length) } : undefined,
      callCount: live && call.available && !call.open ? call.count : undefined,
      state: this.conn.state,
      onBack: this.#backToList,
      onMembers: () => this.layout.toggleMembers(),
      onCall: () => call.start(),
    });
  }

  #renderBody(t: Translation, lang: string): TemplateResult {
    const conn = this.conn;
    if (!conn.client && !ClientController.canBuild(this.#source())) {
      return statusViews(this)?.renderSignIn(t, this.signInError, this.#onSignIn) ?? renderWaiting('');
    }
    if (!conn.everConnected) {
      // The room list's chunk arrives while the client connects.
      if (this.target === undefined) loadRoomList();
      if (!conn.failure) return renderWaiting(t.connecting);
      return statusViews(this)?.renderConnectFailed(t, () => conn.retry()) ?? renderWaiting(t.connecting);
    }
    const target = this.target;
    if (target === undefined) {
      return renderLobby(t, { host: this, lang, lobby: this.lobby, form: this.creator, onJoinRequest: this.#onJoinRequest, onCreateRequest: this.#onCreateRequest });
    }
    const r = this.roomCtl;
    const name = r.room?.name ?? `#${target}`;
    switch (r.status) {
      case 'live':
        return renderLiveRoom(t, {
          lang,
          room: r,
          call: this.callCtl,
          selfId: conn.user?.id,
          canModerate: this.#canModerate(),
          membersShown: this.layout.membersShown,
          notice: this.notice.text,
          onSend: this.#onSend,
        });
      case 'idle':
      case 'joining':
        return renderWaiting(t.joining);
      case 'password':
        return renderPassword({
          roomId: target,
          name,
          lang,
          badPassword: r.badPassword,
          cancellable: !this.fixedRoom,
          focus: this.focusOnOpen,
          onJoinRequest: this.#onJoinRequest,
          onCancel: this.#backToList,
        });
      default:
        return (
          statusViews(this)?.renderRoomProblem(t, {
            status: r.status,
            name,
            fixed: this.fixedRoom,
            errorCode: r.error?.code,
            kicked: r.kicked,
            dateTime: (d) => this.localize.dateTime(d),
            onBack: this.#backToList,
            onTryAgain: this.#tryAgain,
          }) ?? renderWaiting('')
        );
    }
  }
}

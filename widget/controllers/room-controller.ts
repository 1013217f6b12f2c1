import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ParleyError } from '../../sdk/index.js';
import type { KickedBody, Message, PendingMessage, PresenceUser, Room, Unsubscribe, User } from '../../sdk/index.js';
import { emitChatEvent } from '../events/chat-events.js';
import type { ChatLeftReason } from '../events/chat-events.js';
import type { MessageAction } from '../events/internal-events.js';
import type { ChatClientLike, RoomHandleLike } from '../model/chat-client-like.js';

/** Where the widget is with its room. */
export type RoomStatus = 'idle' | 'joining' | 'live' | 'password' | 'full' | 'not-found' | 'deleted' | 'kicked' | 'error';

/** Messages read per history request. */
export const HISTORY_PAGE = 200;

/** How long the menu's "Mute" lasts, in seconds (10 min). */
export const MUTE_S = 600;
/** How long the menu's "Ban" lasts, in seconds (a day). */
export const BAN_S = 86_400;
/**
 * How long the composer stays disabled after a send refused `MUTED`, in ms. The refusal does not say
 * when the mute ends; after this the user may try again (and is told again if still muted).
 */
export const MUTED_RETRY_MS = 60_000;

/** What the host hears about a room. */
export interface RoomControllerCallbacks {
  /** A live message arrived (not history). */
  onMessage(message: Message, own: boolean): void;
  /** A failure to tell the page about. */
  onError(error: ParleyError, roomId: number): void;
}

interface TypingEntry {
  readonly user: User;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Bridges one joined `RoomHandle` to Lit: joins, keeps the loaded messages (beyond the handle's
 * in-memory window, for scrolling back), pending sends, members and typing users, reads older
 * history on request, and requests a host update on every change. Emits `chat-joined` and
 * `chat-left` from the host.
 */
export class RoomController implements ReactiveController {
  status: RoomStatus = 'idle';
  roomId: number | undefined;
  /** The room's REST view (name, capacity), when read. */
  room: Room | undefined;
  /**
   * Every loaded message, ascending by seq: the handle's messages (ordered and de-duplicated by
   * the SDK), live ones appended as the handle delivers them, older pages prepended.
   */
  messages: readonly Message[] = [];
  /** Own sends not yet delivered back, and failed ones. */
  pending: readonly PendingMessage[] = [];
  members: readonly PresenceUser[] = [];
  userCount = 0;
  /** Other users typing now. */
  typing: readonly User[] = [];
  /** Whether older messages exist on the server. */
  hasMore = false;
  loadingOlder = false;
  olderFailed = false;
  /** The last join was refused for a wrong password (not merely missing). */
  badPassword = false;
  /** The last join failure, for `error` status. */
  error: ParleyError | undefined;
  /** Why the user is out of the room, for `kicked` status (a kick or a ban, with its end). */
  kicked: KickedBody | undefined;
  /** A send was refused `MUTED`: the composer is disabled for a while ({@link MUTED_RETRY_MS}). */
  muted = false;
  #mutedTimer: ReturnType<typeof setTimeout> | undefined;

  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #callbacks: RoomControllerCallbacks;
  #handle: RoomHandleLike | undefined;
  #client: ChatClientLike | undefined;
  #unsubscribe: Unsubscribe[] = [];
  #generation = 0;
  /** `before` of the next history page: the lowest seq read so far, messages and mutations alike. */
  #cursor: number | undefined;
  readonly #typing = new Map<string, TypingEntry>();

  constructor(host: ReactiveControllerHost & HTMLElement, callbacks: RoomControllerCallbacks) {
    this.#host = host;
    this.#callbacks = callbacks;
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.close('closed');
  }

  /** The open room's handle (for its call). */
  get handle(): RoomHandleLike | undefined {
    return this.#handle;
  }

  /** Whether a handle is open. */
  get joined(): boolean {
    return this.#handle !== undefined && this.status === 'live';
  }

  /**
   * Joins `roomId` (leaving another room first) and shows it once the SDK has the latest history.
   * @param password - for a locked room
   */
  async open(client: ChatClientLike, roomId: number, password?: string): Promise<void> {
    if (this.roomId !== roomId || this.#client !== client) this.close('replaced');
    else this.#detach();
    const generation = ++this.#generation;
    this.#client = client;
    this.roomId = roomId;
    this.status = 'joining';
    this.error = undefined;
    this.#host.requestUpdate();
    // The room's name and capacity, read alongside the join (for the header and `chat-joined`).
    const info = client.rooms.get(roomId).then(
      (room) => {
        if (generation === this.#generation) {
          this.room = room;
          this.#host.requestUpdate();
        }
        return room;
      },
      () => undefined,
    );
    let handle: RoomHandleLike;
    try {
      handle = await client.join(roomId, password === undefined ? {} : { password });
      await info;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#joinFailed(ParleyError.from(error), password !== undefined);
      return;
    }
    if (generation !== this.#generation) {
      if (this.roomId !== roomId) void handle.leave();
      return;
    }
    // Anything delivered while waiting is in the handle's buffer, which #attach reads first.
    this.#attach(handle, generation);
  }

  /** Leaves the room (the user asked, or the widget moves elsewhere). */
  close(reason: ChatLeftReason): void {
    const roomId = this.roomId;
    const handle = this.#handle;
    const wasLive = this.status === 'live';
    this.#generation++;
    this.#detach();
    this.#handle = undefined;
    this.#client = undefined;
    this.roomId = undefined;
    this.room = undefined;
    this.status = 'idle';
    this.messages = [];
    this.pending = [];
    this.members = [];
    this.userCount = 0;
    this.hasMore = false;
    this.#cursor = undefined;
    this.loadingOlder = false;
    this.olderFailed = false;
    this.badPassword = false;
    this.error = undefined;
    this.kicked = undefined;
    this.#setMuted(false);
    if (handle && !handle.closed) void handle.leave();
    if (roomId !== undefined && wasLive) emitChatEvent(this.#host, 'chat-left', { roomId, reason });
    this.#host.requestUpdate();
  }

  /** Sends a text; it shows as pending until the server confirms it. */
  send(text: string): Promise<boolean> {
    const handle = this.#handle;
    if (!handle) return Promise.resolve(false);
    const roomId = handle.id;
    const known = new Set(handle.pending.map((p) => p.clientMsgId));
    const done = handle.send(text);
    // The send's own pending entry is the one with a new clientMsgId (none when the SDK refused
    // at once, e.g. QUEUE_FULL): from now on the bubble is that entry, whatever its text.
    const queued = handle.pending.some((p) => !known.has(p.clientMsgId));
    this.pending = handle.pending;
    this.#host.requestUpdate();
    return done.then(
      () => true,
      (error: unknown) => {
        const err = ParleyError.from(error);
        // Refusals show on the failed message itself; the page hears about them too.
        if (this.#handle === handle) this.pending = handle.pending;
        if (err.code === 'MUTED' && this.#handle === handle) this.#setMuted(true);
        this.#callbacks.onError(err, roomId);
        this.#host.requestUpdate();
        return queued;
      },
    );
  }

  /** Sends a failed message again (a new attempt with a new id) and forgets the failed one. */
  retry(clientMsgId: string, text: string): void {
    this.#handle?.dismiss(clientMsgId);
    void this.send(text);
  }

  /** Saves an edit of one of the user's messages; a refusal goes to the page and the notice. */
  edit(seq: number, text: string): void {
    const handle = this.#handle;
    if (handle) this.#act(handle, () => handle.edit(seq, text));
  }

  /**
   * Runs a message menu action: delete the message, or kick, mute (10 min) or ban (a day) its sender.
   * The changes come back as events (`messageChanged`, presence); a refusal goes to the page and the notice.
   */
  act(action: Exclude<MessageAction, 'edit'>, seq: number, userId: string): void {
    const handle = this.#handle;
    if (!handle) return;
    // Moderation (anything but deleting your own message) may be vetoed by the page.
    const own = userId === this.#client?.user?.id;
    if (!(action === 'delete' && own) && emitChatEvent(this.#host, 'chat-moderate-request', { roomId: handle.id, action, seq, userId }).defaultPrevented) return;
    this.#act(handle, async () => {
      if (action === 'delete') return handle.delete(seq);
      const mod = await handle.moderation();
      if (action === 'kick') return mod.kick(userId);
      if (action === 'mute') return void (await mod.mute(userId, MUTE_S));
      return void (await mod.ban(userId, { durationS: BAN_S }));
    });
  }

  #act(handle: RoomHandleLike, run: () => Promise<unknown>): void {
    let p: Promise<unknown>;
    try {
      p = run();
    } catch (error) {
      p = Promise.reject(error);
    }
    p.catch((error: unknown) => {
      const err = ParleyError.from(error);
      if (err.code === 'MUTED' && this.#handle === handle) this.#setMuted(true);
      this.#callbacks.onError(err, handle.id);
    });
  }

  #setMuted(muted: boolean): void {
    clearTimeout(this.#mutedTimer);
    this.#mutedTimer = muted ? setTimeout(() => this.#setMuted(false), MUTED_RETRY_MS) : undefined;
    if (this.muted === muted) return;
    this.muted = muted;
    this.#host.requestUpdate();
  }

  /** Forgets a failed message. */
  dismiss(clientMsgId: string): void {
    const handle = this.#handle;
    if (!handle) return;
    handle.dismiss(clientMsgId);
    this.pending = handle.pending;
    this.#host.requestUpdate();
  }

  /** Shows or hides the user's typing indicator to others. */
  setTyping(typing: boolean): void {
    this.#handle?.setTyping(typing);
  }

  /** Reads the page of history before the oldest loaded message. */
  async loadOlder(): Promise<void> {
    const handle = this.#handle;
    const before = this.#cursor ?? this.messages[0]?.seq;
    if (!handle || this.loadingOlder || !this.hasMore || before === undefined) return;
    const generation = this.#generation;
    this.loadingOlder = true;
    this.olderFailed = false;
    this.#host.requestUpdate();
    try {
      const page = await handle.history({ before, limit: HISTORY_PAGE });
      if (generation !== this.#generation) return;
      // Strictly older than what is loaded (`before`), ascending: it goes in front as it is.
      // Messages are in their current state; the page's mutations only count for the cursor (a
      // page may hold mutations only, when many edits followed each other: `limit` counts both).
      this.messages = page.messages.concat(this.messages);
      const lowest = Math.min(...page.messages.map((m) => m.seq), ...(page.mutations ?? []).map((m) => m.seq));
      this.#cursor = Number.isFinite(lowest) ? lowest : 1;
      this.hasMore = this.#cursor > 1;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.olderFailed = true;
      this.#callbacks.onError(ParleyError.from(error), handle.id);
    } finally {
      if (generation === this.#generation) {
        this.loadingOlder = false;
        this.#host.requestUpdate();
      }
    }
  }

  #joinFailed(error: ParleyError, withPassword: boolean): void {
    const roomId = this.roomId!;
    this.error = error;
    this.badPassword = false;
    switch (error.code) {
      case 'BAD_PASSWORD':
        this.status = 'password';
        this.badPassword = withPassword;
        break;
      case 'ROOM_FULL':
        this.status = 'full';
        break;
      case 'ROOM_NOT_FOUND':
        this.status = 'not-found';
        break;
      default:
        this.status = 'error';
    }
    // A locked room asking for its password is the normal flow, not an error.
    if (error.code !== 'BAD_PASSWORD' || withPassword) this.#callbacks.onError(error, roomId);
    this.#host.requestUpdate();
  }

  #attach(handle: RoomHandleLike, generation: number): void {
    this.#handle = handle;
    this.messages = handle.messages;
    this.pending = handle.pending;
    this.members = handle.members;
    this.userCount = handle.userCount;
    this.hasMore = (this.messages[0]?.seq ?? 1) > 1;
    this.status = 'live';
    this.badPassword = false;
    const selfId = (): string | undefined => this.#client?.user?.id;
    const stale = (): boolean => generation !== this.#generation;
    this.#unsubscribe.push(
      handle.on('message', (message) => {
        if (stale()) return;
        // The handle delivers each message once, in seq order, and has already settled the
        // pending entry with the same clientMsgId: both lists change in this one update.
        this.messages = this.messages.concat(message);
        this.pending = handle.pending;
        if (message.type === 'text') this.#stopTyping(message.sender.id);
        this.#host.requestUpdate();
        this.#callbacks.onMessage(message, message.sender.id === selfId());
      }),
      handle.on('messageChanged', (mutation) => {
        if (stale()) return;
        // In place: the list keeps its length and order; the message list finds its rows by seq.
        const target = mutation.message;
        const i = this.messages.findIndex((m) => m.seq === target.seq);
        if (i < 0) return;
        const next = this.messages.slice();
        next[i] = target;
        this.messages = next;
        this.#host.requestUpdate();
      }),
      handle.on('kicked', (info) => {
        if (stale()) return;
        const roomId = handle.id;
        this.#detach();
        this.#handle = undefined;
        this.kicked = info;
        this.#setMuted(false);
        this.status = 'kicked';
        emitChatEvent(this.#host, 'chat-left', { roomId, reason: 'kicked' });
        this.#host.requestUpdate();
      }),
      handle.on('pendingChanged', () => {
        if (stale()) return;
        this.pending = handle.pending;
        this.#host.requestUpdate();
      }),
      handle.on('presence', () => {
        if (stale()) return;
        this.members = handle.members;
        this.userCount = handle.userCount;
        this.#host.requestUpdate();
      }),
      handle.on('typing', (event) => {
        if (stale() || event.user.id === selfId()) return;
        if (event.typing) this.#startTyping(event.user, event.expiresInMs);
        else this.#stopTyping(event.user.id);
      }),
      handle.on('resumed', () => {
        if (stale()) return;
        this.pending = handle.pending;
        this.#host.requestUpdate();
      }),
      handle.on('deleted', () => {
        if (stale()) return;
        const roomId = handle.id;
        this.#detach();
        this.#handle = undefined;
        this.status = 'deleted';
        emitChatEvent(this.#host, 'chat-left', { roomId, reason: 'deleted' });
        this.#host.requestUpdate();
      }),
      handle.on('error', (error) => {
        // The handle gave up (e.g. the password changed and re-joining was refused).
        if (stale()) return;
        const roomId = handle.id;
        this.#detach();
        this.#handle = undefined;
        emitChatEvent(this.#host, 'chat-left', { roomId, reason: 'closed' });
        this.#joinFailed(error, true);
      }),
    );
    emitChatEvent(this.#host, 'chat-joined', { roomId: handle.id, room: this.room });
    this.#host.requestUpdate();
  }

  #startTyping(user: User, expiresInMs: number): void {
    const existing = this.#typing.get(user.id);
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => this.#stopTyping(user.id), Math.max(1000, expiresInMs));
    this.#typing.set(user.id, { user, timer });
    this.#publishTyping();
  }

  #stopTyping(userId: string): void {
    const entry = this.#typing.get(userId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#typing.delete(userId);
    this.#publishTyping();
  }

  #publishTyping(): void {
    this.typing = [...this.#typing.values()].map((e) => e.user);
    this.#host.requestUpdate();
  }

  #detach(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
    for (const e of this.#typing.values()) clearTimeout(e.timer);
    this.#typing.clear();
    this.typing = [];
  }
}

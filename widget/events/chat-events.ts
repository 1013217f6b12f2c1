import type { ConnectionState, Message, ParleyErrorCode, Room } from '../../sdk/index.js';

/** `chat-message`: a new message arrived in the open room (not history). */
export interface ChatMessageDetail {
  /** The stored message. */
  readonly message: Message;
  /** Whether the current user sent it. */
  readonly own: boolean;
}

/** `chat-joined`: the widget entered a room and shows it. */
export interface ChatJoinedDetail {
  readonly roomId: number;
  /** The room, when the widget could read it. */
  readonly room: Room | undefined;
}

/** Why the widget left a room. */
export type ChatLeftReason = 'left' | 'deleted' | 'replaced' | 'closed' | 'kicked';

/** `chat-left`: the widget stopped showing a room. */
export interface ChatLeftDetail {
  readonly roomId: number;
  /** `left` (user), `deleted` (owner deleted it), `replaced` (the `room` attribute changed), `closed` (element removed or client closed). */
  readonly reason: ChatLeftReason;
}

/** `chat-error`: something failed that the user was told about. */
export interface ChatErrorDetail {
  /** Stable Parley error code (`ROOM_FULL`, `BAD_PASSWORD`, `RATE_LIMITED`, `NETWORK`…). */
  readonly code: ParleyErrorCode;
  /** Developer-facing text (not for display; the widget shows its own translated text). */
  readonly message: string;
  /** The room concerned, if any. */
  readonly roomId: number | undefined;
}

/** `chat-state-changed`: the connection state changed. */
export interface ChatStateChangedDetail {
  readonly state: ConnectionState;
  readonly previous: ConnectionState;
}

/** `chat-unread-changed`: messages from others arrived while the page was hidden (reset to 0 when it is shown). */
export interface ChatUnreadChangedDetail {
  readonly count: number;
}

/**
 * `chat-moderate-request`: the user chose Delete on someone else's message, or Kick, Mute or Ban, in a
 * message menu. Cancelable: `preventDefault()` stops the action (e.g. to ask for confirmation first).
 */
export interface ChatModerateRequestDetail {
  readonly roomId: number;
  readonly action: 'delete' | 'kick' | 'mute' | 'ban';
  /** The message the menu belongs to. */
  readonly seq: number;
  /** Its sender: the user to kick, mute or ban. */
  readonly userId: string;
}

/** Every public event of `<chat-room>` and its detail. */
export interface ChatEventDetails {
  'chat-message': ChatMessageDetail;
  'chat-joined': ChatJoinedDetail;
  'chat-left': ChatLeftDetail;
  'chat-error': ChatErrorDetail;
  'chat-state-changed': ChatStateChangedDetail;
  'chat-unread-changed': ChatUnreadChangedDetail;
  'chat-moderate-request': ChatModerateRequestDetail;
}

/** Name of a public event. */
export type ChatEventName = keyof ChatEventDetails;

/**
 * Dispatches a public event from `target`: it bubbles and is composed (leaves shadow roots).
 * @returns the event, for `defaultPrevented`
 */
export function emitChatEvent<K extends ChatEventName>(target: EventTarget, name: K, detail: ChatEventDetails[K]): CustomEvent<ChatEventDetails[K]> {
  // Only requests may be vetoed by the page.
  const event = new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable: name.endsWith('-request') });
  target.dispatchEvent(event);
  return event;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'chat-message': CustomEvent<ChatMessageDetail>;
    'chat-joined': CustomEvent<ChatJoinedDetail>;
    'chat-left': CustomEvent<ChatLeftDetail>;
    'chat-error': CustomEvent<ChatErrorDetail>;
    'chat-state-changed': CustomEvent<ChatStateChangedDetail>;
    'chat-unread-changed': CustomEvent<ChatUnreadChangedDetail>;
  }
}

import type { CreateRoomInput } from '../../sdk/index.js';

/** What a message's menu offers (the moderation actions act on the message's sender). */
export type MessageAction = 'edit' | 'delete' | 'kick' | 'mute' | 'ban';

/**
 * Events between the widget's own parts. They bubble inside `<chat-room>`'s shadow root only
 * (not composed), so the page never sees them.
 */
export interface InternalEventDetails {
  'chat-send': { text: string };
  'chat-typing': { typing: boolean };
  'chat-load-older': Record<string, never>;
  'chat-retry-message': { clientMsgId: string; text: string };
  'chat-dismiss-message': { clientMsgId: string };
  'chat-join-request': { roomId: number; password: string | undefined };
  'chat-create-request': { input: CreateRoomInput };
  'chat-cancel': Record<string, never>;
  'chat-create-open': Record<string, never>;
  'chat-retry-connect': Record<string, never>;
  /** A message menu item was chosen. */
  'chat-message-action': { action: MessageAction; seq: number; userId: string };
  /** The message menu closes (Escape, Tab, a click elsewhere); `restoreFocus`: give focus back to its button. */
  'chat-menu-close': { restoreFocus: boolean };
  /** The inline editor's text, to save. */
  'chat-edit-save': { text: string };
  /** The inline editor was cancelled. */
  'chat-edit-cancel': Record<string, never>;
  /** Save an edit of message `seq`. */
  'chat-edit-message': { seq: number; text: string };
}

/** Dispatches an internal event from a sub-component. */
export function emitInternal<K extends keyof InternalEventDetails>(target: EventTarget, name: K, detail: InternalEventDetails[K]): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: false }));
}

/** Listener type of an internal event, for `@chat-send=${…}` bindings. */
export type InternalEvent<K extends keyof InternalEventDetails> = CustomEvent<InternalEventDetails[K]>;

/**
 * `<chat-room>`: load this module (one script tag, or `import 'parley-chat/widget'`) to register
 * the element and its parts. Importing the component files alone registers nothing.
 *
 * Every tag of the initial load is defined here, not through the sub-folders' define files:
 * `package.json` `sideEffects` lists only this file, so a bundler would drop side-effect-only
 * imports of them. The room list, the create-room form, the password prompt and the call panel
 * are chunks that `<chat-room>` loads and defines on first use (`chat-room/lazy-parts.ts`).
 */
import { ChatRoom } from './chat-room.component.js';
import { ChatComposer } from '../composer/composer.component.js';
import { ChatConnectionBanner } from '../connection-banner/connection-banner.component.js';
import { registerCallTranslation, registerTranslation } from '../localize/localize.js';
import en from '../localize/translations/en.js';
import ko from '../localize/translations/ko.js';
import { ChatMemberList } from '../member-list/member-list.component.js';
import { ChatMessageList } from '../message-list/message-list.component.js';
import type { ChatPasswordPrompt } from '../password-prompt/password-prompt.component.js';
import type { ChatCallPanel } from '../call-panel/call-panel.component.js';
import type { ChatRoomForm } from '../room-form/room-form.component.js';
import type { ChatRoomList } from '../room-list/room-list.component.js';

registerTranslation(en, ko);

const tags: Array<[string, CustomElementConstructor]> = [
  ['chat-composer', ChatComposer],
  ['chat-connection-banner', ChatConnectionBanner],
  ['chat-member-list', ChatMemberList],
  ['chat-message-list', ChatMessageList],
  // Last: its first render finds its parts defined.
  ['chat-room', ChatRoom],
];
for (const [name, ctor] of tags) if (!customElements.get(name)) customElements.define(name, ctor);

export { ChatRoom, registerCallTranslation, registerTranslation };
export type { ChatTheme } from './chat-room.component.js';
export type { CallTranslation, Translation } from '../localize/localize.js';
export type { ChatClientLike, RoomHandleLike } from '../model/chat-client-like.js';
export type {
  ChatErrorDetail,
  ChatEventDetails,
  ChatJoinedDetail,
  ChatLeftDetail,
  ChatLeftReason,
  ChatMessageDetail,
  ChatStateChangedDetail,
  ChatUnreadChangedDetail,
} from '../events/chat-events.js';
export default ChatRoom;

declare global {
  interface HTMLElementTagNameMap {
    'chat-room': ChatRoom;
    'chat-composer': ChatComposer;
    'chat-connection-banner': ChatConnectionBanner;
    'chat-member-list': ChatMemberList;
    'chat-message-list': ChatMessageList;
    'chat-password-prompt': ChatPasswordPrompt;
    'chat-room-form': ChatRoomForm;
    'chat-room-list': ChatRoomList;
    'chat-call-panel': ChatCallPanel;
  }
}

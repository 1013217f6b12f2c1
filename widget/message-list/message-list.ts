// Registers this part alone (for use outside <chat-room>); chat-room.ts defines every tag itself.
import { ChatMessageList } from './message-list.component.js';

export { ChatMessageList };
export default ChatMessageList;

if (!customElements.get('chat-message-list')) customElements.define('chat-message-list', ChatMessageList);


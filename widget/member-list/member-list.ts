// Registers this part alone (for use outside <chat-room>); chat-room.ts defines every tag itself.
import { ChatMemberList } from './member-list.component.js';

export { ChatMemberList };
export default ChatMemberList;

if (!customElements.get('chat-member-list')) customElements.define('chat-member-list', ChatMemberList);


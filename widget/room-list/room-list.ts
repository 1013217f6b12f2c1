// Registers this part alone (for use outside <chat-room>); chat-room.ts defines every tag itself.
import { ChatRoomList } from './room-list.component.js';

export { ChatRoomList };
export default ChatRoomList;

if (!customElements.get('chat-room-list')) customElements.define('chat-room-list', ChatRoomList);


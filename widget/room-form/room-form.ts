// Registers this part alone (for use outside <chat-room>); chat-room.ts defines every tag itself.
import { ChatRoomForm } from './room-form.component.js';

export { ChatRoomForm };
export default ChatRoomForm;

if (!customElements.get('chat-room-form')) customElements.define('chat-room-form', ChatRoomForm);


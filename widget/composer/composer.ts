// Registers this part alone (for use outside <chat-room>); chat-room.ts defines every tag itself.
import { ChatComposer } from './composer.component.js';

export { ChatComposer };
export default ChatComposer;

if (!customElements.get('chat-composer')) customElements.define('chat-composer', ChatComposer);


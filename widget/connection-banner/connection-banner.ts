// Registers this part alone (for use outside <chat-room>); chat-room.ts defines every tag itself.
import { ChatConnectionBanner } from './connection-banner.component.js';

export { ChatConnectionBanner };
export default ChatConnectionBanner;

if (!customElements.get('chat-connection-banner')) customElements.define('chat-connection-banner', ChatConnectionBanner);


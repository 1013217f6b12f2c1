// Registers this part alone (for use outside <chat-room>); chat-room.ts defines every tag itself.
import { ChatPasswordPrompt } from './password-prompt.component.js';

export { ChatPasswordPrompt };
export default ChatPasswordPrompt;

if (!customElements.get('chat-password-prompt')) customElements.define('chat-password-prompt', ChatPasswordPrompt);


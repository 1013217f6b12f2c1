import { ChatMessageEditor } from './message-editor.component.js';
import { ChatMessageMenu } from './message-menu.component.js';

export { ChatMessageEditor, ChatMessageMenu };
export default ChatMessageMenu;

if (!customElements.get('chat-message-menu')) customElements.define('chat-message-menu', ChatMessageMenu);
if (!customElements.get('chat-message-editor')) customElements.define('chat-message-editor', ChatMessageEditor);

declare global {
  interface HTMLElementTagNameMap {
    'chat-message-menu': ChatMessageMenu;
    'chat-message-editor': ChatMessageEditor;
  }
}

import { ChatCallPanel } from './call-panel.component.js';

export { ChatCallPanel };
export type { CallSessionLike } from './call-panel.component.js';
export default ChatCallPanel;

if (!customElements.get('chat-call-panel')) customElements.define('chat-call-panel', ChatCallPanel);

declare global {
  interface HTMLElementTagNameMap {
    'chat-call-panel': ChatCallPanel;
  }
}

import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.js';

export default [
  sharedStyles,
  css`
    :host {
      display: block;
      min-height: 0;
    }
    .panel {
      height: 100%;
      overflow-y: auto;
      padding: 0.75rem var(--chat-gap);
      background: var(--chat-surface);
    }
    ul {
      list-style: none;
      margin: 0.5rem 0 0;
      padding: 0;
      display: grid;
      gap: 0.35rem;
    }
    li {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      min-width: 0;
    }
    .name {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .dot {
      flex: none;
      width: 0.6rem;
      height: 0.6rem;
      border-radius: 50%;
      background: var(--chat-presence);
    }
    .self,
    .typing {
      color: var(--chat-text-muted);
      font-size: 0.875em;
      white-space: nowrap;
    }
  `,
];

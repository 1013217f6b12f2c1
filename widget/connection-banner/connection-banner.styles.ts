import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.js';

export default [
  sharedStyles,
  css`
    :host {
      display: block;
    }
    .banner {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25rem 0.75rem;
      padding: 0.45rem var(--chat-gap);
      background: var(--chat-warning-bg);
      color: var(--chat-warning-text);
      border-bottom: 1px solid var(--chat-border);
      font-size: 0.875em;
    }
    .banner.offline,
    .banner.disconnected {
      background: var(--chat-danger-bg);
      color: var(--chat-danger-text);
    }
    .text {
      flex: 1 1 12rem;
      min-width: 0;
    }
    .btn {
      min-height: 2rem;
      padding: 0.2rem 0.7rem;
    }
  `,
];

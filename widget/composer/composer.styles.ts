import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.js';

export default [
  sharedStyles,
  css`
    :host {
      display: block;
    }
    .composer {
      display: flex;
      align-items: flex-end;
      gap: 0.5rem;
      padding: 0.5rem var(--chat-gap);
      border-top: 1px solid var(--chat-border);
      background: var(--chat-surface);
    }
    textarea {
      flex: 1;
      min-width: 0;
      resize: none;
      line-height: 1.4;
      max-height: 8.5rem;
      overflow-y: auto;
      border-radius: calc(var(--chat-radius) * 1.5);
    }
    .send {
      flex: none;
    }
    .send svg {
      width: 1.25rem;
      height: 1.25rem;
      fill: currentColor;
    }
  `,
];

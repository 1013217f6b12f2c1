import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.js';

export default [
  sharedStyles,
  css`
    :host {
      display: block;
      position: absolute;
      z-index: 3;
      top: 100%;
      inset-inline-end: 0;
    }
    .menu {
      min-width: 12rem;
      margin: 0;
      padding: 0.25rem;
      list-style: none;
      background: var(--chat-surface);
      color: var(--chat-text);
      border: 1px solid var(--chat-border);
      border-radius: var(--chat-radius);
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.18);
    }
    .item {
      display: block;
      width: 100%;
      padding: 0.45rem 0.65rem;
      text-align: start;
      background: none;
      border: 0;
      border-radius: 0.35rem;
    }
    .item:hover,
    .item:focus-visible {
      background: var(--chat-surface-hover);
    }
    .danger {
      color: var(--chat-danger);
    }
  `,
];

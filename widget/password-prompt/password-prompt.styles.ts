import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.js';

export default [
  sharedStyles,
  css`
    :host {
      display: block;
    }
    form {
      display: grid;
      gap: 0.75rem;
      max-width: 26rem;
      margin: 1rem auto;
      padding: 1rem var(--chat-gap);
      border: 1px solid var(--chat-border);
      border-radius: var(--chat-radius);
      background: var(--chat-surface);
    }
    .heading {
      display: flex;
      align-items: center;
      gap: 0.4rem;
      overflow-wrap: anywhere;
    }
    .heading svg {
      flex: none;
      width: 1.1rem;
      height: 1.1rem;
      fill: currentColor;
    }
  `,
];

import { css } from 'lit';
import { formCardStyles } from '../styles/form-card.styles.js';
import { sharedStyles } from '../styles/shared.styles.js';

export default [
  sharedStyles,
  formCardStyles,
  css`
    form {
      max-width: 26rem;
      margin: 1rem auto;
      padding: 1rem var(--chat-gap);
    }
    .heading {
      display: flex;
      align-items: center;
      gap: 0.4rem;
      overflow-wrap: anywhere;
      word-break: keep-all;
    }
    .heading svg {
      flex: none;
      width: 1.1rem;
      height: 1.1rem;
      fill: currentColor;
    }
  `,
];

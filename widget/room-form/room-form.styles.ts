import { css } from 'lit';
import { formCardStyles } from '../styles/form-card.styles.js';
import { sharedStyles } from '../styles/shared.styles.js';

export default [
  sharedStyles,
  formCardStyles,
  css`
    form {
      padding: 0.9rem var(--chat-gap);
      margin: 0 var(--chat-gap);
    }
    .row {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
      gap: 0.75rem;
    }
    .form-error {
      margin: 0;
      padding: 0.5rem 0.65rem;
      border-radius: var(--chat-radius);
      background: var(--chat-danger-bg);
      color: var(--chat-danger-text);
    }
  `,
];

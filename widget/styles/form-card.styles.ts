import { css } from 'lit';

/** A form shown as a card (the password prompt, the create-room form); each adds its own spacing. */
export const formCardStyles = css`
  :host {
    display: block;
  }
  form {
    display: grid;
    gap: 0.75rem;
    border: 1px solid var(--chat-border);
    border-radius: var(--chat-radius);
    background: var(--chat-surface);
  }
`;

import { css } from 'lit';

/**
 * Base rules every part of the widget shares: box model, focus ring, visually hidden text,
 * buttons and fields. Colours come from the `--chat-*` custom properties set on `<chat-room>`.
 */
export const sharedStyles = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  .sr-only {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  :focus-visible {
    outline: 2px solid var(--chat-focus-ring);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  button:disabled {
    cursor: default;
    opacity: 0.7;
  }
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.35em;
    min-height: 2.5rem;
    padding: 0.4rem 0.9rem;
    border: 1px solid var(--chat-border-strong);
    border-radius: var(--chat-radius);
    background: var(--chat-surface);
    color: var(--chat-text);
    line-height: 1.2;
  }
  .btn:hover:not(:disabled) {
    background: var(--chat-surface-hover);
  }
  .btn-primary {
    background: var(--chat-accent);
    border-color: var(--chat-accent);
    color: var(--chat-on-accent);
  }
  .btn-primary:hover:not(:disabled) {
    background: var(--chat-accent-hover);
  }
  .btn-icon {
    min-width: 2.5rem;
    padding: 0.4rem;
  }
  input,
  select,
  textarea {
    font: inherit;
    color: var(--chat-text);
    background: var(--chat-input-bg);
    border: 1px solid var(--chat-border-strong);
    border-radius: var(--chat-radius);
    padding: 0.5rem 0.65rem;
    min-height: 2.5rem;
    max-width: 100%;
  }
  input[aria-invalid='true'] {
    border-color: var(--chat-danger);
  }
  ::placeholder {
    color: var(--chat-text-muted);
    opacity: 1;
  }
  .field {
    display: grid;
    gap: 0.3rem;
  }
  .field label {
    font-weight: 600;
  }
  .hint {
    margin: 0;
    color: var(--chat-text-muted);
    font-size: 0.875em;
  }
  .error {
    margin: 0;
    color: var(--chat-danger);
    font-size: 0.875em;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 0.5rem;
  }
  h2 {
    font-size: 1.05em;
    margin: 0;
  }
`;

import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.js';

export default [
  sharedStyles,
  css`
    :host {
      display: block;
      position: relative;
      min-height: 0;
      height: 100%;
    }
    .scroller {
      height: 100%;
      overflow-y: auto;
      overflow-x: hidden;
      /* Anchoring is done by ScrollAnchorController; two correctors would fight. */
      overflow-anchor: none;
      overscroll-behavior: contain;
      padding: 0.5rem var(--chat-gap) 0.75rem;
    }
    .history-status {
      min-height: 1.75rem;
      text-align: center;
      color: var(--chat-text-muted);
      font-size: 0.8125em;
      padding: 0.25rem 0;
    }
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
    }
    .day {
      display: flex;
      align-items: center;
      gap: 0.75rem;
      margin: 0.9rem 0 0.4rem;
      color: var(--chat-text-muted);
      font-size: 0.8125em;
    }
    .day::before,
    .day::after {
      content: '';
      flex: 1;
      border-top: 1px solid var(--chat-border);
    }
    .notice {
      align-self: center;
      text-align: center;
      margin: 0.35rem 0;
      padding: 0.15rem 0.75rem;
      border-radius: 999px;
      background: var(--chat-surface-2);
      color: var(--chat-text-muted);
      font-size: 0.8125em;
      max-width: 100%;
      overflow-wrap: anywhere;
      word-break: keep-all;
    }
    .message {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      margin-top: 0.15rem;
      max-width: 100%;
    }
    .message {
      position: relative;
    }
    .tombstone {
      font-style: italic;
      opacity: 0.8;
    }
    .edited {
      font-size: 0.75em;
      opacity: 0.85;
    }
    /* The menu button sits in the free side of the row: after others' bubbles, before your own. */
    .menu-anchor {
      position: absolute;
      top: 0;
      inset-inline-end: 0;
    }
    .own .menu-anchor {
      inset-inline-end: auto;
      inset-inline-start: 0;
    }
    .own .menu-anchor chat-message-menu {
      inset-inline-end: auto;
      inset-inline-start: 0;
    }
    .menu-button {
      display: grid;
      place-items: center;
      width: 1.75rem;
      height: 1.75rem;
      padding: 0;
      border: 0;
      border-radius: 999px;
      background: var(--chat-surface-2);
      color: var(--chat-text-muted);
      opacity: 0;
    }
    .menu-button svg {
      width: 1rem;
      height: 1rem;
      fill: currentColor;
    }
    .message:hover .menu-button,
    .message:focus-within .menu-button,
    .menu-button[aria-expanded='true'] {
      opacity: 1;
    }
    @media (hover: none) {
      .menu-button {
        opacity: 1;
      }
    }
    .message.group-start {
      margin-top: 0.6rem;
    }
    .message.own {
      align-items: flex-end;
    }
    .sender {
      font-size: 0.8125em;
      font-weight: 600;
      color: var(--chat-text-muted);
      margin: 0 0.6rem 0.15rem;
      max-width: 100%;
      overflow-wrap: anywhere;
      word-break: keep-all;
    }
    .bubble {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-end;
      column-gap: 0.5rem;
      max-width: min(85%, 40rem);
      padding: 0.4rem 0.7rem;
      border-radius: var(--chat-bubble-radius);
      background: var(--chat-other-bubble);
      color: var(--chat-other-text);
    }
    .own .bubble {
      background: var(--chat-own-bubble);
      color: var(--chat-own-text);
    }
    .text {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      word-break: keep-all;
      min-width: 0;
    }
    .text a {
      color: var(--chat-link);
      text-decoration: underline;
    }
    .own .text a {
      color: inherit;
    }
    .time {
      margin-inline-start: auto;
      font-size: 0.75em;
      color: var(--chat-other-meta);
      white-space: nowrap;
    }
    .own .time,
    .own .status {
      color: var(--chat-own-meta);
    }
    .pending .bubble {
      opacity: 0.85;
    }
    .status {
      font-size: 0.75em;
      white-space: nowrap;
      margin-inline-start: auto;
    }
    .failed .bubble {
      background: var(--chat-danger-bg);
      color: var(--chat-danger-text);
      outline: 1px solid var(--chat-danger);
    }
    .failed .status {
      color: var(--chat-danger-text);
      font-weight: 600;
    }
    .failed-actions {
      display: flex;
      gap: 0.35rem;
      margin-top: 0.25rem;
    }
    .failed-actions .btn {
      min-height: 2rem;
      padding: 0.2rem 0.6rem;
      font-size: 0.875em;
    }
    .pill {
      position: absolute;
      left: 50%;
      bottom: 0.75rem;
      transform: translateX(-50%);
      border: 0;
      border-radius: 999px;
      padding: 0.45rem 1rem;
      background: var(--chat-accent);
      color: var(--chat-on-accent);
      box-shadow: 0 2px 8px rgb(0 0 0 / 0.25);
      font-size: 0.875em;
      white-space: nowrap;
      max-width: calc(100% - 1rem);
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .link-button {
      border: 0;
      background: none;
      color: var(--chat-link);
      text-decoration: underline;
      padding: 0 0.25rem;
    }
  `,
];

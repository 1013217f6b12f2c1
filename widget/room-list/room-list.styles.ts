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
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      height: 100%;
      min-height: 0;
    }
    .head {
      display: flex;
      align-items: center;
      justify-content: space-between;
      flex-wrap: wrap;
      gap: 0.5rem;
      padding: 0.75rem var(--chat-gap) 0;
    }
    .status {
      margin: 0;
      padding: 1rem var(--chat-gap);
      color: var(--chat-text-muted);
    }
    .status:empty {
      padding: 0;
    }
    .list {
      list-style: none;
      margin: 0;
      padding: 0 var(--chat-gap) 0.75rem;
      overflow-y: auto;
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 0.4rem;
      min-height: 0;
    }
    .room {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      width: 100%;
      min-height: 3rem;
      padding: 0.55rem 0.75rem;
      text-align: start;
      border: 1px solid var(--chat-border);
      border-radius: var(--chat-radius);
      background: var(--chat-surface);
      color: var(--chat-text);
    }
    .room:hover {
      background: var(--chat-surface-hover);
    }
    .name {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-weight: 600;
    }
    .lock svg {
      width: 1rem;
      height: 1rem;
      fill: currentColor;
      vertical-align: -0.15em;
    }
    .badge {
      flex: none;
      font-size: 0.75em;
      padding: 0.1rem 0.45rem;
      border-radius: 999px;
      background: var(--chat-surface-2);
      color: var(--chat-text-muted);
    }
    .badge.full {
      background: var(--chat-danger-bg);
      color: var(--chat-danger-text);
      font-weight: 600;
    }
    .count {
      flex: none;
      font-variant-numeric: tabular-nums;
      color: var(--chat-text-muted);
      font-size: 0.875em;
    }
  `,
];

import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.js';

// Dark values, shared by `theme="dark"` and `theme="auto"` under a dark colour scheme.
const dark = css`
  --chat-bg: #15181c;
  --chat-surface: #1d2126;
  --chat-surface-2: #262b31;
  --chat-surface-hover: #2b3138;
  --chat-input-bg: #111417;
  --chat-text: #e7ecf1;
  --chat-text-muted: #a4aeb9;
  --chat-border: #343b43;
  --chat-border-strong: #6b7682;
  --chat-accent: #2d6bc4;
  --chat-accent-hover: #2559a8;
  --chat-on-accent: #ffffff;
  --chat-own-bubble: #2b64b8;
  --chat-own-text: #ffffff;
  --chat-own-meta: #dbe7fa;
  --chat-other-bubble: #2a3037;
  --chat-other-text: #e7ecf1;
  --chat-other-meta: #b3bdc8;
  --chat-link: #8fc1ff;
  --chat-danger: #ff8a80;
  --chat-danger-bg: #3b1f1f;
  --chat-danger-text: #ffd7d3;
  --chat-warning-bg: #3a3117;
  --chat-warning-text: #fde8b0;
  --chat-presence: #3fb950;
  --chat-focus-ring: #8fc1ff;
  color-scheme: dark;
`;

export default [
  sharedStyles,
  css`
    :host {
      /* Layout */
      --chat-height: 32rem;
      --chat-font-family: system-ui, -apple-system, 'Segoe UI', 'Apple SD Gothic Neo', 'Noto Sans KR', 'Malgun Gothic', sans-serif;
      --chat-font-size: 1rem;
      --chat-radius: 0.5rem;
      --chat-bubble-radius: 1rem;
      --chat-gap: 0.75rem;
      --chat-members-width: 14rem;
      /* Colours (light) */
      --chat-bg: #ffffff;
      --chat-surface: #f7f8fa;
      --chat-surface-2: #eceff3;
      --chat-surface-hover: #e8ecf1;
      --chat-input-bg: #ffffff;
      --chat-text: #1b1f24;
      --chat-text-muted: #565f69;
      --chat-border: #d8dde3;
      --chat-border-strong: #8a939d;
      --chat-accent: #0b5cd5;
      --chat-accent-hover: #0a4fb7;
      --chat-on-accent: #ffffff;
      --chat-own-bubble: #0b5cd5;
      --chat-own-text: #ffffff;
      --chat-own-meta: #dce8fb;
      --chat-other-bubble: #eceff3;
      --chat-other-text: #1b1f24;
      --chat-other-meta: #505861;
      --chat-link: #0a55c4;
      --chat-danger: #b42318;
      --chat-danger-bg: #fdecea;
      --chat-danger-text: #8a1c12;
      --chat-warning-bg: #fff4d6;
      --chat-warning-text: #5c3c00;
      --chat-presence: #1a7f37;
      --chat-focus-ring: #0b5cd5;
      color-scheme: light;

      display: block;
      height: var(--chat-height);
      min-height: 14rem;
      min-width: 0;
      container-type: inline-size;
      font-family: var(--chat-font-family);
      font-size: var(--chat-font-size);
      line-height: 1.45;
      color: var(--chat-text);
    }
    :host([theme='dark']) {
      ${dark}
    }
    @media (prefers-color-scheme: dark) {
      :host(:not([theme='light'])) {
        ${dark}
      }
    }

    .base {
      display: flex;
      flex-direction: column;
      height: 100%;
      min-height: 0;
      overflow: hidden;
      border: 1px solid var(--chat-border);
      border-radius: var(--chat-radius);
      background: var(--chat-bg);
      color: var(--chat-text);
    }
    .header {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      min-height: 3rem;
      padding: 0.35rem var(--chat-gap);
      border-bottom: 1px solid var(--chat-border);
      background: var(--chat-surface);
    }
    /* A long name wraps to a second line before it is cut (at 320 px "주말 등산 모임" was "주말 …"). */
    .title {
      flex: 1;
      min-width: 0;
      margin: 0;
      font-size: 1.05em;
      line-height: 1.25;
      overflow: hidden;
      overflow-wrap: anywhere;
      word-break: keep-all;
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 2;
      line-clamp: 2;
    }
    /* Narrow: the header's buttons give up padding so the title keeps the room it needs. */
    @container (max-width: 26rem) {
      .header {
        gap: 0.35rem;
        padding-inline: 0.5rem;
      }
      .header .btn {
        padding-inline: 0.45rem;
        gap: 0.2em;
      }
      .header .btn-icon {
        min-width: 2.25rem;
      }
    }
    .icon {
      width: 1.2rem;
      height: 1.2rem;
      fill: currentColor;
    }
    .unread {
      flex: none;
      padding: 0.05rem 0.5rem;
      border-radius: 999px;
      background: var(--chat-accent);
      color: var(--chat-on-accent);
      font-size: 0.75em;
      font-weight: 600;
    }
    .state-dot {
      flex: none;
      width: 0.6rem;
      height: 0.6rem;
      border-radius: 50%;
      background: var(--chat-border-strong);
    }
    .state-dot[data-state='connected'] {
      background: var(--chat-presence);
    }
    .state-dot[data-state='reconnecting'] {
      background: #d29922;
    }
    .body {
      position: relative;
      flex: 1;
      min-height: 0;
      display: flex;
      flex-direction: column;
      overflow: auto;
    }
    .lobby {
      display: flex;
      flex-direction: column;
      gap: 0.75rem;
      min-height: 0;
      flex: 1;
    }
    chat-room-list {
      flex: 1;
    }
    .center {
      margin: auto;
      padding: 1.25rem var(--chat-gap);
      text-align: center;
      max-width: 28rem;
      display: grid;
      gap: 0.75rem;
      justify-items: center;
      overflow-wrap: anywhere;
      word-break: keep-all;
    }
    .center p {
      margin: 0;
    }
    .muted {
      color: var(--chat-text-muted);
    }
    .signin {
      display: grid;
      gap: 0.75rem;
      width: min(100%, 22rem);
      margin: auto;
      padding: 1.25rem var(--chat-gap);
    }

    /* A room: messages and composer, with the people panel beside (wide) or over (narrow) them. */
    .room {
      position: relative;
      flex: 1;
      min-height: 0;
      display: grid;
      grid-template-columns: minmax(0, 1fr);
    }
    .room.members-open {
      grid-template-columns: minmax(0, 1fr) var(--chat-members-width);
    }
    .room-main {
      display: flex;
      flex-direction: column;
      min-width: 0;
      min-height: 0;
    }
    chat-message-list {
      flex: 1;
    }
    /* The call sits above the messages: most of the height in a video room, less in a chat room. */
    chat-call-panel {
      flex: 0 1 auto;
      max-height: 50%;
      overflow: auto;
      border-bottom: 1px solid var(--chat-border);
    }
    chat-call-panel.video {
      flex: 1 1 65%;
      max-height: none;
    }
    chat-call-panel.video + chat-message-list {
      flex: 1 1 35%;
    }
    chat-member-list {
      border-inline-start: 1px solid var(--chat-border);
    }
    @container (max-width: 39.99rem) {
      .room.members-open {
        grid-template-columns: minmax(0, 1fr);
      }
      .room.members-open chat-member-list {
        position: absolute;
        inset: 0 0 0 auto;
        width: min(85%, var(--chat-members-width));
        z-index: 2;
        box-shadow: -4px 0 12px rgb(0 0 0 / 0.2);
      }
    }
    .typing {
      min-height: 1.4rem;
      padding: 0 var(--chat-gap);
      font-size: 0.8125em;
      color: var(--chat-text-muted);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .alert {
      margin: 0 var(--chat-gap) 0.35rem;
      padding: 0.35rem 0.6rem;
      border-radius: var(--chat-radius);
      background: var(--chat-danger-bg);
      color: var(--chat-danger-text);
      font-size: 0.875em;
    }
  `,
];

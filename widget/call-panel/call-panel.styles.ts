import { css } from 'lit';
import { sharedStyles } from '../styles/shared.styles.js';

export default [
  sharedStyles,
  css`
    :host {
      --chat-call-tile-min: 8.5rem;
      --chat-call-tile-min-height: 7rem;
      --chat-call-tile-bg: #0f1215;
      --chat-call-tile-text: #ffffff;
      --chat-call-speaking: var(--chat-accent, #0b5cd5);
      display: flex;
      flex-direction: column;
      min-height: 0;
      gap: 0.5rem;
      padding: 0.5rem var(--chat-gap, 0.75rem);
      color: var(--chat-text, #1b1f24);
      background: var(--chat-bg, #ffffff);
      font-family: var(--chat-font-family, system-ui, sans-serif);
    }
    .notice {
      margin: 0;
      padding: 0.5rem 0.75rem;
      border-radius: var(--chat-radius, 0.5rem);
      background: var(--chat-warning-bg, #fff4d6);
      color: var(--chat-warning-text, #4d3800);
    }
    .notice.error {
      background: var(--chat-danger-bg, #fde7e7);
      color: var(--chat-danger-text, #7a1010);
    }
    /*
     * Tiles share the grid's height (rows of 1fr, never under --chat-call-tile-min-height: below
     * that the grid scrolls instead of squeezing tiles into a strip or over each other), so a
     * video room has no empty band under them. Two tiles sit side by side down to 320 px.
     */
    .grid {
      flex: 1 1 auto;
      min-height: var(--chat-call-tile-min-height);
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, var(--chat-call-tile-min)), 1fr));
      grid-auto-rows: minmax(var(--chat-call-tile-min-height), 1fr);
      gap: 0.5rem;
      margin: 0;
      padding: 0;
      list-style: none;
      overflow: auto;
    }
    .tile {
      position: relative;
      margin: 0;
      min-width: 0;
      min-height: 0;
      border-radius: var(--chat-radius, 0.5rem);
      overflow: hidden;
      background: var(--chat-call-tile-bg);
      color: var(--chat-call-tile-text);
    }
    video {
      width: 100%;
      height: 100%;
      object-fit: cover;
      display: block;
      background: var(--chat-call-tile-bg);
    }
    .tile.self video {
      transform: scaleX(-1);
    }
    .tile.self.screen video {
      transform: none;
      object-fit: contain;
    }
    .avatar {
      position: absolute;
      inset: 0;
      display: grid;
      place-items: center;
      font-size: 2.5rem;
      font-weight: 600;
    }
    .caption {
      position: absolute;
      left: 0.4rem;
      bottom: 0.4rem;
      right: 0.4rem;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.35rem;
      font-size: 0.875rem;
    }
    /* In a narrow tile the name keeps its width; a connection state moves to a line of its own. */
    .name {
      flex: 0 1 auto;
      min-width: 0;
    }
    .name,
    .mark,
    .state {
      padding: 0.1rem 0.45rem;
      border-radius: 999px;
      background: rgb(0 0 0 / 0.6);
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .state {
      margin-left: auto;
    }
    .mark svg {
      width: 1em;
      height: 1em;
      vertical-align: -0.15em;
      fill: currentColor;
    }
    .waiting {
      display: grid;
      place-items: center;
      color: var(--chat-text-muted, #565f69);
    }
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: center;
      gap: 0.5rem;
    }
    /* Every control the same height: the gear is a <summary>, which is not a button. */
    .toolbar .btn,
    .toolbar summary.btn {
      box-sizing: border-box;
      height: 2.5rem;
      min-height: 2.5rem;
    }
    .toolbar .btn-icon {
      width: 2.5rem;
    }
    .toolbar svg {
      width: 1.25rem;
      height: 1.25rem;
      fill: currentColor;
    }
    .toggle[aria-pressed='false'] {
      background: var(--chat-danger-bg, #fde7e7);
      color: var(--chat-danger-text, #7a1010);
    }
    .leave {
      background: var(--chat-danger, #c62828);
      border-color: var(--chat-danger, #c62828);
      color: #ffffff;
    }
    details {
      position: relative;
      display: flex;
    }
    details > summary {
      cursor: pointer;
    }
    details > summary {
      list-style: none;
    }
    details > summary::-webkit-details-marker {
      display: none;
    }
    .device-menu {
      position: absolute;
      bottom: calc(100% + 0.35rem);
      left: 50%;
      transform: translateX(-50%);
      z-index: 2;
      display: grid;
      gap: 0.5rem;
      min-width: 14rem;
      padding: 0.75rem;
      border: 1px solid var(--chat-border, #d8dde3);
      border-radius: var(--chat-radius, 0.5rem);
      background: var(--chat-surface, #f7f8fa);
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.2);
    }
    .device-menu label {
      display: grid;
      gap: 0.25rem;
      font-size: 0.875rem;
    }
    .tap {
      align-self: center;
    }
    .count {
      margin: 0;
      font-size: 0.875rem;
      color: var(--chat-text-muted, #565f69);
      text-align: center;
    }
  `,
];

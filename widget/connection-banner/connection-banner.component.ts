import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { ConnectionState } from '../../sdk/index.js';
import { emitInternal } from '../events/internal-events.js';
import { LocalizeController } from '../localize/localize.js';
import type { Translation } from '../localize/localize.js';
import styles from './connection-banner.styles.js';

/** Parts of `<chat-connection-banner>`, forwarded by `<chat-room>`. */
export const CONNECTION_BANNER_PARTS = ['banner-region', 'banner', 'banner-text', 'banner-pending', 'banner-retry'] as const;

/** What the banner says. */
export type BannerKind = 'none' | 'reconnecting' | 'offline' | 'disconnected';

/**
 * Which banner a connection situation calls for. Before the first connection there is none:
 * the widget's body says "connecting" or "could not connect" itself.
 */
export function bannerKind(state: ConnectionState, online: boolean, everConnected: boolean): BannerKind {
  if (state === 'connected' || !everConnected) return 'none';
  if (!online) return 'offline';
  if (state === 'reconnecting' || state === 'connecting') return 'reconnecting';
  return 'disconnected';
}

function text(t: Translation, kind: BannerKind): string {
  switch (kind) {
    case 'reconnecting':
      return t.reconnecting;
    case 'offline':
      return t.offline;
    case 'disconnected':
      return t.disconnected;
    case 'none':
      return '';
  }
}

/**
 * @summary Says when the connection is lost (reconnecting, offline, disconnected) and how many
 * messages wait to be sent. A polite status region, so screen readers hear each change once.
 *
 * @event chat-retry-connect - (internal) the user asked to connect again
 *
 * @csspart banner - the bar; `banner-text`, `banner-pending`, `banner-retry` inside
 */
export class ChatConnectionBanner extends LitElement {
  static override styles = styles;

  @property() kind: BannerKind = 'none';
  /** Own messages waiting for the connection. */
  @property({ type: Number, attribute: 'pending-count' }) pendingCount = 0;

  private readonly localize = new LocalizeController(this);

  override render(): TemplateResult {
    const t = this.localize.t;
    const kind = this.kind;
    // The status region stays in the DOM so that its content changes are announced.
    return html`<div part="banner-region" role="status" aria-live="polite">
      ${kind === 'none'
        ? nothing
        : html`<div part="banner" class="banner ${kind}" data-kind=${kind}>
            <span part="banner-text" class="text">${text(t, kind)}</span>
            ${this.pendingCount > 0 ? html`<span part="banner-pending">${t.pendingCount(this.pendingCount)}</span>` : nothing}
            ${kind === 'disconnected'
              ? html`<button part="banner-retry" class="btn" type="button" @click=${() => emitInternal(this, 'chat-retry-connect', {})}>${t.retry}</button>`
              : nothing}
          </div>`}
    </div>`;
  }
}

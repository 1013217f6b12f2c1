import { LitElement, html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { PresenceUser, User } from '../../sdk/index.js';
import { LocalizeController } from '../localize/localize.js';
import styles from './member-list.styles.js';

/** Parts of `<chat-member-list>`, forwarded by `<chat-room>`. */
export const MEMBER_LIST_PARTS = ['member-list-panel', 'member-list-heading', 'member-list', 'member', 'presence', 'member-name', 'member-self', 'member-typing'] as const;

/**
 * @summary Who is in the room now (presence), the current user first, with a typing mark.
 *
 * @csspart member-list-panel - the panel
 * @csspart member-list - the list; each `member` has `presence` (dot), `member-name`, `member-self`
 */
export class ChatMemberList extends LitElement {
  static override styles = styles;

  @property({ attribute: false }) members: readonly PresenceUser[] = [];
  @property({ attribute: false }) typing: readonly User[] = [];
  @property({ attribute: false }) selfId: string | undefined;
  /** Distinct users in the room as counted by the server. */
  @property({ type: Number }) count = 0;

  private readonly localize = new LocalizeController(this);

  override render(): TemplateResult {
    const t = this.localize.t;
    const typing = new Set(this.typing.map((u) => u.id));
    const members = [...this.members].sort((a, b) =>
      a.id === this.selfId ? -1 : b.id === this.selfId ? 1 : a.nickname.localeCompare(b.nickname, t.$code),
    );
    return html`<section part="member-list-panel" class="panel" aria-labelledby="members-heading">
      <h2 part="member-list-heading" id="members-heading">${t.membersHeading(Math.max(this.count, members.length))}</h2>
      <ul part="member-list">
        ${repeat(
          members,
          (m) => m.id,
          (m) => html`<li part="member">
            <span part="presence" class="dot" title=${t.online}></span>
            <span part="member-name" class="name">${m.nickname}</span>
            ${m.id === this.selfId ? html`<span part="member-self" class="self">${t.youSuffix}</span>` : nothing}
            ${typing.has(m.id) ? html`<span part="member-typing" class="typing" aria-hidden="true">…</span>` : nothing}
            <span class="sr-only">, ${t.online}</span>
          </li>`,
        )}
      </ul>
    </section>`;
  }
}

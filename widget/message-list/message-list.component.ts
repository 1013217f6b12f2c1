import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Message, PendingMessage } from '../../sdk/index.js';
import { emitInternal } from '../events/internal-events.js';
import type { InternalEvent } from '../events/internal-events.js';
import { lazy } from '../chat-room/lazy-parts.js';
import { ScrollAnchorController } from '../controllers/scroll-anchor-controller.js';
import { LocalizeController } from '../localize/localize.js';
import type { Translation } from '../localize/localize.js';
import { linkify } from '../model/linkify.js';
import { afterAppend, shiftForPrepend, slideDown, slideUp, windowAtEnd } from '../model/message-window.js';
import type { WindowRange } from '../model/message-window.js';
import { groupNotices, isNotice } from '../model/notice-groups.js';
import { dayLabel, timelineFlags } from '../model/timeline.js';
import styles from './message-list.styles.js';

/** Parts of `<chat-message-list>`, forwarded by `<chat-room>`. */
export const MESSAGE_LIST_PARTS = [
  'scroller', 'history-status', 'list', 'day-separator', 'notice', 'message', 'message-own', 'message-other',
  'message-pending', 'message-failed', 'sender', 'bubble', 'text', 'link', 'time', 'message-status',
  'failed-actions', 'retry-button', 'dismiss-button', 'new-messages-pill', 'live-region',
  'edited', 'tombstone', 'message-menu-button',
] as const;

/** Loads the message menu and the inline editor (one lazy chunk) on the first open of a menu. */
const loadMenu = (): Promise<{ default: CustomElementConstructor }> => import('../message-menu/message-menu.js');

/** Announcements kept in the live region (older ones are removed, which is not announced). */
const ANNOUNCE_KEEP = 5;

interface Announcement {
  readonly id: string;
  /** The announced message's seq: its announcement goes when the message is deleted. */
  readonly seq: number;
  readonly text: string;
}

/**
 * @summary The message log of a room: own and others' messages, enter/leave notices, times, day
 * separators and grouping; older history on scrolling up without the view jumping; a "new
 * messages" pill; pending and failed own messages.
 *
 * Only a window of at most 120 messages is in the DOM, whatever the room's length; it slides as
 * the reader scrolls, and the first visible message stays in place (ScrollAnchorController).
 * The list is `role="log"` for navigation with its own announcements off (`aria-live="off"`):
 * screen readers hear new messages only, through a separate visually hidden live region, so
 * history loaded above and rows re-rendered by the window are never read out.
 *
 * @event chat-load-older - (internal) the reader reached the oldest loaded message
 * @event chat-retry-message - (internal) retry a failed message
 * @event chat-dismiss-message - (internal) forget a failed message
 * @event chat-message-action - (internal) `{ action, seq, userId }` a menu item other than Edit was chosen
 * @event chat-edit-message - (internal) `{ seq, text }` save an edit made in place
 *
 * @csspart scroller - the scrolling viewport (focusable, for keyboard scrolling)
 * @csspart list - the list of rows
 * @csspart message - a message row; also `message-own`/`message-other`, `message-pending`/`message-failed`
 * @csspart bubble - a message's bubble; `sender`, `text`, `link`, `time`, `message-status`, `edited` (the
 *   "edited" mark), `tombstone` (a deleted message's text) inside
 * @csspart message-menu-button - the button that opens a message's menu (`message-menu`, `message-menu-item`
 *   inside the menu; `edit-form`, `edit-input`, `edit-save-button`, `edit-cancel-button` in the editor)
 * @csspart notice - a line of consecutive enter/leave notices, grouped ("민수 and 2 others joined")
 * @csspart day-separator - a day separator
 * @csspart history-status - "loading earlier messages" / "start of the conversation"
 * @csspart new-messages-pill - the button that jumps to new messages
 * @csspart live-region - the visually hidden log of new messages for screen readers
 */
export class ChatMessageList extends LitElement {
  static override styles = styles;

  /** Loaded messages, ascending by seq, without duplicates (as the SDK delivers them). */
  @property({ attribute: false }) messages: readonly Message[] = [];
  /** Own unconfirmed and failed sends (an entry leaves this list when its message is delivered). */
  @property({ attribute: false }) pending: readonly PendingMessage[] = [];
  /** The current user's id (own messages are drawn on the other side). */
  @property({ attribute: false }) selfId: string | undefined;
  /** Identifies the room; a change resets the view. */
  @property({ attribute: false }) roomKey: number | undefined;
  /** Older messages exist on the server. */
  @property({ type: Boolean, attribute: 'has-more' }) hasMore = false;
  /** Older messages are being read. */
  @property({ type: Boolean, attribute: 'loading-older' }) loadingOlder = false;
  /** The last read of older messages failed. */
  @property({ type: Boolean, attribute: 'older-failed' }) olderFailed = false;
  /** The current user moderates the room (owner, moderator or site admin): menus on others' messages too. */
  @property({ type: Boolean, attribute: 'can-moderate' }) canModerate = false;

  /** The seq of the message whose menu is open. */
  @state() private menuSeq: number | undefined;
  /** The seq of the message being edited in place. */
  @state() private editingSeq: number | undefined;

  @state() private range: WindowRange = { start: 0, end: 0 };
  @state() private newCount = 0;
  @state() private announcements: readonly Announcement[] = [];

  @query('.scroller') private scroller!: HTMLElement | null;

  private readonly localize = new LocalizeController(this);
  private readonly anchor = new ScrollAnchorController(this, {
    scroller: () => this.scroller,
    rows: () => (this.scroller?.querySelectorAll<HTMLElement>('[data-anchor]') ?? []) as ArrayLike<HTMLElement>,
  });
  #seen: { first: number; last: number; room: number | undefined } | undefined;
  /** Per message: its formatted time and linkified text, computed once (the window re-renders often). */
  #cache = new WeakMap<Message, { lang: string; time: TemplateResult; text: Array<string | TemplateResult> }>();
  #frame = 0;

  /** Shows the newest messages and follows new ones again. */
  scrollToLatest(): void {
    this.range = windowAtEnd(this.messages.length);
    this.newCount = 0;
    this.anchor.pinToBottom();
    this.requestUpdate();
  }

  /** How many rows are in the DOM (for tests and diagnostics). */
  get renderedRange(): WindowRange {
    return this.range;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('messages') || changed.has('roomKey')) this.#reconcile();
  }

  protected override updated(): void {
    // After a slide or a load, the reader may still be at an edge: check again.
    this.#scheduleEdgeCheck();
  }

  /** Works out what changed in `messages` (prepended history, appended live messages) and moves the window. */
  #reconcile(): void {
    const list = this.messages;
    const seen = this.#seen;
    const first = list[0];
    const last = list.at(-1);
    this.#seen = first && last ? { first: first.seq, last: last.seq, room: this.roomKey } : undefined;
    // The room only ever grows by an older page in front or live messages at the end (an edit or
    // delete replaces a message in place), so the rows seen before are found by seq; a list
    // without them is a new one.
    const prepended = seen ? list.findIndex((m) => m.seq === seen.first) : -1;
    const lastIndex = seen ? list.findIndex((m) => m.seq === seen.last) : -1;
    if (!seen || seen.room !== this.roomKey || prepended < 0 || lastIndex < 0) {
      this.range = windowAtEnd(list.length);
      this.newCount = 0;
      this.announcements = [];
      this.anchor.pinToBottom();
      return;
    }
    let range = this.range;
    if (prepended > 0) range = shiftForPrepend(range, prepended);
    const appended = list.length - lastIndex - 1;
    if (appended > 0) {
      const follow = this.anchor.atBottom;
      range = afterAppend(range, lastIndex + 1, list.length, follow);
      const fresh = list.slice(lastIndex + 1);
      const fromOthers = fresh.filter((m) => m.sender.id !== this.selfId);
      if (!follow) this.newCount += fromOthers.filter((m) => m.type === 'text').length;
      this.#announce(fromOthers);
    }
    // The reader was at the oldest row: show part of the new page at once (the anchor keeps the view).
    if (prepended > 0 && range.start === prepended) range = slideUp(range);
    this.range = range;
    this.#forgetDeleted(list);
  }

  /**
   * A deleted message's text must leave the page: the live region still held it as an announcement
   * (removing it is not announced, `aria-relevant="additions"`).
   */
  #forgetDeleted(list: readonly Message[]): void {
    const deleted = (a: Announcement): boolean => list.find((m) => m.seq === a.seq)?.deleted === true;
    if (this.announcements.some(deleted)) this.announcements = this.announcements.filter((a) => !deleted(a));
  }

  #announce(messages: readonly Message[]): void {
    if (messages.length === 0) return;
    const t = this.localize.t;
    const added = messages.map((m) => ({ id: `a${m.seq}`, seq: m.seq, text: this.#describe(t, m) }));
    this.announcements = [...this.announcements, ...added].slice(-ANNOUNCE_KEEP);
  }

  #describe(t: Translation, m: Message): string {
    if (m.type === 'enter') return t.entered(m.sender.nickname);
    if (m.type === 'leave') return t.left(m.sender.nickname);
    return t.announce(m.sender.nickname, m.text);
  }

  readonly #onScroll = (): void => {
    this.anchor.capture();
    if (this.anchor.atBottom && this.newCount > 0 && this.range.end === this.messages.length) this.newCount = 0;
    this.#scheduleEdgeCheck();
  };

  #scheduleEdgeCheck(): void {
    if (this.#frame !== 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#checkEdges();
    });
  }

  /** Near the top: slide the window up or ask for older history. Near the bottom: slide down. */
  #checkEdges(): void {
    const s = this.scroller;
    if (!s || s.clientHeight === 0) return;
    const near = Math.max(200, s.clientHeight * 0.75);
    if (s.scrollTop < near) {
      if (this.range.start > 0) this.range = slideUp(this.range);
      else if (this.hasMore && !this.loadingOlder && !this.olderFailed) emitInternal(this, 'chat-load-older', {});
    } else if (s.scrollHeight - s.scrollTop - s.clientHeight < near && this.range.end < this.messages.length) {
      this.range = slideDown(this.range, this.messages.length);
    }
  }

  #jump(): void {
    this.scrollToLatest();
    void this.updateComplete.then(() => this.scroller?.focus({ preventScroll: true }));
  }

  override render(): TemplateResult {
    const t = this.localize.t;
    const { start, end } = this.range;
    const rows: Array<{ key: string; render: () => TemplateResult }> = [];
    const now = new Date();
    for (let i = start; i < end; i++) {
      const m = this.messages[i]!;
      const flags = timelineFlags(this.messages[i - 1], m);
      if (flags.newDay) rows.push({ key: `d${m.seq}`, render: () => this.#renderDay(t, m, now) });
      if (isNotice(m)) {
        // Consecutive enter/leave notices on one day are one line, keyed by the first: a notice
        // arriving after it updates that line instead of adding a row (issue 13: visits and
        // reloads piled up grey pills that crowded out the conversation).
        let j = i + 1;
        while (j < end && isNotice(this.messages[j]!) && !timelineFlags(this.messages[j - 1], this.messages[j]!).newDay) j++;
        const run = this.messages.slice(i, j);
        rows.push({ key: `m${m.seq}`, render: () => this.#renderNotices(t, run) });
        i = j - 1;
        continue;
      }
      rows.push({ key: `m${m.seq}`, render: () => this.#renderMessage(t, m, flags.groupStart) });
    }
    const atEnd = end === this.messages.length;
    // Pending and failed sends follow the newest message; the SDK drops an entry from `pending`
    // when the message with its clientMsgId is delivered, so none is drawn twice.
    if (atEnd) for (const p of this.pending) rows.push({ key: `p${p.clientMsgId}`, render: () => this.#renderPending(t, p) });
    return html`
      <div part="scroller" class="scroller" tabindex="0" role="log" aria-live="off" aria-label=${t.messagesLabel} @scroll=${this.#onScroll}>
        <div part="history-status" class="history-status">${this.#renderHistoryStatus(t)}</div>
        <ol
          part="list"
          class="list"
          @chat-menu-close=${this.#onMenuClose}
          @chat-message-action=${this.#onAction}
          @chat-edit-save=${this.#onEditSave}
          @chat-edit-cancel=${this.#onEditCancel}
        >
          ${repeat(rows, (r) => r.key, (r) => r.render())}
        </ol>
      </div>
      ${this.newCount > 0
        ? html`<button part="new-messages-pill" class="pill" type="button" @click=${this.#jump}>${t.newMessages(this.newCount)} ↓</button>`
        : nothing}
      <div part="live-region" class="sr-only" role="log" aria-live="polite" aria-relevant="additions" aria-label=${t.liveRegionLabel}>
        ${repeat(this.announcements, (a) => a.id, (a) => html`<p>${a.text}</p>`)}
      </div>
    `;
  }

  #renderHistoryStatus(t: Translation): TemplateResult | typeof nothing {
    if (this.range.start > 0) return nothing;
    if (this.loadingOlder) return html`<span role="status">${t.loadingOlder}</span>`;
    if (this.olderFailed) {
      return html`${t.loadOlderFailed}
        <button part="retry-button" class="link-button" type="button" @click=${() => emitInternal(this, 'chat-load-older', {})}>${t.tryAgain}</button>`;
    }
    if (!this.hasMore && this.messages.length > 0) return html`${t.historyStart}`;
    return nothing;
  }

  #renderDay(t: Translation, m: Message, now: Date): TemplateResult {
    const date = new Date(m.createdAt);
    const label = dayLabel(date, now);
    const text = label.kind === 'today' ? t.today : label.kind === 'yesterday' ? t.yesterday : this.localize.date(date);
    // Not an anchor: the first loaded day may turn out to continue the day before once history loads.
    return html`<li part="day-separator" class="day">${text}</li>`;
  }

  #renderTime(date: Date): TemplateResult {
    return html`<time part="time" class="time" datetime=${date.toISOString()} title=${this.localize.dateTime(date)}>${this.localize.time(date)}</time>`;
  }

  #cached(t: Translation, m: Message): { time: TemplateResult; text: Array<string | TemplateResult> } {
    let entry = this.#cache.get(m);
    if (!entry || entry.lang !== t.$code) {
      entry = { lang: t.$code, time: this.#renderTime(new Date(m.createdAt)), text: this.#renderText(m.text) };
      this.#cache.set(m, entry);
    }
    return entry;
  }

  #renderMessage(t: Translation, m: Message, groupStart: boolean): TemplateResult {
    const { time, text: body } = this.#cached(t, m);
    if (isNotice(m)) return this.#renderNotices(t, [m]);
    const own = m.sender.id === this.selfId;
    const showName = groupStart && !own;
    const editing = this.editingSeq === m.seq && !m.deleted;
    let content: TemplateResult;
    if (m.deleted) content = html`<p part="text tombstone" class="text tombstone">${t.messageDeleted}</p>`;
    else if (editing) content = html`<chat-message-editor exportparts="edit-form, edit-input, edit-save-button, edit-cancel-button" .text=${m.text}></chat-message-editor>`;
    else {
      content = html`<p part="text" class="text">${body}</p>
        ${m.editedAt ? html`<span part="edited" class="edited">(${t.edited})</span>` : nothing}`;
    }
    return html`<li
      part=${own ? 'message message-own' : 'message message-other'}
      class="message ${own ? 'own' : 'other'} ${groupStart ? 'group-start' : ''}"
      data-anchor=${`m${m.seq}`}
      data-seq=${m.seq}
    >
      ${showName ? html`<span part="sender" class="sender">${m.sender.nickname}</span>` : nothing}
      <div part="bubble" class="bubble">
        <span class="sr-only">${own ? t.you : m.sender.nickname}:</span>
        ${content} ${time}
      </div>
      ${!m.deleted && !editing && (own || this.canModerate) ? this.#renderMenu(t, m, own) : nothing}
    </li>`;
  }

  /**
   * One line for a run of enter/leave notices ("민수 and 2 others joined · Alex left") with the
   * time of the last one. `data-count` is how many notices it stands for.
   */
  #renderNotices(t: Translation, run: readonly Message[]): TemplateResult {
    const first = run[0]!;
    const last = run.at(-1)!;
    const { joined, left } = groupNotices(run);
    const parts = [joined.length > 0 ? t.enteredGroup(joined) : '', left.length > 0 ? t.leftGroup(left) : ''].filter((p) => p !== '');
    return html`<li part="notice" class="notice" data-anchor=${`m${first.seq}`} data-seq=${first.seq} data-count=${run.length}>${parts.join(' · ')} · ${this.#cached(t, last).time}</li>`;
  }

  /** The menu button of a message, and its menu while open (a lazy chunk, loaded on the first open). */
  #renderMenu(t: Translation, m: Message, own: boolean): TemplateResult {
    const open = this.menuSeq === m.seq;
    return html`<div class="menu-anchor">
      <button
        part="message-menu-button"
        class="menu-button"
        type="button"
        data-menu=${m.seq}
        aria-haspopup="menu"
        aria-expanded=${open ? 'true' : 'false'}
        aria-label=${t.messageActions(own ? t.you : m.sender.nickname)}
        title=${t.messageActions(own ? t.you : m.sender.nickname)}
        @pointerdown=${() => (this.#pressed = m.seq)}
        @click=${() => this.#toggleMenu(m.seq)}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><circle cx="5" cy="12" r="2" /><circle cx="12" cy="12" r="2" /><circle cx="19" cy="12" r="2" /></svg>
      </button>
      ${open && lazy('chat-message-menu', loadMenu, this)
        ? html`<chat-message-menu
            exportparts="message-menu, message-menu-item"
            seq=${m.seq}
            .sender=${m.sender}
            ?own=${own}
            ?can-moderate=${this.canModerate}
          ></chat-message-menu>`
        : nothing}
    </div>`;
  }

  /** The menu button being pressed: the open menu loses focus to it, and the click that follows closes it. */
  #pressed: number | undefined;

  #toggleMenu(seq: number): void {
    this.#pressed = undefined;
    this.menuSeq = this.menuSeq === seq ? undefined : seq;
  }

  #focusMenuButton(seq: number): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-menu="${seq}"]`)?.focus());
  }

  readonly #onMenuClose = (e: InternalEvent<'chat-menu-close'>): void => {
    e.stopPropagation();
    const seq = this.menuSeq;
    // Focus moves to this menu's own button: leave the closing to its click (else it would reopen).
    if (!e.detail.restoreFocus && seq !== undefined && this.#pressed === seq) return;
    this.menuSeq = undefined;
    if (seq !== undefined && e.detail.restoreFocus) this.#focusMenuButton(seq);
  };

  readonly #onAction = (e: InternalEvent<'chat-message-action'>): void => {
    e.stopPropagation();
    const { action, seq } = e.detail;
    this.menuSeq = undefined;
    if (action === 'edit') {
      // Handled here: the message becomes its own editor.
      lazy('chat-message-editor', loadMenu, this);
      this.editingSeq = seq;
      return;
    }
    // Internal events stay in the shadow root they start in: the room hears it from this element.
    emitInternal(this, 'chat-message-action', e.detail);
    this.#focusMenuButton(seq);
  };

  readonly #onEditSave = (e: InternalEvent<'chat-edit-save'>): void => {
    e.stopPropagation();
    const seq = this.editingSeq;
    this.editingSeq = undefined;
    if (seq === undefined) return;
    emitInternal(this, 'chat-edit-message', { seq, text: e.detail.text });
    this.#focusMenuButton(seq);
  };

  readonly #onEditCancel = (e: Event): void => {
    e.stopPropagation();
    const seq = this.editingSeq;
    this.editingSeq = undefined;
    if (seq !== undefined) this.#focusMenuButton(seq);
  };

  #renderText(text: string): Array<string | TemplateResult> {
    // Text only: parts are bound as text nodes; links only for http(s) URLs.
    return linkify(text).map((p) =>
      p.kind === 'text' ? p.text : html`<a part="link" href=${p.href} target="_blank" rel="noopener noreferrer">${p.text}</a>`,
    );
  }

  #renderPending(t: Translation, p: PendingMessage): TemplateResult {
    const failed = p.state === 'failed';
    return html`<li
      part=${failed ? 'message message-own message-failed' : 'message message-own message-pending'}
      class="message own group-start ${failed ? 'failed' : 'pending'}"
      data-anchor=${`p${p.clientMsgId}`}
      data-pending=${p.state}
    >
      <div part="bubble" class="bubble">
        <span class="sr-only">${t.you}:</span>
        <p part="text" class="text">${this.#renderText(p.text)}</p>
        <span part="message-status" class="status">${failed ? t.failed : t.sending}</span>
      </div>
      ${failed
        ? html`<div part="failed-actions" class="failed-actions">
            <button part="retry-button" class="btn" type="button" @click=${() => emitInternal(this, 'chat-retry-message', { clientMsgId: p.clientMsgId, text: p.text })}>${t.retrySend}</button>
            <button part="dismiss-button" class="btn" type="button" @click=${() => emitInternal(this, 'chat-dismiss-message', { clientMsgId: p.clientMsgId })}>${t.dismiss}</button>
          </div>`
        : nothing}
    </li>`;
  }
}

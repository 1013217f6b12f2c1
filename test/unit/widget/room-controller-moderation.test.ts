import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParleyError, TypedEmitter } from '../../../sdk/index.js';
import type { HistoryPage, KickedBody, Message, MessageMutation, PendingMessage, Restriction, Room, RoomEvents, User } from '../../../sdk/index.js';
import { BAN_S, MUTED_RETRY_MS, MUTE_S, RoomController } from '../../../widget/controllers/room-controller.js';
import type { ChatLeftDetail } from '../../../widget/events/chat-events.js';
import { errorText } from '../../../widget/localize/error-text.js';
import en from '../../../widget/localize/translations/en.js';
import ko from '../../../widget/localize/translations/ko.js';
import type { ChatClientLike, RoomHandleLike } from '../../../widget/model/chat-client-like.js';

const ME: User = { id: 'u_me', nickname: 'me' };
const msg = (seq: number, text = `m${seq}`): Message => ({ id: seq, seq, roomId: 1, type: 'text', sender: ME, text, clientMsgId: null, createdAt: '', editedAt: null, deleted: false });
const room: Room = { id: 1, name: 'r', kind: 'chat', userCount: 1, maxUsers: 10, locked: false, ownerId: 'u_me', moderatorIds: [], createdAt: '' };

/** A room handle the test drives: `fire` emits SDK events; calls are recorded. */
class Handle extends TypedEmitter<RoomEvents> implements RoomHandleLike {
  readonly id = 1;
  closed = false;
  messages: readonly Message[] = [msg(1), msg(2), msg(3)];
  /** For a test that scrolls back: the handle's window starts later. */
  startAt(seq: number): void {
    this.messages = [msg(seq), msg(seq + 1)];
  }
  pending: readonly PendingMessage[] = [];
  readonly members = [];
  readonly userCount = 1;
  calls: unknown[][] = [];
  sendResult: Promise<Message> = new Promise(() => undefined);
  fire<K extends keyof RoomEvents>(event: K, ...args: Parameters<RoomEvents[K]>): void {
    this.emit(event, ...args);
  }
  send(): Promise<Message> {
    return this.sendResult;
  }
  pages: HistoryPage[] = [];
  befores: Array<number | undefined> = [];
  history(query: { before?: number } = {}): Promise<HistoryPage> {
    this.befores.push(query.before);
    return Promise.resolve(this.pages.shift() ?? { messages: [], mutations: [], lastSeq: 3 });
  }
  setTyping(): void {}
  dismiss(): boolean {
    return true;
  }
  async leave(): Promise<void> {}
  async edit(seq: number, text: string): Promise<MessageMutation> {
    this.calls.push(['edit', seq, text]);
    throw new ParleyError('EDIT_WINDOW_CLOSED', 'too old');
  }
  async delete(seq: number): Promise<void> {
    this.calls.push(['delete', seq]);
  }
  async moderation() {
    const r = (userId: string): Restriction => ({ userId, until: null, byId: 'u_me', createdAt: '' });
    return {
      kick: async (userId: string) => void this.calls.push(['kick', userId]),
      ban: async (userId: string, options?: { durationS?: number }) => (this.calls.push(['ban', userId, options]), r(userId)),
      mute: async (userId: string, durationS: number) => (this.calls.push(['mute', userId, durationS]), r(userId)),
    };
  }
}

/** A RoomController on a minimal Lit host (an EventTarget that records updates) and a fake client. */
async function opened(prepare: (h: Handle) => void = () => undefined) {
  const host = Object.assign(new EventTarget(), { updates: 0, addController: () => undefined, requestUpdate: () => void host.updates++, updateComplete: Promise.resolve(true) });
  const errors: string[] = [];
  const left: ChatLeftDetail[] = [];
  host.addEventListener('chat-left', (e) => left.push((e as CustomEvent<ChatLeftDetail>).detail));
  const ctl = new RoomController(host as unknown as ConstructorParameters<typeof RoomController>[0], { onMessage: () => undefined, onError: (e) => errors.push(e.code) });
  const handle = new Handle();
  prepare(handle);
  const client = { state: 'connected', user: ME, rooms: { get: async () => room }, on: () => () => undefined, join: async () => handle } as unknown as ChatClientLike;
  await ctl.open(client, 1);
  expect(ctl.status).toBe('live');
  return { ctl, handle, errors, left, host };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => vi.useRealTimers());

describe('RoomController: edits and deletes', () => {
  it('replaces an edited or deleted message in place, keeping order and length', async () => {
    const { ctl, handle } = await opened();
    const before = ctl.messages;
    const edited = { ...msg(2, 'fixed'), editedAt: '2026-12-01T00:00:00.000Z' };
    handle.fire('messageChanged', { seq: 4, roomId: 1, type: 'edited', message: edited, by: ME, createdAt: '' });
    expect(ctl.messages.map((m) => m.text)).toEqual(['m1', 'fixed', 'm3']);
    expect(ctl.messages[1]).toBe(edited);
    expect(ctl.messages[0]).toBe(before[0]);
    handle.fire('messageChanged', { seq: 5, roomId: 1, type: 'deleted', message: { ...msg(1), text: '', deleted: true }, by: ME, createdAt: '' });
    expect(ctl.messages.map((m) => m.deleted)).toEqual([true, false, false]);
  });

  it('ignores a change to a message that is not loaded', async () => {
    const { ctl, handle } = await opened();
    const before = ctl.messages;
    handle.fire('messageChanged', { seq: 9, roomId: 1, type: 'edited', message: msg(77, 'x'), by: ME, createdAt: '' });
    expect(ctl.messages).toBe(before);
  });

  it('passes a refused edit to the page by code', async () => {
    const { ctl, handle, errors } = await opened();
    ctl.edit(2, 'new');
    await flush();
    expect(handle.calls).toEqual([['edit', 2, 'new']]);
    expect(errors).toEqual(['EDIT_WINDOW_CLOSED']);
  });

  it('runs the menu actions: delete the message, kick, mute 10 min, ban a day', async () => {
    const { ctl, handle } = await opened();
    ctl.act('delete', 3, 'u_other');
    ctl.act('kick', 3, 'u_other');
    ctl.act('mute', 3, 'u_other');
    ctl.act('ban', 3, 'u_other');
    await flush();
    expect(handle.calls).toEqual([
      ['delete', 3],
      ['kick', 'u_other'],
      ['mute', 'u_other', MUTE_S],
      ['ban', 'u_other', { durationS: BAN_S }],
    ]);
    expect([MUTE_S, BAN_S]).toEqual([600, 86_400]);
  });

  it('asks the page first (cancelable chat-moderate-request) for moderation, not for deleting your own message', async () => {
    const { ctl, handle, host } = await opened();
    const requests: string[] = [];
    host.addEventListener('chat-moderate-request', (e) => {
      const d = (e as CustomEvent<{ action: string; userId: string }>).detail;
      requests.push(`${d.action}:${d.userId}`);
      if (d.action === 'ban') e.preventDefault();
    });
    ctl.act('delete', 2, 'u_me');
    ctl.act('delete', 3, 'u_other');
    ctl.act('ban', 3, 'u_other');
    await flush();
    expect(requests).toEqual(['delete:u_other', 'ban:u_other']);
    expect(handle.calls).toEqual([
      ['delete', 2],
      ['delete', 3],
    ]);
  });
});

describe('RoomController: older history with mutations', () => {
  it('pages back past a page that holds only mutations, by the lowest seq of each page, to the start', async () => {
    const mutation = (seq: number): MessageMutation => ({ seq, roomId: 1, type: 'edited', message: msg(1, 'e'), by: ME, createdAt: '' });
    const { ctl, handle } = await opened((h) => {
      h.startAt(400);
      h.pages = [
        // seq 200–399: edits only (limit counts mutations too)
        { messages: [], mutations: Array.from({ length: 200 }, (_, i) => mutation(200 + i)), lastSeq: 401 },
        { messages: [msg(1, 'e'), msg(2)], mutations: Array.from({ length: 197 }, (_, i) => mutation(3 + i)), lastSeq: 401 },
      ];
    });
    expect(ctl.hasMore).toBe(true);
    await ctl.loadOlder();
    expect(ctl.hasMore).toBe(true);
    expect(ctl.messages.map((m) => m.seq)).toEqual([400, 401]);
    await ctl.loadOlder();
    expect(handle.befores).toEqual([400, 200]);
    expect(ctl.messages.map((m) => m.seq)).toEqual([1, 2, 400, 401]);
    expect(ctl.hasMore).toBe(false);
  });
});

describe('RoomController: kicks and mutes', () => {
  it('on kicked: shows the kicked state with the ban, and tells the page chat-left kicked', async () => {
    const { ctl, handle, left } = await opened();
    const info: KickedBody = { roomId: 1, reason: 'ban', until: '2026-12-02T00:00:00.000Z' };
    handle.fire('kicked', info);
    expect(ctl.status).toBe('kicked');
    expect(ctl.kicked).toEqual(info);
    expect(ctl.joined).toBe(false);
    expect(left).toEqual([{ roomId: 1, reason: 'kicked' }]);
    // Listeners are gone: a late event changes nothing.
    handle.fire('messageChanged', { seq: 4, roomId: 1, type: 'edited', message: msg(2, 'late'), by: ME, createdAt: '' });
    expect(ctl.messages.map((m) => m.text)).toEqual(['m1', 'm2', 'm3']);
  });

  it('disables sending after a send refused MUTED, and allows trying again after a while', async () => {
    vi.useFakeTimers();
    const { ctl, handle, errors } = await opened();
    handle.sendResult = Promise.reject(new ParleyError('MUTED', 'muted'));
    await ctl.send('hello');
    expect(ctl.muted).toBe(true);
    expect(errors).toEqual(['MUTED']);
    vi.advanceTimersByTime(MUTED_RETRY_MS - 1);
    expect(ctl.muted).toBe(true);
    vi.advanceTimersByTime(1);
    expect(ctl.muted).toBe(false);
  });

  it('a send refused otherwise does not disable sending', async () => {
    const { ctl, handle } = await opened();
    handle.sendResult = Promise.reject(new ParleyError('MESSAGE_TOO_LONG', 'long'));
    await ctl.send('hello');
    expect(ctl.muted).toBe(false);
  });
});

describe('error texts of moderation refusals', () => {
  it('says muted, banned, too old to edit, or not allowed, in English and Korean', () => {
    for (const t of [en, ko]) {
      expect(errorText(t, 'MUTED')).toBe(t.mutedNotice);
      expect(errorText(t, 'BANNED')).toBe(t.errorBanned);
      expect(errorText(t, 'EDIT_WINDOW_CLOSED')).toBe(t.errorEditWindow);
      for (const code of ['NOT_MODERATOR', 'CANNOT_MODERATE', 'NOT_SENDER'] as const) expect(errorText(t, code)).toBe(t.errorNotAllowed);
    }
    expect(ko.messageDeleted).toBe('삭제된 메시지입니다');
    expect(ko.kickedHeading).toBe('이 방에서 내보내졌습니다');
    expect(en.kickedHeading).toBe('You were removed from this room');
  });
});

import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../widget/chat-room/chat-room.js';
import type { ChatRoom } from '../widget/chat-room/chat-room.component.js';
import { FakeChatClient, conversation, fakeMessage, fakeRoom } from './fake-chat-client.js';
import type { FakeOptions, FakeRoom } from './fake-chat-client.js';
import type { Message } from '../sdk/index.js';

interface Args {
  lang: 'ko' | 'en';
  theme: 'light' | 'dark' | 'auto';
  width: string;
  room: number | undefined;
  /** Which fake world to run on (built fresh at each render). */
  scenario: Scenario;
}

/** Renders `<chat-room>` on a fresh fake client. */
function render(args: Args) {
  const client = new FakeChatClient(SCENARIOS[args.scenario]());
  return html`<div style="max-width: ${args.width}; height: 34rem;">
    <chat-room .client=${client} room=${args.room ?? ''} lang=${args.lang} theme=${args.theme} style="--chat-height: 34rem"></chat-room>
  </div>`;
}

/** The widget's shadow root in the story canvas. */
function shadow(canvas: HTMLElement): ShadowRoot {
  return canvas.querySelector<ChatRoom>('chat-room')!.shadowRoot!;
}

/** Waits until `find` returns an element. */
async function waitFor<T>(find: () => T | null | undefined, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > end) throw new Error('story: element did not appear');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A conversation whose messages 6 and 8 (your own) were edited and 4 deleted, as the SDK shows them. */
function mutated(roomId: number, name: string, lang: 'ko' | 'en', over: Partial<FakeRoom> = {}): FakeRoom {
  const world = conversation(roomId, name, 12, lang);
  const at = new Date().toISOString();
  world.messages = world.messages.map((m) => {
    if (m.seq === 6 || m.seq === 8) return { ...m, text: `${m.text} ✎`, editedAt: at };
    if (m.seq === 4) return { ...m, text: '', deleted: true };
    return m;
  });
  return { ...world, ...over };
}

/** Opens the menu of the message with `seq` (the button shows on hover/focus; a click works either way). */
async function openMenu(canvas: HTMLElement, seq: number): Promise<void> {
  const list = await waitFor(() => shadow(canvas).querySelector('chat-message-list')?.shadowRoot);
  const button = await waitFor(() => list.querySelector<HTMLButtonElement>(`[data-menu="${seq}"]`));
  button.click();
  await waitFor(() => list.querySelector('chat-message-menu')?.shadowRoot?.querySelector('[role="menuitem"]'));
}

/**
 * A conversation with runs of enter/leave notices between messages: three joined, then two left
 * and one came back, each run drawn as one line (issue 13).
 */
function busyDoor(roomId: number, name: string, lang: 'ko' | 'en'): FakeRoom {
  const world = conversation(roomId, name, 12, lang);
  const people = [
    { id: 'u_minsu', nickname: '민수' },
    { id: 'u_sam', nickname: 'Sam' },
    { id: 'u_jiyoung', nickname: '지영' },
    { id: 'u_omar', nickname: 'Omar' },
  ];
  const start = Date.parse(world.messages[0]!.createdAt);
  const notice = (i: number, who: number, type: 'enter' | 'leave'): Message => fakeMessage(roomId, 0, people[who]!, '', new Date(start + i * 1000), type);
  const texts = world.messages.filter((m) => m.type === 'text');
  const list: Message[] = [
    notice(1, 0, 'enter'), notice(2, 1, 'enter'), notice(3, 2, 'enter'),
    ...texts.slice(0, 6),
    notice(4, 1, 'leave'), notice(5, 3, 'leave'), notice(6, 3, 'enter'), notice(7, 2, 'leave'),
    ...texts.slice(6),
  ];
  // Seq and time in the order shown.
  const t0 = start;
  world.messages = list.map((m, i) => ({ ...m, seq: i + 1, id: 10_000 + i, createdAt: new Date(t0 + i * 60_000).toISOString() }));
  return world;
}

const lockedRoom = (): FakeRoom => ({ room: fakeRoom(7, '비밀 스터디', { locked: true, userCount: 3 }), messages: [], members: [], password: 'open sesame' });

const SCENARIOS = {
  empty: (): FakeOptions => ({ rooms: [] }),
  manyRooms: (): FakeOptions => ({
    rooms: Array.from({ length: 40 }, (_, i) => ({
      room: fakeRoom(i + 1, i % 3 === 0 ? `스터디 모임 ${i + 1}` : `Room ${i + 1} with a name long enough to be cut on small screens`, {
        userCount: i % 7,
        maxUsers: i % 5 === 0 ? i % 7 || 2 : 20,
        locked: i % 4 === 1,
        kind: i % 6 === 2 ? 'video' : 'chat',
      }),
      messages: [],
      members: [],
    })),
  }),
  locked: (): FakeOptions => ({ rooms: [lockedRoom()] }),
  full: (): FakeOptions => ({
    rooms: [
      {
        room: fakeRoom(8, 'Tiny room', { maxUsers: 2, userCount: 2 }),
        messages: [],
        members: [
          { id: 'u_a', nickname: 'A' },
          { id: 'u_b', nickname: 'B' },
        ],
      },
    ],
  }),
  tenThousand: (): FakeOptions => ({ rooms: [conversation(1, 'Ten thousand', 10_000, 'en')] }),
  korean: (): FakeOptions => ({ rooms: [{ ...conversation(1, '한국어 스터디', 40, 'ko'), typing: [{ id: 'u_minsu', nickname: '민수' }] }] }),
  english: (): FakeOptions => ({ rooms: [{ ...conversation(1, 'Book club', 40, 'en'), typing: [{ id: 'u_sam', nickname: 'Sam' }] }] }),
  night: (): FakeOptions => ({ rooms: [conversation(1, 'Night owls', 40, 'en')] }),
  reconnecting: (): FakeOptions => ({
    state: 'reconnecting',
    rooms: [{ ...conversation(1, '연결 끊김', 20, 'ko'), pending: ['연결이 돌아오면 보내질 메시지', '하나 더'] }],
  }),
  offline: (): FakeOptions => ({
    state: 'reconnecting',
    rooms: [{ ...conversation(1, 'On a train', 20, 'en'), pending: ['This waits for the network'], failed: ['This one was refused (rate limited)'] }],
  }),
  phone: (): FakeOptions => ({ rooms: [conversation(1, '아주 긴 채팅방 이름이 좁은 화면에서 잘리는지 보기', 30, 'ko')] }),
  edited: (): FakeOptions => ({ rooms: [mutated(1, 'Edits and deletes', 'en')] }),
  editedKo: (): FakeOptions => ({ rooms: [mutated(1, '수정과 삭제', 'ko')] }),
  // The user (Alex, u_me) owns this room: menus on everyone's messages.
  moderator: (): FakeOptions => ({ rooms: [mutated(1, 'Moderated room', 'en', { room: fakeRoom(1, 'Moderated room', { ownerId: 'u_me', userCount: 4 }) })] }),
  kicked: (): FakeOptions => ({ rooms: [{ ...conversation(1, 'Strict room', 10, 'en'), kickAfterMs: 300 }] }),
  bannedKo: (): FakeOptions => ({
    rooms: [{ ...conversation(1, '엄격한 방', 10, 'ko'), kickAfterMs: 300, kick: { roomId: 1, reason: 'ban', until: new Date(Date.now() + 86_400_000).toISOString() } }],
  }),
  muted: (): FakeOptions => ({ rooms: [{ ...conversation(1, 'Quiet room', 10, 'en'), muted: true }] }),
  notices: (): FakeOptions => ({ rooms: [busyDoor(1, 'Busy door', 'en')] }),
  noticesKo: (): FakeOptions => ({ rooms: [busyDoor(1, '드나드는 방', 'ko')] }),
  /** Rooms exist, but not the one the page names. */
  someRooms: (): FakeOptions => ({ rooms: [conversation(1, '스터디 모임', 10, 'ko'), conversation(2, 'Book club', 10, 'en')] }),
};
type Scenario = keyof typeof SCENARIOS;

const meta: Meta<Args> = {
  title: 'Widget/chat-room',
  render,
  args: { lang: 'en', theme: 'light', width: '48rem', room: undefined, scenario: 'empty' },
  argTypes: {
    lang: { control: 'inline-radio', options: ['ko', 'en'] },
    theme: { control: 'inline-radio', options: ['light', 'dark', 'auto'] },
    width: { control: 'text' },
    room: { control: 'number' },
    scenario: { control: 'select', options: Object.keys(SCENARIOS) },
  },
};
export default meta;
type Story = StoryObj<Args>;

export const RoomListEmpty: Story = { args: { scenario: 'empty' } };

export const RoomListLong: Story = { args: { lang: 'ko', scenario: 'manyRooms' } };

export const CreateFormWithErrors: Story = {
  args: { scenario: 'empty' },
  play: async ({ canvasElement }) => {
    const root = shadow(canvasElement);
    const list = await waitFor(() => root.querySelector('chat-room-list')?.shadowRoot?.querySelector<HTMLButtonElement>('[part~="new-room-button"]'));
    list.click();
    const form = await waitFor(() => root.querySelector('chat-room-list chat-room-form, chat-room-form')?.shadowRoot?.querySelector('form'));
    const max = form.querySelector<HTMLInputElement>('#maxUsers')!;
    max.value = '1';
    max.dispatchEvent(new Event('input'));
    form.querySelector<HTMLButtonElement>('[part~="submit-button"]')!.click();
  },
};

export const LockedRoomPrompt: Story = { args: { lang: 'ko', room: 7, scenario: 'locked' } };

export const WrongPassword: Story = {
  args: { room: 7, scenario: 'locked' },
  play: async ({ canvasElement }) => {
    const root = shadow(canvasElement);
    const prompt = await waitFor(() => root.querySelector('chat-password-prompt')?.shadowRoot?.querySelector('form'));
    prompt.querySelector<HTMLInputElement>('input')!.value = 'guess';
    prompt.requestSubmit();
  },
};

export const RoomFull: Story = { args: { room: 8, scenario: 'full' } };

export const LongHistory: Story = {
  name: 'Long history (10,000 messages)',
  args: { room: 1, scenario: 'tenThousand' },
};

export const Korean: Story = { args: { lang: 'ko', room: 1, scenario: 'korean' } };

export const English: Story = { args: { lang: 'en', room: 1, scenario: 'english' } };

export const DarkTheme: Story = {
  args: { theme: 'dark', room: 1, scenario: 'night' },
  parameters: { backgrounds: { default: 'dark' } },
};

export const Reconnecting: Story = { args: { lang: 'ko', room: 1, scenario: 'reconnecting' } };

export const OfflineWithPendingMessages: Story = {
  args: { room: 1, scenario: 'offline' },
  // The browser says it is offline while this story is shown.
  beforeEach: () => {
    const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine');
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    window.dispatchEvent(new Event('offline'));
    return () => {
      delete (navigator as { onLine?: boolean }).onLine;
      if (original) window.dispatchEvent(new Event('online'));
    };
  },
};

export const Phone320: Story = {
  name: '320 px wide',
  args: { width: '320px', lang: 'ko', room: 1, scenario: 'phone' },
  parameters: { viewport: { defaultViewport: 'mobile1' } },
};

/** "(edited)" after edited messages, and a tombstone where a message was deleted. */
export const EditedAndDeleted: Story = { args: { room: 1, scenario: 'edited' } };

export const EditedAndDeletedKorean: Story = { args: { lang: 'ko', room: 1, scenario: 'editedKo' } };

/** The menu of one of your own messages: Edit, Delete. */
export const MessageMenuOwn: Story = {
  args: { room: 1, scenario: 'edited' },
  play: async ({ canvasElement }) => openMenu(canvasElement, 8),
};

/** The room's owner opens the menu of someone else's message: Delete, and Kick / Mute / Ban of the sender. */
export const MessageMenuModerator: Story = {
  args: { room: 1, scenario: 'moderator' },
  play: async ({ canvasElement }) => openMenu(canvasElement, 10),
};

/** Editing a message in place (Enter saves, Escape cancels). */
export const EditingInPlace: Story = {
  args: { room: 1, scenario: 'edited' },
  play: async ({ canvasElement }) => {
    await openMenu(canvasElement, 8);
    const list = shadow(canvasElement).querySelector('chat-message-list')!.shadowRoot!;
    list.querySelector('chat-message-menu')!.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="edit"]')!.click();
  },
};

/** A moderator removed the user: the notice, with the way back to the rooms. */
export const Kicked: Story = { args: { room: 1, scenario: 'kicked' } };

/** Banned for a day, in Korean. */
export const BannedKorean: Story = { args: { lang: 'ko', room: 1, scenario: 'bannedKo' } };

/** A send refused MUTED: the failed message, and the composer disabled with a notice. */
export const Muted: Story = {
  args: { room: 1, scenario: 'muted' },
  play: async ({ canvasElement }) => {
    const composer = await waitFor(() => shadow(canvasElement).querySelector('chat-composer')?.shadowRoot?.querySelector('textarea'));
    composer.value = 'Can anyone hear me?';
    composer.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  },
};

/** Runs of enter/leave notices, one line each: "민수 and 2 others joined", "Sam and Omar left · …". */
export const GroupedNotices: Story = { args: { room: 1, scenario: 'notices' } };

/** The same in Korean: "민수 님 외 2명이 들어왔습니다". */
export const GroupedNoticesKorean: Story = { args: { lang: 'ko', room: 1, scenario: 'noticesKo' } };

/** The page names a room that does not exist (a copied snippet, a fresh install): the way back to the list. */
export const UnknownRoom: Story = { args: { room: 404, scenario: 'someRooms' } };

export const UnknownRoomKorean: Story = { args: { lang: 'ko', room: 404, scenario: 'someRooms' } };

/** A locked room opened without a password: it needs one (not "wrong password"). */
export const NeedsPassword: Story = { args: { room: 7, scenario: 'locked' } };

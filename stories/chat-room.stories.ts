import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../widget/chat-room/chat-room.js';
import type { ChatRoom } from '../widget/chat-room/chat-room.component.js';
import { FakeChatClient, conversation, fakeRoom } from './fake-chat-client.js';
import type { FakeOptions, FakeRoom } from './fake-chat-client.js';

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

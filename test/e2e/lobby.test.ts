import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, guest, startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { makeClient } from '../helpers/sdk-client.js';
import { ensureWidgetBuilt, launchBrowser, openPage, realErrors, seriousAxeViolations, until } from '../helpers/browser.js';

let server: TestServer;
let browser: Browser;
let owner: string;

beforeAll(async () => {
  await ensureWidgetBuilt();
  server = await startTestServer();
  browser = await launchBrowser();
  owner = (await guest(server, 'owner')).token;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const createRoom = async (body: Record<string, unknown>): Promise<number> => (await api<{ id: number }>(server, 'POST', '/api/rooms', owner, body)).body.id;

describe('the room list', () => {
  it('shows live user counts and a lock mark, and asks for the password of a locked room, saying clearly when it is wrong', async () => {
    const openId = await createRoom({ name: 'Open room', maxUsers: 5 });
    const lockedId = await createRoom({ name: 'Secret room', password: 's3cret' });
    const tab = await openPage(browser, `${server.url}/embed.html?nickname=Alex&lang=en`);
    const visitor = makeClient(server.url, 'visitor');
    try {
      const p = tab.page;
      const open = p.locator(`chat-room [part~="room"][data-room-id="${openId}"]`);
      const locked = p.locator(`chat-room [part~="room"][data-room-id="${lockedId}"]`);
      await open.waitFor();
      expect(await open.locator('[part~="room-count"]').innerText()).toContain('0/5');
      expect(await open.locator('[part~="lock"]').count()).toBe(0);
      expect(await locked.locator('[part~="lock"]').count()).toBe(1);
      expect(await locked.locator('[part~="room-button"]').textContent()).toContain('Locked');

      // Someone enters the open room: the count changes without a reload.
      await visitor.connect();
      await visitor.join(openId);
      await until(async () => (await open.locator('[part~="room-count"]').innerText()).includes('1/5'), 'live count');

      await locked.locator('[part~="room-button"]').click();
      const prompt = p.locator('chat-room chat-password-prompt');
      await prompt.locator('[part~="password-heading"]').waitFor();
      expect(await prompt.locator('[part~="password-heading"]').textContent()).toContain('“Secret room” is locked');
      expect(await prompt.locator('[part~="password-error"]').count()).toBe(0);
      expect(await seriousAxeViolations(p)).toEqual([]);

      await prompt.locator('[part~="password-input"]').fill('wrong');
      await prompt.locator('[part~="password-input"]').press('Enter');
      const error = prompt.locator('[part~="password-error"]');
      await error.waitFor();
      expect(await error.textContent()).toBe('Wrong password. Try again.');
      expect(await error.getAttribute('role')).toBe('alert');
      expect(await prompt.locator('[part~="password-input"]').getAttribute('aria-invalid')).toBe('true');

      await prompt.locator('[part~="password-input"]').fill('s3cret');
      await prompt.locator('[part~="password-input"]').press('Enter');
      await p.locator('chat-room chat-composer textarea').waitFor();
      expect(await p.locator('chat-room [part~="title"]').textContent()).toBe('Secret room');
      expect(realErrors(tab.errors)).toEqual([]);
    } finally {
      await visitor.disconnect();
      await tab.context.close();
    }
  });

  it('says clearly when a room is full, and lets the user go back', async () => {
    const fullId = await createRoom({ name: 'Tiny room', maxUsers: 2 });
    const a = makeClient(server.url, 'a');
    const b = makeClient(server.url, 'b');
    const tab = await openPage(browser, `${server.url}/embed.html?nickname=${encodeURIComponent('지아')}&lang=ko`);
    try {
      await a.connect();
      await b.connect();
      await a.join(fullId);
      await b.join(fullId);
      const p = tab.page;
      const room = p.locator(`chat-room [part~="room"][data-room-id="${fullId}"]`);
      await until(async () => (await room.count()) > 0 && (await room.locator('[part~="room-full"]').count()) === 1, 'full mark');
      expect(await room.locator('[part~="room-full"]').textContent()).toBe('가득 참');
      await room.locator('[part~="room-button"]').click();
      const state = p.locator('chat-room [part~="room-full-state"]');
      await state.waitFor();
      expect(await state.locator('h2').textContent()).toBe('‘Tiny room’ 방이 가득 찼습니다');
      expect(await state.getAttribute('role')).toBe('alert');
      expect(await seriousAxeViolations(p)).toEqual([]);
      await state.getByRole('button', { name: '채팅방 목록' }).click();
      await p.locator('chat-room [part~="room-list"]').waitFor();
      expect(realErrors(tab.errors)).toEqual([]);
    } finally {
      await a.disconnect();
      await b.disconnect();
      await tab.context.close();
    }
  });

  it('checks the create-room form inline, then creates the room and enters it', async () => {
    const tab = await openPage(browser, `${server.url}/embed.html?nickname=Alex&lang=en`);
    try {
      const p = tab.page;
      await p.locator('chat-room [part~="new-room-button"]').click();
      const form = p.locator('chat-room chat-room-form');
      await form.locator('#maxUsers').fill('1');
      await form.locator('#password').fill('x'.repeat(65));
      await form.locator('[part~="submit-button"]').click();
      const errors = form.locator('[part~="field-error"]');
      await until(async () => (await errors.count()) === 3, 'three field errors');
      expect(await errors.allTextContents()).toEqual(['Enter a name.', 'Enter a whole number from 2 to 1000.', 'Use at most 64 characters.']);
      expect(await form.locator('#name').getAttribute('aria-invalid')).toBe('true');
      expect(await form.locator('#name').getAttribute('aria-describedby')).toBe('name-error');
      // Focus goes to the first invalid field.
      expect(await form.locator('#name').evaluate((el) => el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
      expect(await seriousAxeViolations(p)).toEqual([]);

      await form.locator('#name').fill('Book club');
      await form.locator('#maxUsers').fill('8');
      await form.locator('#password').fill('');
      await until(async () => (await errors.count()) === 0, 'errors cleared as the user fixes them');
      await form.locator('[part~="submit-button"]').click();
      await p.locator('chat-room chat-composer textarea').waitFor();
      expect(await p.locator('chat-room [part~="title"]').textContent()).toBe('Book club');
      const rooms = await api<{ rooms: Array<{ name: string; maxUsers: number; locked: boolean }> }>(server, 'GET', '/api/rooms');
      expect(rooms.body.rooms.find((r) => r.name === 'Book club')).toMatchObject({ maxUsers: 8, locked: false });
      expect(realErrors(tab.errors)).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });
});

describe('signing in and events', () => {
  it('asks for a nickname when the page gives none, checking it inline', async () => {
    const tab = await openPage(browser, `${server.url}/embed.html?lang=en`);
    try {
      const p = tab.page;
      const input = p.locator('chat-room #nickname');
      await input.waitFor();
      await input.fill('   ');
      await input.press('Enter');
      await p.locator('chat-room #nickname-error').waitFor();
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      await input.fill('Newcomer');
      await input.press('Enter');
      await p.locator('chat-room [part~="room-list-heading"]').waitFor();
      expect(realErrors(tab.errors)).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });

  it('signs in with a token attribute and tells the page what happens through bubbling, composed events', async () => {
    const me = await guest(server, 'Token user');
    const roomId = await createRoom({ name: 'Events' });
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Recorded at the document: the events must bubble out of the element.
    await page.addInitScript(() => {
      const log: Array<{ type: string; composed: boolean; detail: unknown }> = [];
      (window as unknown as { chatLog: typeof log }).chatLog = log;
      for (const type of ['chat-message', 'chat-joined', 'chat-left', 'chat-error', 'chat-state-changed']) {
        document.addEventListener(type, (e) => {
          const { message, ...rest } = (e as CustomEvent<Record<string, unknown>>).detail;
          const m = message as { text?: string } | undefined;
          log.push({ type, composed: e.composed, detail: m ? { ...rest, text: m.text } : rest });
        });
      }
    });
    const peer = makeClient(server.url, 'peer');
    try {
      await page.goto(`${server.url}/embed.html?token=${encodeURIComponent(me.token)}&room=${roomId}&lang=en`);
      const box = page.locator('chat-room chat-composer textarea');
      await box.waitFor();
      // Loading a page with a widget does not move the focus into it.
      expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
      await box.fill('mine');
      await box.press('Enter');
      await peer.connect();
      const h = await peer.join(roomId);
      await h.send('theirs');
      await box.fill('x'.repeat(2001));
      await box.press('Enter');
      await page.locator('chat-room [part~="message-failed"]').waitFor();
      expect(await page.locator('chat-room [part~="alert"]').textContent()).toBe('The message is too long.');
      await page.evaluate(() => (document.querySelector('chat-room') as unknown as { leave(): void }).leave());
      await page.locator('chat-room [part~="room-list"]').waitFor();

      type Entry = { type: string; composed: boolean; detail: Record<string, unknown> };
      const log = (await page.evaluate(() => (window as unknown as { chatLog: unknown[] }).chatLog)) as Entry[];
      expect(log.every((e) => e.composed)).toBe(true);
      expect(log.filter((e) => e.type === 'chat-state-changed').map((e) => e.detail)).toEqual([{ state: 'connecting', previous: 'disconnected' }, { state: 'connected', previous: 'connecting' }]);
      expect(log.filter((e) => e.type === 'chat-joined').map((e) => e.detail)).toEqual([{ roomId, room: expect.objectContaining({ id: roomId, name: 'Events' }) }]);
      const messages = log.filter((e) => e.type === 'chat-message').map((e) => e.detail);
      expect(messages).toEqual(expect.arrayContaining([{ own: true, text: 'mine' }, { own: false, text: 'theirs' }]));
      expect(log.filter((e) => e.type === 'chat-error').map((e) => e.detail)).toEqual([expect.objectContaining({ code: 'MESSAGE_TOO_LONG', roomId })]);
      expect(log.filter((e) => e.type === 'chat-left').map((e) => e.detail)).toEqual([{ roomId, reason: 'left' }]);
      expect(errors).toEqual([]);
    } finally {
      await peer.disconnect();
      await context.close();
    }
  });
});

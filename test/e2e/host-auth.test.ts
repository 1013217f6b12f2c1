import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureBuilt, ensureWidgetBuilt, launchBrowser, openPage, realErrors, until } from '../helpers/browser.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import type { Message, Room } from '../../sdk/protocol/shapes.js';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureBuilt('sdk');
  await ensureWidgetBuilt();
  // A generous leave grace: a reload must come back as the same user well within it, on any machine.
  server = await startTestServer({ env: { LEAVE_GRACE_MS: '60000' } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Sender and text of every chat message the widget on `page` shows. */
const lines = async (page: Page): Promise<string[]> =>
  page.locator('chat-message-list [part~="message"]').evaluateAll((rows) =>
    rows.map((r) => `${r.querySelector('[part~="sender"]')?.textContent ?? '(me)'}: ${r.querySelector('[part~="text"]')?.textContent ?? ''}`),
  );

async function send(page: Page, text: string): Promise<void> {
  const box = page.locator('chat-composer textarea');
  await box.fill(text);
  await box.press('Enter');
}

const sessionUsers = (): string[] => [...server.app.broker.allSessions()].map((s) => s.user?.id ?? '').filter((id) => id !== '');

describe('the host-auth demo page', () => {
  it('signs in two site users who chat under the names the site gave them', async () => {
    const grace = await openPage(browser, `${server.url}/host-auth.html`);
    const linus = await openPage(browser, `${server.url}/host-auth.html?user=demo-linus`);
    try {
      // Grace picks herself in the sign-in list; Linus's link names him.
      await grace.page.locator('#site-users button[data-user="demo-grace"]').click();
      await grace.page.locator('chat-composer textarea').waitFor();
      await linus.page.locator('chat-composer textarea').waitFor();
      expect(await grace.page.locator('#signed-in-as').textContent()).toBe('Signed in as Grace');
      expect(await grace.page.locator('chat-room [part~="title"]').textContent()).toBe('Site lounge');

      await send(grace.page, 'Hello Linus');
      await until(async () => (await lines(linus.page)).includes('Grace: Hello Linus'), 'Linus sees Grace by her site name');
      await send(linus.page, 'Hi Grace');
      await until(async () => (await lines(grace.page)).includes('Linus: Hi Grace'), 'Grace sees Linus by his site name');
      expect(new Set(sessionUsers())).toEqual(new Set(['h_demo-grace', 'h_demo-linus']));
      expect(realErrors(grace.errors)).toEqual([]);
      expect(realErrors(linus.errors)).toEqual([]);
    } finally {
      await grace.context.close();
      await linus.context.close();
    }
  });

  it('brings the site administrator into the same room, flagged admin', async () => {
    const ada = await openPage(browser, `${server.url}/host-auth.html?user=demo-ada`);
    try {
      await ada.page.locator('chat-composer textarea').waitFor();
      expect(await ada.page.locator('#signed-in-as').textContent()).toBe('Signed in as Ada (site admin) — site administrator');
      await until(async () => (await lines(ada.page)).includes('Grace: Hello Linus'), 'the admin sees the lounge history');
      expect(realErrors(ada.errors)).toEqual([]);
    } finally {
      await ada.context.close();
    }
  });
});

describe('a guest widget', () => {
  it('stays the same user across three reloads: same id, no new member, no enter or leave notices', async () => {
    const probe = await api<{ token: string }>(server, 'POST', '/api/session', undefined, { nickname: 'probe' });
    const room = (await api<Room>(server, 'POST', '/api/rooms', probe.body.token, { name: 'reloads' })).body;
    const notices = async (): Promise<Message[]> =>
      (await api<{ messages: Message[] }>(server, 'GET', `/api/rooms/${room.id}/messages`, probe.body.token)).body.messages.filter((m) => m.type !== 'text');
    const guestIn = (): string[] => sessionUsers().filter((id) => id.startsWith('u_') && id !== '');

    const visitor = await openPage(browser, `${server.url}/embed.html?nickname=Wanderer&room=${room.id}`);
    try {
      await visitor.page.locator('chat-composer textarea').waitFor();
      await until(async () => (await notices()).length === 1, 'one enter notice');
      const [entered] = await notices();
      const id = entered!.sender.id;
      expect(id).toMatch(/^u_/);
      for (let i = 0; i < 3; i++) {
        await visitor.page.reload();
        await visitor.page.locator('chat-composer textarea').waitFor();
        await until(() => guestIn().length >= 1 && guestIn().every((u) => u === id), `reload ${i + 1} reconnected as ${id}`);
        await send(visitor.page, `still me ${i + 1}`);
        await until(async () => (await lines(visitor.page)).includes(`(me): still me ${i + 1}`), `message ${i + 1} confirmed`);
      }
      const after = await notices();
      expect(after.map((m) => `${m.type} ${m.sender.id}`)).toEqual([`enter ${id}`]);
      const texts = (await api<{ messages: Message[] }>(server, 'GET', `/api/rooms/${room.id}/messages`, probe.body.token)).body.messages.filter((m) => m.type === 'text');
      expect(new Set(texts.map((m) => m.sender.id))).toEqual(new Set([id]));
      expect(realErrors(visitor.errors)).toEqual([]);
    } finally {
      await visitor.context.close();
    }
  });
});

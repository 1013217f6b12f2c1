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

/** The row of the chat message whose text is `text`, as shown on `page`; resolves with its seq. */
async function seqOf(page: Page, text: string): Promise<number> {
  const found = page.locator('chat-message-list [part~="message"]').filter({ has: page.locator('[part~="text"]', { hasText: text }) });
  await found.first().waitFor();
  return Number(await found.first().getAttribute('data-seq'));
}

/** The message row with `seq` (Playwright's CSS locators pierce the open shadow roots). */
const row = (page: Page, seq: number) => page.locator(`chat-room chat-message-list li[data-seq="${seq}"]`);

/** Every text node of the page, shadow roots included: what is left of a message anywhere in the DOM. */
const deepText = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const out: string[] = [];
    const walk = (node: Node): void => {
      if (node.nodeType === Node.TEXT_NODE) out.push(node.textContent ?? '');
      if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
      for (const child of node.childNodes) walk(child);
    };
    walk(document.body);
    return out.join('\n');
  });

/** Opens the menu of message `seq` on `page` and picks `action` (`edit`, `delete`, …). */
async function chooseFromMenu(page: Page, seq: number, action: string): Promise<void> {
  await row(page, seq).locator('[part~="message-menu-button"]').click();
  const menu = row(page, seq).locator('[role="menu"]');
  await menu.waitFor();
  await menu.locator(`[data-action="${action}"]`).click();
}

describe('editing and moderation on the host-auth demo page', () => {
  it('the site admin deletes a user\'s message from its menu: a tombstone in every pane, the text gone from every DOM; an edit shows "edited" elsewhere', async () => {
    const grace = await openPage(browser, `${server.url}/host-auth.html?user=demo-grace`);
    const linus = await openPage(browser, `${server.url}/host-auth.html?user=demo-linus`);
    const ada = await openPage(browser, `${server.url}/host-auth.html?user=demo-ada`);
    const panes = [grace, linus, ada];
    try {
      for (const p of panes) await p.page.locator('chat-composer textarea').waitFor();
      // Linus's page is in Korean (the widget follows the document's lang): the tombstone and the mark are translated there.
      await linus.page.evaluate(() => (document.documentElement.lang = 'ko'));
      await send(grace.page, 'Grace drafts a typo');
      await send(linus.page, 'Linus posts something to remove');
      for (const p of panes) {
        await until(async () => (await lines(p.page)).some((l) => l.endsWith('Linus posts something to remove')), 'every pane has both messages');
        await seqOf(p.page, 'Grace drafts a typo');
      }
      const doomed = await seqOf(ada.page, 'Linus posts something to remove');
      const typo = await seqOf(grace.page, 'Grace drafts a typo');

      // A plain member has no menu on someone else's message; the admin has one.
      expect(await row(grace.page, doomed).locator('[part~="message-menu-button"]').count()).toBe(0);
      await chooseFromMenu(ada.page, doomed, 'delete');
      const tombstone = new Map([
        [grace, 'This message was deleted'],
        [linus, '삭제된 메시지입니다'],
        [ada, 'This message was deleted'],
      ]);
      for (const [p, text] of tombstone) {
        await until(async () => (await row(p.page, doomed).locator('[part~="tombstone"]').count()) === 1, 'the tombstone in every pane');
        expect(await row(p.page, doomed).locator('[part~="tombstone"]').textContent()).toBe(text);
        await until(async () => !(await deepText(p.page)).includes('Linus posts something to remove'), 'the deleted text gone from the DOM');
      }

      await chooseFromMenu(grace.page, typo, 'edit');
      const input = row(grace.page, typo).locator('[part~="edit-input"]');
      await input.waitFor();
      expect(await input.inputValue()).toBe('Grace drafts a typo');
      await input.fill('Grace fixed the typo');
      await input.press('Enter');
      const marks = new Map([
        [linus, '(수정됨)'],
        [ada, '(edited)'],
        [grace, '(edited)'],
      ]);
      for (const [p, mark] of marks) {
        await until(async () => (await row(p.page, typo).locator('[part~="edited"]').count()) === 1, 'the edited mark in every pane');
        expect(await row(p.page, typo).locator('[part~="text"]').first().textContent()).toBe('Grace fixed the typo');
        expect(await row(p.page, typo).locator('[part~="edited"]').textContent()).toBe(mark);
      }
      for (const p of panes) expect(realErrors(p.errors)).toEqual([]);
    } finally {
      for (const p of panes) await p.context.close();
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

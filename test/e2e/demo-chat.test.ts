import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { ensureWidgetBuilt, launchBrowser, openPage, realErrors, screenshotStats, until } from '../helpers/browser.js';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureWidgetBuilt();
  server = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const texts = (page: Page, pane: string): Promise<string[]> =>
  page.locator(`${pane} chat-message-list [part~="message"] [part~="text"]`).allTextContents();

async function send(page: Page, pane: string, text: string): Promise<void> {
  const box = page.locator(`${pane} chat-composer textarea`);
  await box.fill(text);
  await box.press('Enter');
}

describe('the demo page', () => {
  it('lets two people in two browsers chat both ways in one room, and a reload keeps the history', async () => {
    const a = await openPage(browser, `${server.url}/`);
    const b = await openPage(browser, `${server.url}/`);
    try {
      // 민수 (browser A, left pane) creates a room with the form.
      await a.page.locator('#pane-a [part~="new-room-button"]').click();
      await a.page.locator('#pane-a chat-room-form #name').fill('스터디 모임');
      await a.page.locator('#pane-a chat-room-form [part~="submit-button"]').click();
      await a.page.locator('#pane-a chat-composer textarea').waitFor();
      expect(await a.page.locator('#pane-a [part~="title"]').textContent()).toBe('스터디 모임');

      // Alex (browser B, right pane) sees it in the live list, with 민수 counted, and joins.
      const listed = b.page.locator('#pane-b [part~="room-button"]', { hasText: '스터디 모임' });
      await listed.waitFor();
      await until(async () => (await listed.locator('[part~="room-count"]').textContent())?.includes('1/10') ?? false, 'live user count 1/10');
      await listed.click();
      await b.page.locator('#pane-b chat-composer textarea').waitFor();

      await send(a.page, '#pane-a', '안녕하세요, Alex!');
      await until(async () => (await texts(b.page, '#pane-b')).includes('안녕하세요, Alex!'), 'B receives A');
      await send(b.page, '#pane-b', 'Hi 민수 👋');
      await until(async () => (await texts(a.page, '#pane-a')).includes('Hi 민수 👋'), 'A receives B');

      // Sides: own messages on one side, others' on the other; notices for entering.
      expect(await a.page.locator('#pane-a [part~="message-own"] [part~="text"]').allTextContents()).toEqual(['안녕하세요, Alex!']);
      expect(await a.page.locator('#pane-a [part~="message-other"] [part~="text"]').allTextContents()).toEqual(['Hi 민수 👋']);
      // The two enter notices follow each other: one grouped line.
      expect(await b.page.locator('#pane-b [part~="notice"]').allTextContents()).toEqual([expect.stringContaining('민수 and Alex joined')]);

      // A reload brings the left pane back into the room with the whole conversation.
      await a.page.reload();
      await until(async () => {
        const t = await texts(a.page, '#pane-a');
        return t.includes('안녕하세요, Alex!') && t.includes('Hi 민수 👋');
      }, 'history after reload');
      expect(realErrors(a.errors)).toEqual([]);
      expect(realErrors(b.errors)).toEqual([]);
      // openPage reports CSP violations among the errors; make sure a strict policy was in force.
      const policy = (await a.page.request.get(`${server.url}/`)).headers()['content-security-policy'] ?? '';
      expect(policy).toContain("script-src 'self'");
      expect(policy).not.toContain('unsafe-inline');
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });

  it('shows two panes side by side and the embed snippet, and renders a non-blank screenshot', async () => {
    const a = await openPage(browser, `${server.url}/`);
    try {
      await a.page.locator('#pane-a [part~="room-list-heading"]').waitFor();
      await a.page.locator('#pane-b [part~="room-list-heading"]').waitFor();
      const boxA = await a.page.locator('#pane-a').boundingBox();
      const boxB = await a.page.locator('#pane-b').boundingBox();
      expect(boxA && boxB && Math.abs(boxA.y - boxB.y) < 2 && boxB.x > boxA.x + boxA.width - 1).toBe(true);
      const snippet = await a.page.locator('#snippet').textContent();
      expect(snippet).toContain(`<script type="module" src="${server.url}/widget/chat-room.js"></script>`);
      expect(snippet).toMatch(/<chat-room [^>]*nickname="민수"/);
      const png = await a.page.screenshot({ fullPage: true });
      const stats = await screenshotStats(a.page, png);
      expect(stats.colours).toBeGreaterThan(30);
      expect(stats.foreground).toBeGreaterThan(0.05);
      expect(realErrors(a.errors)).toEqual([]);
    } finally {
      await a.context.close();
    }
  });
});

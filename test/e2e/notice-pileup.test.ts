import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { ensureWidgetBuilt, launchBrowser, openPage, realErrors, until } from '../helpers/browser.js';

// Issue 13: every visit or reload added 2–4 grey "joined"/"left" pills. A reload is the same guest
// (the widget keeps its token per server and nickname) back within the leave grace, so the server
// sends neither notice; what notices there are draw as one line per run.
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureWidgetBuilt();
  // A grace long enough that a reload on a loaded 2-core machine still falls inside it.
  server = await startTestServer({ env: { LEAVE_GRACE_MS: '30000' } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface NoticeRow {
  readonly text: string;
  readonly count: number;
}

const notices = (page: Page, pane: string): Promise<NoticeRow[]> =>
  page.locator(`${pane} chat-message-list [part~="notice"]`).evaluateAll((rows) =>
    rows.map((r) => ({ text: r.textContent ?? '', count: Number((r as HTMLElement).dataset['count']) })),
  );

const texts = (page: Page, pane: string): Promise<string[]> =>
  page.locator(`${pane} chat-message-list [part~="message"] [part~="text"]`).allTextContents();

async function send(page: Page, pane: string, text: string): Promise<void> {
  const box = page.locator(`${pane} chat-composer textarea`);
  await box.fill(text);
  await box.press('Enter');
}

describe('join/leave notices', () => {
  it('a guest who reloads the page three times adds no notice rows in the other pane', async () => {
    const a = await openPage(browser, `${server.url}/`);
    const b = await openPage(browser, `${server.url}/`);
    try {
      await a.page.locator('#pane-a [part~="new-room-button"]').click();
      await a.page.locator('#pane-a chat-room-form #name').fill('새로고침 테스트');
      await a.page.locator('#pane-a chat-room-form [part~="submit-button"]').click();
      await a.page.locator('#pane-a chat-composer textarea').waitFor();
      await b.page.locator('#pane-b [part~="room-button"]', { hasText: '새로고침 테스트' }).click();
      await b.page.locator('#pane-b chat-composer textarea').waitFor();
      await send(a.page, '#pane-a', 'before');
      await until(async () => (await texts(b.page, '#pane-b')).includes('before'), 'B to see the first message');

      // 민수 and Alex entered one after the other: one grouped line standing for two notices.
      const before = await notices(b.page, '#pane-b');
      expect(before).toEqual([{ text: expect.stringContaining('민수 and Alex joined') as unknown as string, count: 2 }]);

      for (let i = 1; i <= 3; i++) {
        await a.page.reload();
        await a.page.locator('#pane-a chat-composer textarea').waitFor();
        await until(async () => (await texts(a.page, '#pane-a')).includes('before'), `history after reload ${i}`);
      }
      // A message sent after the last reload comes after any notice the reloads caused (one
      // ordered stream), so once B has it, B has everything the reloads produced.
      await send(a.page, '#pane-a', 'after three reloads');
      await until(async () => (await texts(b.page, '#pane-b')).includes('after three reloads'), 'B to see the last message');

      expect(await notices(b.page, '#pane-b')).toEqual(before);
      expect(await b.page.locator('#pane-b chat-message-list li').count()).toBe(1 /* day */ + 1 /* notices */ + 2 /* messages */);
      expect(realErrors(a.errors)).toEqual([]);
      expect(realErrors(b.errors)).toEqual([]);
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });
});

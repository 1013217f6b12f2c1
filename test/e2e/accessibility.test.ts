import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, guest, startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { makeClient } from '../helpers/sdk-client.js';
import { seedMessages } from '../helpers/seed.js';
import { ensureWidgetBuilt, launchBrowser, openPage, realErrors, seriousAxeViolations, until } from '../helpers/browser.js';

let server: TestServer;
let browser: Browser;
let roomId: number;

beforeAll(async () => {
  await ensureWidgetBuilt();
  server = await startTestServer();
  browser = await launchBrowser();
  const owner = (await guest(server, 'owner')).token;
  const create = async (body: Record<string, unknown>): Promise<number> => (await api<{ id: number }>(server, 'POST', '/api/rooms', owner, body)).body.id;
  roomId = await create({ name: '한국어 스터디 — a rather long room name that has to wrap or be cut on a phone' });
  await create({ name: 'Locked', password: 'pw' });
  await create({ name: 'Video call', kind: 'video', maxUsers: 2 });
  await seedMessages(server, roomId, 60, {
    senders: ['민수', 'Alexander-the-very-long-nickname', '지아'],
    text: (seq) =>
      seq % 10 === 0
        ? `A long line without spaces: ${'가나다라마바사'.repeat(12)} and a link https://example.com/${'path/'.repeat(20)}`
        : `메시지 ${seq} — message ${seq}`,
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const widget = (params: string) => `${server.url}/embed.html?${params}`;

async function joinSeededRoom(p: Page): Promise<void> {
  await p.locator(`chat-room [part~="room"][data-room-id="${roomId}"] [part~="room-button"]`).click();
  await p.locator('chat-room chat-composer textarea').waitFor();
  await p.locator('chat-room chat-message-list [data-seq]').first().waitFor();
}

/** The widget's base background colour as [r, g, b]. */
async function baseBackground(p: Page): Promise<number[]> {
  const bg = await p.locator('chat-room [part~="base"]').evaluate((el) => getComputedStyle(el).backgroundColor);
  return (bg.match(/\d+/g) ?? []).slice(0, 3).map(Number);
}
const luminance = ([r, g, b]: number[]): number => (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;

describe('accessibility', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`has no serious or critical axe violations in the room list and in a room (${theme})`, async () => {
      const tab = await openPage(browser, widget(`nickname=Alex&lang=en&theme=${theme}`));
      const peer = makeClient(server.url, '민수');
      try {
        const p = tab.page;
        await p.locator(`chat-room [part~="room"][data-room-id="${roomId}"]`).waitFor();
        expect(await seriousAxeViolations(p)).toEqual([]);
        await p.locator('chat-room [part~="new-room-button"]').click();
        await p.locator('chat-room chat-room-form [part~="submit-button"]').click();
        await p.locator('chat-room chat-room-form [part~="field-error"]').first().waitFor();
        expect(await seriousAxeViolations(p)).toEqual([]);
        await p.locator('chat-room chat-room-form [part~="cancel-button"]').click();

        await joinSeededRoom(p);
        await peer.connect();
        const h = await peer.join(roomId);
        h.setTyping(true);
        await p.locator('chat-room [part~="typing"]', { hasText: '민수 is typing' }).waitFor();
        // Wide: the people panel is open by default; the button closes and reopens it.
        const members = p.locator('chat-room [part~="members-button"]');
        expect(await members.getAttribute('aria-expanded')).toBe('true');
        await members.click();
        expect(await members.getAttribute('aria-expanded')).toBe('false');
        expect(await p.locator('chat-room chat-member-list').isHidden()).toBe(true);
        await members.click();
        await p.locator('chat-room chat-member-list [part~="member"]', { hasText: '민수' }).first().waitFor();
        expect(await seriousAxeViolations(p)).toEqual([]);
        expect(realErrors(tab.errors)).toEqual([]);
      } finally {
        await peer.disconnect();
        await tab.context.close();
      }
    });
  }

  it('works by keyboard alone, with a visible focus ring', async () => {
    const tab = await openPage(browser, widget('nickname=Keyboard&lang=en'));
    try {
      const p = tab.page;
      await p.locator(`chat-room [part~="room"][data-room-id="${roomId}"]`).waitFor();
      const focused = () =>
        p.evaluate(() => {
          let a: Element | null = document.activeElement;
          while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
          if (!a) return { part: '', outline: '' };
          const style = getComputedStyle(a);
          return { part: a.getAttribute('part') ?? a.tagName, text: a.textContent ?? '', outline: `${style.outlineStyle} ${style.outlineWidth}` };
        });
      // Tab to the seeded room's button and open it with Enter.
      let reached = false;
      for (let i = 0; i < 12 && !reached; i++) {
        await p.keyboard.press('Tab');
        const f = await focused();
        if (f.part === 'room-button') expect(f.outline).not.toMatch(/^none|0px/);
        reached = f.part === 'room-button' && (f.text ?? '').includes('한국어 스터디');
      }
      expect(reached).toBe(true);
      await p.keyboard.press('Enter');
      await p.locator('chat-room chat-composer textarea').waitFor();
      // The composer has focus after joining: type and send.
      await until(async () => (await focused()).part === 'input', 'composer focused');
      await p.keyboard.type('typed with the keyboard');
      await p.keyboard.press('Enter');
      await p.locator('chat-room [part~="message-own"] [part~="text"]', { hasText: 'typed with the keyboard' }).waitFor();
      // The message log can be reached and scrolled by keyboard.
      // Shift+Tab goes back through the links in the messages to the log itself.
      for (let i = 0; i < 40 && (await focused()).part !== 'scroller'; i++) await p.keyboard.press('Shift+Tab');
      const f = await focused();
      expect(f.part).toBe('scroller');
      expect(f.outline).not.toMatch(/^none|0px/);
      const before = await p.locator('chat-room [part~="scroller"]').evaluate((el) => el.scrollTop);
      await p.keyboard.press('PageUp');
      await until(async () => (await p.locator('chat-room [part~="scroller"]').evaluate((el) => el.scrollTop)) < before, 'keyboard scroll');
      expect(realErrors(tab.errors)).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });
});

describe('languages', () => {
  it('speaks Korean or English from its lang attribute, else the page language, and switches live', async () => {
    const ko = await openPage(browser, widget('nickname=a&lang=ko'));
    const en = await openPage(browser, widget('nickname=b&lang=en'));
    const page = await openPage(browser, widget('nickname=c&page-lang=ko-KR'));
    try {
      const heading = (p: Page) => p.locator('chat-room [part~="room-list-heading"]');
      await heading(ko.page).waitFor();
      await heading(en.page).waitFor();
      await heading(page.page).waitFor();
      expect(await heading(ko.page).textContent()).toBe('채팅방');
      expect(await heading(en.page).textContent()).toBe('Rooms');
      expect(await heading(page.page).textContent()).toBe('채팅방');
      expect(await ko.page.locator('chat-room [part~="new-room-button"]').textContent()).toContain('새 채팅방');
      await page.page.evaluate(() => document.querySelector('chat-room')!.setAttribute('lang', 'en'));
      await until(async () => (await heading(page.page).textContent()) === 'Rooms', 'switch to English');
      await page.page.evaluate(() => {
        document.querySelector('chat-room')!.removeAttribute('lang');
        document.documentElement.lang = 'ko';
      });
      await until(async () => (await heading(page.page).textContent()) === '채팅방', 'back to the page language');
      // Times follow the language too.
      await joinSeededRoom(ko.page);
      expect(await ko.page.locator('chat-room [part~="time"]').first().textContent()).toMatch(/오전|오후/);
    } finally {
      for (const t of [ko, en, page]) await t.context.close();
    }
  });
});

describe('theming and layout', () => {
  it('follows the colour scheme unless the theme attribute says otherwise', async () => {
    const autoDark = await openPage(browser, widget('nickname=a'), { colorScheme: 'dark' });
    const forcedLight = await openPage(browser, widget('nickname=b&theme=light'), { colorScheme: 'dark' });
    const forcedDark = await openPage(browser, widget('nickname=c&theme=dark'), { colorScheme: 'light' });
    const autoLight = await openPage(browser, widget('nickname=d'), { colorScheme: 'light' });
    try {
      for (const t of [autoDark, forcedLight, forcedDark, autoLight]) await t.page.locator('chat-room [part~="base"]').waitFor();
      expect(luminance(await baseBackground(autoDark.page))).toBeLessThan(0.2);
      expect(luminance(await baseBackground(forcedDark.page))).toBeLessThan(0.2);
      expect(luminance(await baseBackground(forcedLight.page))).toBeGreaterThan(0.9);
      expect(luminance(await baseBackground(autoLight.page))).toBeGreaterThan(0.9);
      // A page can restyle through custom properties and parts.
      // (A constructed stylesheet: the page's strict CSP refuses an inline <style>, as a host page's might.)
      await autoLight.page.evaluate((css) => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      }, 'chat-room { --chat-accent: rgb(200, 0, 100); } chat-room::part(new-room-button) { border-radius: 0px; }');
      const button = autoLight.page.locator('chat-room [part~="new-room-button"]');
      expect(await button.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(200, 0, 100)');
      expect(await button.evaluate((el) => getComputedStyle(el).borderTopLeftRadius)).toBe('0px');
    } finally {
      for (const t of [autoDark, forcedLight, forcedDark, autoLight]) await t.context.close();
    }
  });

  it('fits a 320 px wide phone: no horizontal overflow in the list, the form or a room', async () => {
    const tab = await openPage(browser, widget('nickname=Alexander-the-very-long-nickname&lang=en'), { width: 320, height: 640 });
    try {
      const p = tab.page;
      const overflow = () =>
        p.evaluate(() => {
          const width = document.documentElement.clientWidth;
          const out: string[] = [];
          if (document.documentElement.scrollWidth > width) out.push(`page scrollWidth ${document.documentElement.scrollWidth}`);
          const walk = (root: Document | ShadowRoot): void => {
            for (const el of root.querySelectorAll<HTMLElement>('*')) {
              if (el.shadowRoot) walk(el.shadowRoot);
              if (el.classList.contains('sr-only') || el.closest('.sr-only')) continue;
              const r = el.getBoundingClientRect();
              if (r.width > 0 && (r.right > width + 0.5 || r.left < -0.5)) out.push(`${el.tagName}.${el.className} ${Math.round(r.left)}–${Math.round(r.right)}`);
              if (el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.clientWidth > 0) out.push(`${el.tagName}.${el.className} scrolls sideways`);
            }
          };
          walk(document);
          return out;
        });
      await p.locator(`chat-room [part~="room"][data-room-id="${roomId}"]`).waitFor();
      expect(await overflow()).toEqual([]);
      await p.locator('chat-room [part~="new-room-button"]').click();
      await p.locator('chat-room chat-room-form [part~="submit-button"]').click();
      await p.locator('chat-room chat-room-form [part~="field-error"]').first().waitFor();
      expect(await overflow()).toEqual([]);
      await p.locator('chat-room chat-room-form [part~="cancel-button"]').click();
      await joinSeededRoom(p);
      await p.locator('chat-room chat-composer textarea').fill('Hello from a small screen');
      await p.keyboard.press('Enter');
      await p.locator('chat-room [part~="message-own"]').first().waitFor();
      expect(await overflow()).toEqual([]);
      // Narrow: the people panel starts closed and opens over the messages.
      expect(await p.locator('chat-room [part~="members-button"]').getAttribute('aria-expanded')).toBe('false');
      await p.locator('chat-room [part~="members-button"]').click();
      await p.locator('chat-room chat-member-list [part~="member"]').first().waitFor();
      expect(await overflow()).toEqual([]);
      expect(await seriousAxeViolations(p)).toEqual([]);
      expect(realErrors(tab.errors)).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });
});

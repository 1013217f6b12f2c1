import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { serveStorybook, type ServedStorybook } from '../helpers/storybook.js';
import { launchBrowser } from '../helpers/browser.js';

let outDir: string;
let base: string;
let browser: Browser;
let storybook: ServedStorybook;

beforeAll(async () => {
  storybook = await serveStorybook('storybook');
  outDir = storybook.outDir;
  base = storybook.base;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await storybook?.stop();
});

// Each state the issue lists, and text the widget shows in it (read through its shadow roots).
const EXPECTED: Record<string, string> = {
  'room-list-empty': 'No rooms yet. Create the first one.',
  'room-list-long': '스터디 모임 40',
  'create-form-with-errors': 'Enter a name.',
  'locked-room-prompt': '‘비밀 스터디’ 방은 잠겨 있습니다',
  'wrong-password': 'Wrong password. Try again.',
  'room-full': '“Tiny room” is full',
  'long-history': '(#10000)',
  korean: '민수 님이 입력 중…',
  english: 'Sam is typing…',
  'dark-theme': 'Night owls',
  reconnecting: '연결이 끊겼습니다. 다시 연결하는 중…',
  'offline-with-pending-messages': 'You are offline.',
  'phone-320': '대화의 시작입니다.',
  'grouped-notices': '민수 and 2 others joined',
  'grouped-notices-korean': '민수 님 외 2명이 들어왔습니다',
  'unknown-room': 'This room does not exist.',
  'unknown-room-korean': '존재하지 않는 채팅방입니다.',
  'needs-password': 'This room needs a password.',
};

describe('Storybook', () => {
  it('builds offline and every state story renders on the fake client, without errors', async () => {
    const index = JSON.parse(await readFile(join(outDir, 'index.json'), 'utf8')) as { entries: Record<string, { id: string }> };
    const ids = Object.keys(index.entries).filter((id) => id.startsWith('widget-chat-room--'));
    expect(ids.map((id) => id.replace('widget-chat-room--', ''))).toEqual(expect.arrayContaining(Object.keys(EXPECTED)));
    const page = await browser.newPage();
    const errors: string[] = [];
    const warnings: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text());
    });
    try {
      for (const [id, text] of Object.entries(EXPECTED)) {
        await page.goto(`${base}/iframe.html?id=widget-chat-room--${id}&viewMode=story`);
        await page.waitForFunction(
          (want) => {
            const texts: string[] = [];
            const walk = (root: Document | ShadowRoot): void => {
              for (const el of root.querySelectorAll('*')) {
                if (el.shadowRoot) {
                  texts.push(el.shadowRoot.textContent ?? '');
                  walk(el.shadowRoot);
                }
              }
            };
            walk(document);
            return texts.some((t) => t.includes(want));
          },
          text,
          { timeout: 10_000 },
        );
      }
      if (errors.length > 0) throw new Error(errors.join('\n'));
      // Issue 13: one copy of Lit, in production mode (the dev build warns and is slower).
      expect(warnings.filter((w) => /Lit is in dev mode|Multiple versions of Lit/i.test(w))).toEqual([]);
      // The dark story is dark.
      await page.goto(`${base}/iframe.html?id=widget-chat-room--dark-theme&viewMode=story`);
      const bg = await page.locator('chat-room [part~="base"]').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(bg).toBe('rgb(21, 24, 28)');
    } finally {
      await page.close();
    }
    // One page visit per state story (more than twenty now): on a loaded 2-core machine that is more than the default 30 s.
  }, 120_000);
});

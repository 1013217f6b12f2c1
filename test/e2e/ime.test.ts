import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { api, guest, startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { ensureWidgetBuilt, launchBrowser, openPage, realErrors, until } from '../helpers/browser.js';
import type { TrackedPage } from '../helpers/browser.js';
import type { HistoryPage } from '../../sdk/types.js';

let server: TestServer;
let browser: Browser;
let token: string;

beforeAll(async () => {
  await ensureWidgetBuilt();
  server = await startTestServer();
  browser = await launchBrowser();
  token = (await guest(server, 'reader')).token;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The text messages stored in a room, as the server has them. */
async function stored(roomId: number): Promise<string[]> {
  const res = await api<HistoryPage>(server, 'GET', `/api/rooms/${roomId}/messages?limit=200`, token);
  return res.body.messages.filter((m) => m.type === 'text').map((m) => m.text);
}

let roomId: number;
let tab: TrackedPage;
let cdp: CDPSession;
const box = (page: Page) => page.locator('chat-room chat-composer textarea');

beforeEach(async (ctx) => {
  const room = await api<{ id: number }>(server, 'POST', '/api/rooms', token, { name: `ime ${ctx.task.name.slice(0, 40)}` });
  roomId = room.body.id;
  tab = await openPage(browser, `${server.url}/embed.html?room=${roomId}&nickname=${encodeURIComponent('민수')}&lang=ko`);
  await box(tab.page).waitFor();
  await box(tab.page).focus();
  cdp = await tab.context.newCDPSession(tab.page);
  return async () => {
    expect(realErrors(tab.errors)).toEqual([]);
    await tab.context.close();
  };
});

/** Composes `text` the way a Korean IME shows it: each prefix as the composition string. */
async function compose(text: string): Promise<void> {
  const chars = [...text];
  for (let i = 1; i <= chars.length; i++) {
    const part = chars.slice(0, i).join('');
    await cdp.send('Input.imeSetComposition', { text: part, selectionStart: part.length, selectionEnd: part.length });
  }
}

/** An Enter keydown as the IME reports it (keyCode 229) or as a plain key (13). */
async function enter(keyCode: 13 | 229): Promise<void> {
  await cdp.send('Input.dispatchKeyEvent', {
    type: keyCode === 13 ? 'keyDown' : 'rawKeyDown',
    key: 'Enter',
    code: 'Enter',
    windowsVirtualKeyCode: keyCode,
    nativeVirtualKeyCode: keyCode,
    ...(keyCode === 13 ? { text: '\r', unmodifiedText: '\r' } : {}),
  });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: keyCode });
}

/** Waits until the server has `expected`, then a little longer to catch a late duplicate. */
async function expectStored(expected: string[]): Promise<void> {
  await until(async () => (await stored(roomId)).length >= expected.length, `stored ${JSON.stringify(expected)}`);
  await new Promise((r) => setTimeout(r, 400));
  expect(await stored(roomId)).toEqual(expected);
}

describe('IME-safe composer', () => {
  it('does not send on Enter inside a composition (Chrome: keyCode 229, isComposing) and sends the whole text once on the next Enter', async () => {
    await compose('안녕하세요');
    await enter(229); // mid-composition: belongs to the IME
    await cdp.send('Input.insertText', { text: '안녕하세요' }); // the IME commits
    await enter(13); // right after: the user's Enter
    await expectStored(['안녕하세요']);
    expect(await box(tab.page).inputValue()).toBe('');
  });

  it('does not send on an Enter that reports keyCode 13 while composing (isComposing true), and never sends a half syllable', async () => {
    await compose('안녕하세');
    await enter(13); // isComposing is true here: the composition, not the message, takes it
    expect(await stored(roomId)).toEqual([]);
    await compose('안녕하세요');
    await cdp.send('Input.insertText', { text: '안녕하세요' });
    await enter(13);
    await expectStored(['안녕하세요']);
    expect(await box(tab.page).inputValue()).toBe('');
  });

  it('ignores the commit Enter that arrives after compositionend with keyCode 229 (Safari), then sends once', async () => {
    await compose('こんにちは');
    await cdp.send('Input.insertText', { text: 'こんにちは' });
    await enter(229); // Safari's order: compositionend, then keydown 229 with isComposing false
    await new Promise((r) => setTimeout(r, 300));
    expect(await stored(roomId)).toEqual([]);
    await enter(13);
    await expectStored(['こんにちは']);
  });

  it('keeps the last syllable when the send button is pressed mid-composition', async () => {
    await compose('반갑습니다');
    await tab.page.locator('chat-room chat-composer [part~="send-button"]').click();
    await expectStored(['반갑습니다']);
    expect(await box(tab.page).inputValue()).toBe('');
  });

  it('sends with Enter and breaks lines with Shift+Enter', async () => {
    await box(tab.page).pressSequentially('첫 줄');
    await tab.page.keyboard.press('Shift+Enter');
    await box(tab.page).pressSequentially('둘째 줄');
    await tab.page.keyboard.press('Enter');
    await expectStored(['첫 줄\n둘째 줄']);
  });

  it('drives the guard with dispatched composition events and keydowns too', async () => {
    await tab.page.locator('chat-room chat-composer textarea').evaluate((el: HTMLTextAreaElement) => {
      const key = (init: KeyboardEventInit & { keyCode: number }): KeyboardEvent => {
        const e = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, composed: true, ...init });
        Object.defineProperty(e, 'keyCode', { value: init.keyCode });
        return e;
      };
      el.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, data: '' }));
      el.value = '감사합니';
      el.dispatchEvent(key({ keyCode: 13 })); // inside the composition, no other signal: must not send
      el.value = '감사합니다';
      el.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: '감사합니다' }));
      el.dispatchEvent(key({ keyCode: 229, isComposing: false })); // Safari commit Enter
      el.dispatchEvent(key({ keyCode: 13 })); // the real Enter
    });
    await expectStored(['감사합니다']);
  });
});

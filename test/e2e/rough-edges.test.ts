import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, guest, startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { ensureWidgetBuilt, launchBrowser, openPage, realErrors, seriousAxeViolations, until } from '../helpers/browser.js';

// The rough edges a new user hit in issue 13 that are not about notices or the call panel.
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

describe('an unknown room', () => {
  for (const [lang, text, hint, back, heading] of [
    ['en', 'This room does not exist.', 'Pick a room from the list', 'Back to rooms', 'Rooms'],
    ['ko', '존재하지 않는 채팅방입니다.', '목록에서 방을 골라 주세요', '채팅방 목록', '채팅방'],
  ] as const) {
    it(`fixed by the page (room="999999") says so in ${lang} and leads back to the room list`, async () => {
      const a = await openPage(browser, `${server.url}/embed.html?room=999999&nickname=Tester&lang=${lang}`);
      try {
        const panel = a.page.locator('chat-room [part~="room-missing-state"]');
        await panel.waitFor();
        expect(await panel.locator('[part~="heading"]').textContent()).toBe(text);
        expect(await panel.locator('[part~="status-text"]').textContent()).toContain(hint);
        const button = panel.locator('[part~="back-to-rooms-button"]');
        expect(await button.textContent()).toBe(back);
        expect(await seriousAxeViolations(a.page)).toEqual([]);
        await button.click();
        const list = a.page.locator('chat-room [part~="room-list-heading"]');
        await list.waitFor();
        expect(await list.textContent()).toBe(heading);
        expect(await a.page.locator('chat-room').getAttribute('room')).toBeNull();
        // The one error is the browser's log line for the room's 404, which is the point here.
        expect(realErrors(a.errors).filter((e) => !e.includes('404 (Not Found)'))).toEqual([]);
      } finally {
        await a.context.close();
      }
    });
  }
});

describe('a locked room opened without a password', () => {
  for (const [lang, needs, wrong] of [
    ['en', 'This room needs a password.', 'Wrong password. Try again.'],
    ['ko', '비밀번호가 필요한 방입니다.', '비밀번호가 틀렸습니다. 다시 입력하세요.'],
  ] as const) {
    it(`says the room needs a password (${lang}), and "wrong" only after a wrong one`, async () => {
      const owner = (await guest(server, 'owner')).token;
      const id = (await api<{ id: number }>(server, 'POST', '/api/rooms', owner, { name: `잠긴 방 ${lang}`, kind: 'chat', maxUsers: 10, password: 'right one' })).body.id;
      const a = await openPage(browser, `${server.url}/embed.html?room=${id}&nickname=Visitor&lang=${lang}`);
      try {
        const prompt = a.page.locator('chat-room chat-password-prompt');
        const hint = prompt.locator('[part~="password-hint"]');
        await hint.waitFor();
        expect(await hint.textContent()).toBe(needs);
        expect(await prompt.locator('[part~="password-error"]').count()).toBe(0);
        expect(await prompt.locator('[part~="password-input"]').getAttribute('aria-describedby')).toBe('pw-hint');
        expect(await seriousAxeViolations(a.page)).toEqual([]);
        await prompt.locator('[part~="password-input"]').fill('a guess');
        await prompt.locator('[part~="submit-button"]').click();
        const error = prompt.locator('[part~="password-error"]');
        await error.waitFor();
        expect(await error.textContent()).toBe(wrong);
        expect(await hint.count()).toBe(0);
        await prompt.locator('[part~="password-input"]').fill('right one');
        await prompt.locator('[part~="submit-button"]').click();
        await a.page.locator('chat-room chat-composer textarea').waitFor();
      } finally {
        await a.context.close();
      }
    });
  }
});

describe('the demo page', () => {
  it('embed snippet names no room until the left pane is in one, then that room (which exists)', async () => {
    const a = await openPage(browser, `${server.url}/`);
    try {
      await a.page.locator('#pane-a [part~="room-list-heading"]').waitFor();
      expect(await a.page.locator('#snippet').textContent()).not.toContain('room=');
      await a.page.locator('#pane-a [part~="new-room-button"]').click();
      await a.page.locator('#pane-a chat-room-form #name').fill('스니펫 방');
      await a.page.locator('#pane-a chat-room-form [part~="submit-button"]').click();
      await a.page.locator('#pane-a chat-composer textarea').waitFor();
      await until(async () => /room="\d+"/.test((await a.page.locator('#snippet').textContent()) ?? ''), 'the snippet to name the room');
      const id = Number(/room="(\d+)"/.exec((await a.page.locator('#snippet').textContent()) ?? '')![1]);
      const token = (await guest(server, 'checker')).token;
      const room = await api<{ name: string }>(server, 'GET', `/api/rooms/${id}`, token);
      expect(room.status).toBe(200);
      expect(room.body.name).toBe('스니펫 방');
      expect(realErrors(a.errors)).toEqual([]);
    } finally {
      await a.context.close();
    }
  });

  it('switches both widgets between Korean and English, and back to each their own', async () => {
    const a = await openPage(browser, `${server.url}/`);
    try {
      const headingA = a.page.locator('#pane-a [part~="room-list-heading"]');
      const headingB = a.page.locator('#pane-b [part~="room-list-heading"]');
      await headingA.waitFor();
      await headingB.waitFor();
      expect([await headingA.textContent(), await headingB.textContent()]).toEqual(['채팅방', 'Rooms']);
      await a.page.selectOption('#lang', 'en');
      await until(async () => (await headingA.textContent()) === 'Rooms', 'the left pane in English');
      expect(await headingB.textContent()).toBe('Rooms');
      await a.page.selectOption('#lang', 'ko');
      await until(async () => (await headingB.textContent()) === '채팅방', 'the right pane in Korean');
      expect(await headingA.textContent()).toBe('채팅방');
      // The choice survives a reload.
      await a.page.reload();
      await until(async () => (await a.page.locator('#pane-b [part~="room-list-heading"]').textContent()) === '채팅방', 'Korean after reload');
      await a.page.selectOption('#lang', 'each');
      await until(async () => (await headingB.textContent()) === 'Rooms', 'each their own again');
      expect(await headingA.textContent()).toBe('채팅방');
      expect(realErrors(a.errors)).toEqual([]);
    } finally {
      await a.context.close();
    }
  });
});

describe('Korean text in a narrow bubble', () => {
  it('breaks only between words, while a long URL still breaks to fit', async () => {
    const owner = (await guest(server, 'owner')).token;
    const id = (await api<{ id: number }>(server, 'POST', '/api/rooms', owner, { name: '줄바꿈', kind: 'chat', maxUsers: 10 })).body.id;
    const a = await openPage(browser, `${server.url}/embed.html?room=${id}&nickname=지영&lang=ko`, { width: 320, height: 640 });
    try {
      const sentence = '테스트입니다 한국어 문장은 낱말 안에서 줄이 바뀌면 읽기 어렵습니다 그래서 띄어쓰기에서만 바꿉니다';
      const url = `https://example.com/${'a'.repeat(120)}`;
      const box = a.page.locator('chat-room chat-composer textarea');
      await box.waitFor();
      for (const text of [sentence, url]) {
        await box.fill(text);
        await box.press('Enter');
      }
      const bubbles = a.page.locator('chat-room chat-message-list [part~="message"]:not([part~="message-pending"]) [part~="text"]');
      await until(async () => (await bubbles.count()) === 2, 'both messages confirmed');
      const lines = await bubbles.evaluateAll((els) =>
        els.map((el) => {
          // The message's text node (Lit adds comment markers around it; a URL sits in an <a>).
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          let node: Node | null = walker.nextNode();
          while (node && (node.textContent ?? '').trim().length < 10) node = walker.nextNode();
          const text = node?.textContent ?? '';
          // Per word: on how many lines its characters sit (distinct tops of the range's rects).
          const perWord: Array<{ word: string; lines: number }> = [];
          let at = 0;
          for (const word of text.split(' ')) {
            const range = document.createRange();
            range.setStart(node!, at);
            range.setEnd(node!, at + word.length);
            const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
            perWord.push({ word, lines: tops.size });
            at += word.length + 1;
          }
          const all = document.createRange();
          all.selectNodeContents(el);
          const totalLines = new Set([...all.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
          return { perWord, totalLines, fits: el.scrollWidth <= el.clientWidth + 1 };
        }),
      );
      const [korean, link] = lines;
      expect(korean!.totalLines).toBeGreaterThan(1);
      expect(korean!.perWord.filter((w) => w.lines !== 1)).toEqual([]);
      // The URL is one "word" longer than the bubble: it breaks inside, and nothing overflows.
      expect(link!.totalLines).toBeGreaterThan(1);
      expect(link!.fits).toBe(true);
      expect(realErrors(a.errors)).toEqual([]);
    } finally {
      await a.context.close();
    }
  });
});

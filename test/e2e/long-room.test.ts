import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, guest, startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { makeClient } from '../helpers/sdk-client.js';
import { seedMessages } from '../helpers/seed.js';
import { ensureWidgetBuilt, launchBrowser, openPage, realErrors, until } from '../helpers/browser.js';

const COUNT = 10_000;
let server: TestServer;
let browser: Browser;
let roomId: number;

beforeAll(async () => {
  await ensureWidgetBuilt();
  server = await startTestServer();
  browser = await launchBrowser();
  const owner = await guest(server, 'owner');
  roomId = (await api<{ id: number }>(server, 'POST', '/api/rooms', owner.token, { name: 'ten thousand' })).body.id;
  // 10,000 messages over about a week: day separators and groups of three by one sender.
  await seedMessages(server, roomId, COUNT, { stepMs: 60_000, startAt: new Date(Date.now() - COUNT * 60_000) });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

interface ScrollRun {
  frames: number[];
  maxNodes: number;
  maxRows: number;
  firstSeq: number;
  lastSeq: number;
  ms: number;
  days: number;
}

/** Scrolls the message list by `stepPx` every animation frame until `goal` or 90 s; measures frames and DOM size. */
function scrollRun(page: Page, stepPx: number, goal: 'top' | 'bottom'): Promise<ScrollRun> {
  return page.evaluate(
    ({ stepPx, goal, total }) => {
      const list = document.querySelector('chat-room')!.shadowRoot!.querySelector('chat-message-list')!;
      const root = list.shadowRoot!;
      const scroller = root.querySelector<HTMLElement>('[part~="scroller"]')!;
      const frames: number[] = [];
      let maxNodes = 0;
      let maxRows = 0;
      const days = new Set<string>();
      const t0 = performance.now();
      let last = t0;
      const seqs = (): [number, number] => {
        const rows = root.querySelectorAll<HTMLElement>('[data-seq]');
        return [Number(rows[0]?.dataset['seq']), Number(rows[rows.length - 1]?.dataset['seq'])];
      };
      return new Promise<ScrollRun>((resolve) => {
        const tick = (now: number): void => {
          frames.push(now - last);
          last = now;
          maxNodes = Math.max(maxNodes, root.querySelectorAll('*').length);
          maxRows = Math.max(maxRows, root.querySelectorAll('[data-seq]').length);
          for (const d of root.querySelectorAll('[part~="day-separator"]')) days.add(d.textContent ?? '');
          scroller.scrollTop += stepPx;
          const [first, lastSeq] = seqs();
          const newest = (list as unknown as { messages: Array<{ seq: number }> }).messages.at(-1)?.seq ?? total;
          const atTop = first === 1 && scroller.scrollTop === 0;
          const atBottom = lastSeq === newest && scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 2;
          if ((goal === 'top' ? atTop : atBottom) || now - t0 > 90_000) {
            resolve({ frames: frames.slice(1), maxNodes, maxRows, firstSeq: first, lastSeq, ms: now - t0, days: days.size });
          } else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
    },
    { stepPx, goal, total: COUNT },
  );
}

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

/** The first message row visible in the list, and its distance from the viewport top. */
function firstVisible(page: Page): Promise<{ seq: number; top: number }> {
  return page.evaluate(() => {
    const root = document.querySelector('chat-room')!.shadowRoot!.querySelector('chat-message-list')!.shadowRoot!;
    const scroller = root.querySelector<HTMLElement>('[part~="scroller"]')!;
    const top = scroller.getBoundingClientRect().top;
    for (const row of root.querySelectorAll<HTMLElement>('[data-seq]')) {
      const r = row.getBoundingClientRect();
      if (r.bottom > top + 1) return { seq: Number(row.dataset['seq']), top: r.top - top };
    }
    return { seq: NaN, top: NaN };
  });
}

describe('a room with 10,000 messages', () => {
  it('scrolls through all of them with a bounded DOM, both ways (frame times printed, not asserted)', async () => {
    const tab = await openPage(browser, `${server.url}/embed.html?room=${roomId}&nickname=reader`, { height: 800 });
    try {
      const rows = tab.page.locator('chat-room chat-message-list [data-seq]');
      await rows.first().waitFor();
      const up = await scrollRun(tab.page, -1500, 'top');
      const down = await scrollRun(tab.page, 1500, 'bottom');
      const report = (r: ScrollRun) => ({
        ms: Math.round(r.ms),
        frames: r.frames.length,
        p50: +pct(r.frames, 0.5).toFixed(1),
        p95: +pct(r.frames, 0.95).toFixed(1),
        max: +Math.max(...r.frames).toFixed(1),
        maxRows: r.maxRows,
        maxNodes: r.maxNodes,
        days: r.days,
      });
      console.log('10,000 messages, up to seq 1:', JSON.stringify(report(up)));
      console.log('10,000 messages, back down:', JSON.stringify(report(down)));
      expect(up.firstSeq).toBe(1);
      expect(down.lastSeq).toBe(COUNT + 1); // the reader's own "joined" notice
      for (const r of [up, down]) {
        expect(r.maxRows).toBeLessThanOrEqual(120);
        // What keeps scrolling smooth is that the list never renders every message; frame times
        // depend on the machine's load, so they are printed above rather than asserted (speed is
        // for benchmarks, not tests).
        expect(r.maxNodes).toBeLessThan(1500);
      }
      // Every message was loaded into the widget and the day separators are present.
      expect(await tab.page.evaluate(() => (document.querySelector('chat-room')!.shadowRoot!.querySelector('chat-message-list') as unknown as { messages: unknown[] }).messages.length)).toBe(COUNT + 1);
      // About a week of messages: a separator for each day went by.
      expect(up.days).toBeGreaterThanOrEqual(6);
      expect(realErrors(tab.errors)).toEqual([]);
    } finally {
      await tab.context.close();
    }
  }, 150_000);

  it('keeps the first visible message still while older history loads above it', async () => {
    const tab = await openPage(browser, `${server.url}/embed.html?room=${roomId}&nickname=reader2`, { height: 800 });
    try {
      await tab.page.locator('chat-room chat-message-list [data-seq]').first().waitFor();
      const oldestLoaded = () =>
        tab.page.evaluate(() => {
          const l = document.querySelector('chat-room')!.shadowRoot!.querySelector('chat-message-list') as unknown as { messages: Array<{ seq: number }> };
          return l.messages[0]?.seq ?? 0;
        });
      const firstRendered = () =>
        tab.page.evaluate(() => {
          const root = document.querySelector('chat-room')!.shadowRoot!.querySelector('chat-message-list')!.shadowRoot!;
          return Number(root.querySelector<HTMLElement>('[data-seq]')?.dataset['seq']);
        });
      const initialOldest = await oldestLoaded();
      // Each round: go near the top; rows appear above (a history page from the server, or rows
      // slid back into the DOM window); the message that was first on screen must not move.
      for (let round = 0; round < 5; round++) {
        const before = await firstRendered();
        await tab.page.evaluate(() => {
          const root = document.querySelector('chat-room')!.shadowRoot!.querySelector('chat-message-list')!.shadowRoot!;
          root.querySelector<HTMLElement>('[part~="scroller"]')!.scrollTop = 40;
        });
        const anchor = await firstVisible(tab.page);
        await until(async () => (await firstRendered()) < before, `rows above, round ${round + 1}`);
        await new Promise((r) => setTimeout(r, 300));
        const after = await tab.page.evaluate((seq) => {
          const root = document.querySelector('chat-room')!.shadowRoot!.querySelector('chat-message-list')!.shadowRoot!;
          const scroller = root.querySelector<HTMLElement>('[part~="scroller"]')!;
          const row = root.querySelector<HTMLElement>(`[data-seq="${seq}"]`);
          return row ? row.getBoundingClientRect().top - scroller.getBoundingClientRect().top : NaN;
        }, anchor.seq);
        expect(Math.abs(after - anchor.top), `message ${anchor.seq} moved from ${anchor.top} to ${after}`).toBeLessThanOrEqual(1);
      }
      // At least two pages came from the server during this.
      expect(await oldestLoaded()).toBeLessThanOrEqual(initialOldest - 200);
      expect(realErrors(tab.errors)).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });

  it('shows a "new messages" pill when scrolled up, without moving the view, and announces only new messages', async () => {
    const tab = await openPage(browser, `${server.url}/embed.html?room=${roomId}&nickname=reader3`, { height: 800 });
    const writer = makeClient(server.url, '새 사람');
    try {
      const p = tab.page;
      await p.locator('chat-room chat-message-list [data-seq]').first().waitFor();
      await writer.connect();
      const w = await writer.join(roomId);
      // Scroll up far enough to load history above.
      await p.evaluate(() => {
        const root = document.querySelector('chat-room')!.shadowRoot!.querySelector('chat-message-list')!.shadowRoot!;
        root.querySelector<HTMLElement>('[part~="scroller"]')!.scrollTop = 0;
      });
      await until(async () => (await p.locator('chat-room chat-message-list [data-seq]').count()) > 60, 'history rows');
      await new Promise((r) => setTimeout(r, 300));
      const liveRegion = p.locator('chat-room chat-message-list [part~="live-region"]');
      expect(await liveRegion.getAttribute('role')).toBe('log');
      expect(await liveRegion.getAttribute('aria-live')).toBe('polite');
      // History (including the seeded messages loaded above) was not announced.
      expect(await liveRegion.textContent()).not.toMatch(/message \d+/);

      const anchor = await firstVisible(p);
      await w.send('scrolled-up reader should get a pill');
      const pill = p.locator('chat-room [part~="new-messages-pill"]');
      await pill.waitFor();
      expect(await pill.textContent()).toContain('1 new message');
      const still = await firstVisible(p);
      expect(still.seq).toBe(anchor.seq);
      expect(Math.abs(still.top - anchor.top)).toBeLessThanOrEqual(1);
      await until(async () => (await liveRegion.textContent())?.includes('새 사람: scrolled-up reader should get a pill') ?? false, 'announcement');

      await pill.click();
      const newest = p.locator('chat-room chat-message-list [part~="text"]', { hasText: 'scrolled-up reader should get a pill' });
      await newest.waitFor();
      await until(async () => (await pill.count()) === 0, 'pill gone');
      expect(await newest.isVisible()).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      const box = await newest.boundingBox();
      const scroller = await p.locator('chat-room chat-message-list [part~="scroller"]').boundingBox();
      expect(box, 'newest message box').not.toBeNull();
      expect(box!.y + box!.height, `message bottom vs scroller ${JSON.stringify(scroller)}`).toBeLessThanOrEqual(scroller!.y + scroller!.height + 1);
      expect(box!.y).toBeGreaterThanOrEqual(scroller!.y);
      expect(realErrors(tab.errors)).toEqual([]);
    } finally {
      await writer.disconnect();
      await tab.context.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, guest, startTestServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { launchMediaBrowser } from './support/chromium.js';
import { startPageServer } from './support/page-server.js';
import type { PageServer } from './support/page-server.js';
import { openWidgetParticipant, until } from './support/participants.js';
import type { WidgetParticipant } from './support/participants.js';

// Issue 13: at 320–375 px the call panel squeezed the tiles into a 57–120 px strip, tiles
// overlapped and names were hidden; the gear button was taller than its neighbours; a video room
// left an empty band under the tiles; the room name was cut to "주말 …". Layout only: two people
// joined to the call is enough (each tile shows a name whether or not frames arrive).
let server: TestServer;
let pages: PageServer;
let browser: Browser;
const opened: WidgetParticipant[] = [];
const ROOM_NAME = '주말 등산 모임 영상 통화: 북한산 둘레길 같이 가요';

beforeAll(async () => {
  [server, pages, browser] = await Promise.all([startTestServer({ env: { STUN_URLS: '' } }), startPageServer(), launchMediaBrowser()]);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled(opened.map((p) => p.close()));
  await browser?.close();
  await Promise.allSettled([pages?.stop(), server?.stop()]);
});

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface Layout {
  readonly viewport: { readonly width: number; readonly height: number };
  readonly grid: Box;
  readonly tiles: ReadonlyArray<{ readonly box: Box; readonly name: string; readonly nameBox: Box; readonly nameClipped: boolean }>;
  readonly toolbar: ReadonlyArray<{ readonly label: string; readonly box: Box }>;
  readonly title: { readonly text: string; readonly clipped: boolean; readonly box: Box };
  readonly panelScrolls: boolean;
}

/** Boxes of the call panel's parts, read through the shadow roots of <chat-room> and the panel. */
function measure(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const box = (e: Element): { x: number; y: number; width: number; height: number } => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const room = document.querySelector('chat-room')!.shadowRoot!;
    const panelEl = room.querySelector('chat-call-panel')!;
    const panel = panelEl.shadowRoot!;
    const title = room.querySelector<HTMLElement>('[part~="title"]')!;
    return {
      viewport: { width: innerWidth, height: innerHeight },
      grid: box(panel.querySelector('.grid')!),
      tiles: [...panel.querySelectorAll('.tile')].map((tile) => {
        const name = tile.querySelector<HTMLElement>('.name')!;
        return { box: box(tile), name: name.textContent ?? '', nameBox: box(name), nameClipped: name.scrollWidth > name.clientWidth + 1 };
      }),
      toolbar: [...panel.querySelectorAll('.toolbar > button, .toolbar summary')].map((b) => ({ label: b.getAttribute('aria-label') ?? b.textContent?.trim() ?? '', box: box(b) })),
      title: { text: title.textContent ?? '', clipped: title.scrollHeight > title.clientHeight + 1 || title.scrollWidth > title.clientWidth + 1, box: box(title) },
      panelScrolls: panelEl.scrollHeight > panelEl.clientHeight + 1,
    };
  });
}

const inside = (inner: Box, outer: Box): boolean =>
  inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;
const overlap = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

describe('the call panel on narrow screens', () => {
  it('at 320, 375 and 768 px shows both tiles with their names, apart, filling the panel, with toolbar buttons of one height', async () => {
    const owner = (await guest(server, 'owner')).token;
    const roomId = (await api<{ id: number }>(server, 'POST', '/api/rooms', owner, { name: ROOM_NAME, kind: 'video', maxUsers: 10 })).body.id;
    const ria = await openWidgetParticipant(browser, pages, server, 'Ria', roomId);
    opened.push(ria);
    await until(async () => (await ria.callState()) === 'joined', 'Ria to be in the call', 30_000);
    const sam = await openWidgetParticipant(browser, pages, server, 'Sam', roomId);
    opened.push(sam);
    await until(async () => (await sam.callState()) === 'joined', 'Sam to be in the call', 30_000);
    await until(async () => (await ria.tiles()).some((t) => t.nickname === 'Sam'), "Sam's tile in Ria's panel", 30_000);

    for (const width of [320, 375, 768]) {
      await ria.page.setViewportSize({ width, height: 640 });
      // Let the container queries and the grid settle at the new width.
      await until(async () => (await measure(ria.page)).viewport.width === width, `viewport ${width}`);
      await ria.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const l = await measure(ria.page);
      const at = `at ${width} px`;

      expect(l.tiles.map((t) => t.name), at).toEqual(['You', 'Sam']);
      for (const t of l.tiles) {
        // Visible: inside the grid and the viewport, tall enough to be a tile and not a strip.
        expect(inside(t.box, l.grid), `${at}: ${t.name}'s tile inside the grid`).toBe(true);
        expect(inside(t.box, { x: 0, y: 0, ...l.viewport }), `${at}: ${t.name}'s tile on screen`).toBe(true);
        expect(t.box.height, `${at}: ${t.name}'s tile height`).toBeGreaterThanOrEqual(100);
        expect(t.box.width, `${at}: ${t.name}'s tile width`).toBeGreaterThanOrEqual(120);
        // The name is on its tile and not cut.
        expect(inside(t.nameBox, t.box), `${at}: ${t.name}'s name on its tile`).toBe(true);
        expect(t.nameBox.width, `${at}: ${t.name}'s name has a width`).toBeGreaterThan(0);
        expect(t.nameClipped, `${at}: ${t.name}'s name not cut`).toBe(false);
      }
      expect(overlap(l.tiles[0]!.box, l.tiles[1]!.box), `${at}: tiles apart`).toBe(false);
      // No empty band: the lowest tile reaches the bottom of the grid.
      const lowest = Math.max(...l.tiles.map((t) => t.box.y + t.box.height));
      expect(l.grid.y + l.grid.height - lowest, `${at}: space under the tiles`).toBeLessThan(2);
      expect(l.panelScrolls, `${at}: the panel fits without scrolling`).toBe(false);

      // Mic, camera, (screen), devices (the gear) and leave: one height, one row's worth each.
      expect(l.toolbar.length, at).toBeGreaterThanOrEqual(4);
      const heights = l.toolbar.map((b) => Math.round(b.box.height));
      expect(new Set(heights).size, `${at}: toolbar heights ${JSON.stringify(l.toolbar.map((b) => [b.label, b.box.height]))}`).toBe(1);

      // The room's name is whole (wrapped to two lines where needed), not cut to "주말 …".
      expect(l.title.text, at).toBe(ROOM_NAME);
      expect(l.title.clipped, `${at}: title cut`).toBe(false);
    }
    expect(ria.consoleErrors).toEqual([]);
    await Promise.all([ria.close(), sam.close()]);
  }, 120_000);
});

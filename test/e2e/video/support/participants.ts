import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestServer } from '../../../helpers/server.js';
import type { PeerStats, StartOptions } from '../pages/call-page.js';
import type { PageServer } from './page-server.js';

/** One person in the call: a browser context (own storage) with the call page open. */
export interface Participant {
  readonly nickname: string;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly consoleErrors: string[];
  start(extra?: Partial<StartOptions>): Promise<{ participantId: string | undefined; state: string; error: string | undefined; issue: string | undefined }>;
  stats(): Promise<PeerStats[]>;
  timing(): Promise<{ joinStartedAt: number; joinedAt: number | undefined; connectedAt: Record<string, number>; firstFrameAt: Record<string, number> }>;
  diagnostics(): Promise<{ notes: string[]; iceErrors: Array<{ code: number; url: string }>; errors: string[]; state: string | undefined }>;
  view(): Promise<{ tiles: Array<{ nickname: string; playing: boolean; label: string }>; notices: string[] }>;
  close(): Promise<void>;
}

/** The backend as the page reaches it: same host name as the page, so both are "localhost". */
export const apiUrl = (server: TestServer): string => `http://localhost:${server.port}`;

export async function openParticipant(browser: Browser, pages: PageServer, server: TestServer, nickname: string, roomId: number): Promise<Participant> {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 }, locale: 'en-US' });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`console: ${m.text()}`);
  });
  await page.goto(pages.url);
  await page.waitForFunction(() => 'parleyTest' in window);
  const base: StartOptions = { api: apiUrl(server), nickname, roomId };
  return {
    nickname,
    context,
    page,
    consoleErrors,
    start: async (extra = {}) => {
      await page.waitForFunction(() => 'parleyTest' in window);
      return page.evaluate((o) => window.parleyTest.start(o), { ...base, ...extra });
    },
    stats: () => page.evaluate(() => window.parleyTest.stats()),
    timing: () => page.evaluate(() => window.parleyTest.timing()),
    diagnostics: () => page.evaluate(() => window.parleyTest.diagnostics()),
    view: () => page.evaluate(() => window.parleyTest.view()),
    close: () => context.close(),
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Waits until `p` decodes video from every one of `from` (by nickname), then measures again
 * `windowMs` later. Returns the frames decoded in that window per nickname: all must be > 0 for
 * video to be flowing (not just one frame that got through).
 */
/** Someone whose decoded frames can be read. */
export type Viewer = Pick<Participant, 'nickname' | 'stats'>;

/** One person using the real `<chat-room>` widget (test/e2e/video/pages/widget-page.ts). */
export interface WidgetParticipant extends Viewer {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly consoleErrors: string[];
  /** The call's state in the widget's panel (`undefined` before it exists). */
  callState(): Promise<string | undefined>;
  tiles(): Promise<Array<{ nickname: string; playing: boolean }>>;
  close(): Promise<void>;
}

/** Opens the widget page and mounts `<chat-room server nickname room>` for `roomId`. */
export async function openWidgetParticipant(browser: Browser, pages: PageServer, server: TestServer, nickname: string, roomId: number): Promise<WidgetParticipant> {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 }, locale: 'en-US' });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`console: ${m.text()}`);
  });
  await page.goto(pages.widgetUrl);
  await page.waitForFunction(() => 'parleyWidget' in window);
  await page.evaluate((o) => window.parleyWidget.mount(o), { api: apiUrl(server), nickname, roomId });
  return {
    nickname,
    context,
    page,
    consoleErrors,
    stats: () => page.evaluate(() => window.parleyWidget.stats()),
    callState: () => page.evaluate(() => window.parleyWidget.callState()),
    tiles: () => page.evaluate(() => window.parleyWidget.tiles()),
    close: () => context.close(),
  };
}

export async function framesRising(p: Viewer, from: readonly string[], timeoutMs = 30_000, windowMs = 10_000): Promise<Record<string, number>> {
  const end = Date.now() + timeoutMs;
  const byName = (list: PeerStats[]) => Object.fromEntries(list.map((s) => [s.nickname, s]));
  let first: Record<string, PeerStats> = {};
  for (;;) {
    first = byName(await p.stats());
    if (from.every((n) => (first[n]?.framesDecoded ?? 0) > 0)) break;
    if (Date.now() > end) {
      const seen = Object.values(first).map((s) => `${s.nickname}:${s.connectionState}/${s.framesDecoded}`);
      throw new Error(`${p.nickname} decodes no video from ${from.filter((n) => !((first[n]?.framesDecoded ?? 0) > 0)).join(', ')} (saw ${seen.join(' ') || 'nobody'})`);
    }
    await sleep(100);
  }
  // Video is flowing when the count keeps rising. On a loaded 2-core machine a decoder can stall
  // for a second or two (waiting for a key frame), so wait up to `windowMs` for growth rather
  // than sampling one fixed interval; a stream that has stopped still reports 0.
  const windowEnd = Date.now() + windowMs;
  const grown = (now: Record<string, PeerStats>) =>
    Object.fromEntries(from.map((n) => [n, (now[n]?.framesDecoded ?? 0) - (first[n]?.framesDecoded ?? 0)]));
  for (;;) {
    await sleep(250);
    const growth = grown(byName(await p.stats()));
    if (from.every((n) => growth[n]! > 0) || Date.now() > windowEnd) return growth;
  }
}

/** Polls until `predicate` holds or throws naming `what`. */
export async function until(predicate: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Join → first decoded frame for every ordered pair (viewer, sender): from the later of the two
 * join clicks to the viewer's first decoded frame of the sender. Wall clocks are shared (one machine).
 */
export async function joinToFirstFrame(people: readonly Participant[]): Promise<{
  pairs: Array<{ viewer: string; sender: string; ms: number; connectedMs: number | undefined }>;
  medianMs: number;
  maxMs: number;
  /** Median of join click → `join()` resolved (devices opened, ICE servers fetched, call joined). */
  joinMedianMs: number;
  /** Median of join click → peer connection `connected`, over the same pairs. */
  connectedMedianMs: number;
}> {
  const timings = new Map<string, Awaited<ReturnType<Participant['timing']>>>();
  for (const p of people) timings.set(p.nickname, await p.timing());
  const pairs: Array<{ viewer: string; sender: string; ms: number; connectedMs: number | undefined }> = [];
  for (const viewer of people) {
    const v = timings.get(viewer.nickname)!;
    for (const sender of people) {
      if (sender === viewer) continue;
      const at = v.firstFrameAt[sender.nickname];
      if (at === undefined) continue;
      const start = Math.max(v.joinStartedAt, timings.get(sender.nickname)!.joinStartedAt);
      const connected = v.connectedAt[sender.nickname];
      pairs.push({ viewer: viewer.nickname, sender: sender.nickname, ms: at - start, connectedMs: connected === undefined ? undefined : connected - start });
    }
  }
  const median = (xs: number[]): number => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  };
  const firsts = pairs.map((p) => p.ms);
  return {
    pairs,
    medianMs: median(firsts),
    maxMs: Math.max(...firsts),
    joinMedianMs: median([...timings.values()].map((t) => (t.joinedAt ?? Number.NaN) - t.joinStartedAt)),
    connectedMedianMs: median(pairs.flatMap((p) => (p.connectedMs === undefined ? [] : [p.connectedMs]))),
  };
}

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';

const ROOT = resolve(import.meta.dirname, '../..');
let outDir: string;
let http: Server;
let base: string;
let browser: Browser;

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'parley-storybook-'));
  const build = spawn(join(ROOT, 'node_modules/.bin/storybook'), ['build', '-o', outDir, '--quiet', '--disable-telemetry'], {
    cwd: ROOT,
    env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  build.stdout.on('data', (d: Buffer) => (log += d.toString()));
  build.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const [code] = (await once(build, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`storybook build failed (${code}):\n${log}`);
  // A plain static server: the stories need nothing else.
  http = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(outDir, path.endsWith('/') ? `${path}index.html` : path);
    stat(file).then(
      (s) => {
        if (!s.isFile()) throw new Error('not a file');
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        createReadStream(file).pipe(res);
      },
      () => {
        res.writeHead(404);
        res.end();
      },
    );
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  http?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
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

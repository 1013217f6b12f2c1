// The two widget builds in a real page: the script-tag bundle given a ChatClient from a separate
// copy of the SDK, and the npm build (`parley-chat/widget`) sharing the app's one SDK.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { once } from 'node:events';
import { readFile, readdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, guest, startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { ensureBuilt, launchBrowser, openPage, realErrors } from '../helpers/browser.js';
import type { TrackedPage } from '../helpers/browser.js';

const ROOT = resolve(import.meta.dirname, '../..');
// A text only the SDK contains (the STOMP subprotocols it offers the server): where it appears, a copy of the SDK is.
const SDK_MARKER = 'v12.stomp';

let server: TestServer;
let pages: Server;
let origin: string;
let browser: Browser;
let owner: string;
const html = new Map<string, string>();

/**
 * Serves the test pages plus `dist/` and `node_modules/` (what an app's web server or import map
 * would point at), on another origin than the chat server, like an app that embeds the widget.
 */
function startPageServer(): Promise<Server> {
  const types: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json' };
  const s = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const page = html.get(path);
    if (page !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = normalize(join(ROOT, path));
    if (!/^\/(dist|node_modules)\//.test(path) || !file.startsWith(ROOT + '/')) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  s.listen(0, '127.0.0.1');
  return once(s, 'listening').then(() => s);
}

beforeAll(async () => {
  for (const name of ['sdk', 'widget', 'widget-npm'] as const) await ensureBuilt(name);
  server = await startTestServer();
  pages = await startPageServer();
  origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  owner = (await guest(server, 'owner')).token;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => pages?.close(r));
  await server?.stop();
});

const createRoom = async (body: Record<string, unknown>): Promise<number> => (await api<{ id: number }>(server, 'POST', '/api/rooms', owner, body)).body.id;

/** Opens one of the test pages, recording the path of every request it makes. */
async function openServedPage(path: string): Promise<{ tab: TrackedPage; loaded: string[] }> {
  const tab = await openPage(browser, 'about:blank');
  const loaded: string[] = [];
  tab.page.on('request', (r) => loaded.push(new URL(r.url()).pathname));
  await tab.page.goto(`${origin}${path}`);
  return { tab, loaded };
}

/** Every file of a folder under dist/, as text. */
async function distFiles(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of await readdir(join(ROOT, dir), { recursive: true })) {
    if (f.endsWith('.js')) out.set(f, await readFile(join(ROOT, dir, f), 'utf8'));
  }
  return out;
}

describe('the script-tag bundle with a client the app made from its own copy of the SDK', () => {
  it('tells a wrong password apart from a network failure by code, then lets the right one in', async () => {
    // Two copies of the SDK in one page: the bundle carries its own, the app loads dist/sdk.
    const bundle = [...(await distFiles('dist/widget')).values()].join('\n');
    expect(bundle).toContain(SDK_MARKER);
    const roomId = await createRoom({ name: 'Vault', password: 'open sesame' });
    html.set(
      '/own-client.html',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>own client</title></head><body>
      <chat-room lang="en"></chat-room>
      <script type="module">
        import { ChatClient, ParleyError } from '/dist/sdk/index.js';
        await import('/dist/widget/chat-room.js');
        const el = document.querySelector('chat-room');
        const client = new ChatClient({ url: ${JSON.stringify(server.url)}, nickname: 'Alex' });
        // The client rejects with the app's ParleyError class, which is not the widget's:
        // instanceof in the widget would call BAD_PASSWORD a network error.
        await client.connect();
        window.joinError = await client.join(${roomId}, { password: 'nope' }).then(
          () => 'joined',
          (e) => ({ code: e.code, appClass: e instanceof ParleyError }),
        );
        el.client = client;
        el.join(${roomId});
      </script></body></html>`,
    );
    const { tab, loaded } = await openServedPage('/own-client.html');
    try {
      const p = tab.page;
      const prompt = p.locator('chat-room chat-password-prompt');
      await prompt.locator('[part~="password-heading"]').waitFor();
      expect(await prompt.locator('[part~="password-error"]').count()).toBe(0);

      await prompt.locator('[part~="password-input"]').fill('wrong');
      await prompt.locator('[part~="password-input"]').press('Enter');
      const error = prompt.locator('[part~="password-error"]');
      await error.waitFor();
      expect(await error.textContent()).toBe('Wrong password. Try again.');
      // Still the prompt, not the "could not reach the server" panel.
      expect(await p.locator('chat-room [part~="status-panel"]').count()).toBe(0);

      await prompt.locator('[part~="password-input"]').fill('open sesame');
      await prompt.locator('[part~="password-input"]').press('Enter');
      await p.locator('chat-room chat-composer textarea').waitFor();
      expect(await p.locator('chat-room [part~="title"]').textContent()).toBe('Vault');
      expect(await p.evaluate(() => (window as unknown as { joinError: unknown }).joinError)).toEqual({ code: 'BAD_PASSWORD', appClass: true });
      // Both copies were loaded: the app's SDK and the bundle (which carries its own).
      expect(loaded).toContain('/dist/sdk/index.js');
      expect(loaded.some((u) => /^\/dist\/widget\/chunks\/widget-/.test(u))).toBe(true);
      expect(realErrors(tab.errors)).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });
});

describe('the npm build (parley-chat/widget)', () => {
  it('imports the app’s parley-chat/sdk and lit instead of carrying its own: one SDK in the page', async () => {
    // The npm build has no SDK inside; the SDK build has.
    for (const [file, text] of await distFiles('dist/widget-npm')) expect(text, file).not.toContain(SDK_MARKER);
    expect(await readFile(join(ROOT, 'dist/sdk/index.js'), 'utf8')).toContain(SDK_MARKER);
    const roomId = await createRoom({ name: 'Npm room' });
    // What a bundler resolves from package.json, spelled out as an import map.
    const imports = {
      'parley-chat/sdk': '/dist/sdk/index.js',
      'parley-chat/widget': '/dist/widget-npm/chat-room.js',
      lit: '/node_modules/lit/index.js',
      'lit/': '/node_modules/lit/',
      'lit-html': '/node_modules/lit-html/lit-html.js',
      'lit-html/': '/node_modules/lit-html/',
      'lit-element/': '/node_modules/lit-element/',
      '@lit/reactive-element': '/node_modules/@lit/reactive-element/reactive-element.js',
      '@lit/reactive-element/': '/node_modules/@lit/reactive-element/',
    };
    html.set(
      '/npm.html',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>npm build</title>
      <script type="importmap">${JSON.stringify({ imports })}</script></head><body>
      <script type="module">
        import { ChatClient } from 'parley-chat/sdk';
        import { ChatRoom } from 'parley-chat/widget';
        // Count connects on the app's ChatClient class: the widget's own client counts only if
        // the widget uses this very class.
        let connects = 0;
        const connect = ChatClient.prototype.connect;
        ChatClient.prototype.connect = function (...args) { connects++; return connect.apply(this, args); };
        window.connects = () => connects;
        const el = document.createElement('chat-room');
        el.setAttribute('lang', 'en');
        el.server = ${JSON.stringify(server.url)};
        el.nickname = 'Mina';
        el.room = ${roomId};
        document.body.append(el);
        window.sameElement = customElements.get('chat-room') === ChatRoom;
      </script></body></html>`,
    );
    const { tab, loaded } = await openServedPage('/npm.html');
    try {
      const p = tab.page;
      const textarea = p.locator('chat-room chat-composer textarea');
      await textarea.waitFor();
      await textarea.fill('hello from one SDK');
      await textarea.press('Enter');
      await p.locator('chat-room [part~="message-own"]:not([part~="message-pending"]) [part~="text"]', { hasText: 'hello from one SDK' }).waitFor();

      expect(await p.evaluate(() => (window as unknown as { connects(): number }).connects())).toBeGreaterThanOrEqual(1);
      expect(await p.evaluate(() => (window as unknown as { sameElement: boolean }).sameElement)).toBe(true);
      // The SDK was fetched once, from the app's path; nothing of the script-tag bundle was.
      expect(loaded.filter((u) => u.startsWith('/dist/sdk/'))).toEqual(['/dist/sdk/index.js']);
      expect(loaded.filter((u) => u.startsWith('/dist/widget/'))).toEqual([]);
      expect(loaded).toContain('/dist/widget-npm/chat-room.js');
      expect(loaded.filter((u) => u === '/node_modules/lit-html/lit-html.js')).toHaveLength(1);
      expect(realErrors(tab.errors)).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });
});

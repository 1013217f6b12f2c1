import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { makeClient } from '../helpers/sdk-client.js';
import { ensureWidgetBuilt, launchBrowser, openPage, realErrors, until } from '../helpers/browser.js';

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

// Each payload would set window.__xss (or open a dialog) if it ever ran.
const MESSAGES = [
  '<script>window.__xss = "script"</script>',
  '<img src=x onerror="window.__xss = \'img\'">',
  '<svg onload="window.__xss = \'svg\'"><script>window.__xss = "svg-script"</script></svg>',
  '<svg><animate onbegin="window.__xss=\'animate\'" attributeName="x" dur="1s"></svg>',
  '<a href="javascript:window.__xss=\'a\'">click me</a>',
  'javascript:window.__xss="bare"',
  'JaVaScRiPt:alert(1)',
  '"><iframe src="javascript:parent.__xss=\'iframe\'"></iframe>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss="mxss">',
  'https://example.com/"onmouseover="window.__xss=\'attr\'"x="',
  '<a href="https://ok.example" onclick="window.__xss=\'onclick\'">ok</a>',
  '<div style="background:url(javascript:window.__xss=1)">styled</div>',
  '{{constructor.constructor("window.__xss=\'tpl\'")()}} ${window.__xss="lit"}',
  '<details open ontoggle="window.__xss=\'details\'">',
];
const NICKNAME = '<img src=x onerror=__xss=1>';
const ROOM_NAME = '<script>window.__xss="room"</script><img src=x onerror="window.__xss=\'room-img\'">';

describe('user content', () => {
  it('renders XSS payloads in messages, nicknames and room names as text: nothing runs, no element or attribute is injected', async () => {
    const attacker = makeClient(server.url, NICKNAME);
    await attacker.connect();
    const room = await attacker.rooms.create({ name: ROOM_NAME });
    const handle = await attacker.join(room.id);
    for (const text of MESSAGES) await handle.send(text);

    const victim = await openPage(browser, `${server.url}/embed.html?nickname=victim&lang=en`);
    const dialogs: string[] = [];
    victim.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      const p = victim.page;
      // The room list shows the name as text.
      const name = p.locator('chat-room [part~="room-name"]');
      await name.waitFor();
      expect(await name.textContent()).toBe(ROOM_NAME);
      expect(await name.evaluate((el) => el.children.length)).toBe(0);

      await p.locator('chat-room [part~="room-button"]').click();
      const texts = p.locator('chat-room chat-message-list [part~="message"] [part~="text"]');
      await until(async () => (await texts.count()) === MESSAGES.length, 'all payloads rendered');
      expect(await texts.allTextContents()).toEqual(MESSAGES);
      expect(await p.locator('chat-room [part~="title"]').textContent()).toBe(ROOM_NAME);
      expect(await p.locator('chat-room [part~="sender"]').first().textContent()).toBe(NICKNAME);

      // Hover and click every link the widget made, then give scripts time to fire.
      const links = p.locator('chat-room chat-message-list a');
      for (let i = 0; i < (await links.count()); i++) await links.nth(i).hover();

      // Inside message text only text nodes and our own http(s) links exist, with our attributes only.
      const structure = await texts.evaluateAll((nodes) =>
        nodes.flatMap((n) =>
          [...n.childNodes]
            .filter((c) => c.nodeType === Node.ELEMENT_NODE)
            .map((c) => {
              const el = c as Element;
              return { tag: el.tagName, attrs: el.getAttributeNames().sort(), href: el.getAttribute('href'), rel: el.getAttribute('rel'), children: el.children.length };
            }),
        ),
      );
      for (const el of structure) {
        expect(el.tag).toBe('A');
        expect(el.attrs).toEqual(['href', 'part', 'rel', 'target']);
        expect(el.href).toMatch(/^https?:\/\//);
        expect(el.rel).toBe('noopener noreferrer');
        expect(el.children).toBe(0);
      }
      expect(structure.map((e) => e.href)).toEqual(['https://example.com/', 'https://ok.example/']);

      // No element of a payload's kind exists anywhere in the widget's shadow trees.
      const injected = await p.evaluate(() => {
        const found: string[] = [];
        const walk = (root: Document | ShadowRoot): void => {
          for (const el of root.querySelectorAll('script, img, iframe, svg:not([aria-hidden]), math, details, style:not(:empty)')) {
            if (el.closest('chat-room') || root !== document) found.push(el.tagName);
          }
          for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
          for (const el of root.querySelectorAll('[onerror], [onload], [onclick], [onmouseover], [ontoggle], [onbegin]')) found.push(`attr on ${el.tagName}`);
        };
        walk(document);
        return found;
      });
      expect(injected).toEqual([]);
      await new Promise((r) => setTimeout(r, 500));
      expect(await p.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
      expect(dialogs).toEqual([]);
      expect(realErrors(victim.errors)).toEqual([]);
    } finally {
      await victim.context.close();
      await attacker.disconnect();
    }
  });
});

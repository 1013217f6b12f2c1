import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** Page name → its script under `pages/`. */
const PAGES = { call: 'call-page.ts', widget: 'widget-page.ts' } as const;
type PageName = keyof typeof PAGES;

const html = (name: PageName): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Parley ${name} test</title>
<style>body{margin:0;font-family:system-ui,sans-serif} chat-call-panel{height:100vh}</style></head>
<body><script type="module" src="/${name}-page.js"></script></body></html>`;

/** A test page's script (the SDK, the call layer, the panel or the whole widget), bundled from source. */
async function bundle(name: PageName): Promise<string> {
  const result = await build({
    entryPoints: [resolve(ROOT, 'test/e2e/video/pages', PAGES[name])],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    sourcemap: 'inline',
    tsconfig: resolve(ROOT, 'tsconfig.json'),
    // Only reached through `await import('sockjs-client')` for the SockJS transport; the page uses WebSocket.
    external: ['sockjs-client'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

export interface PageServer {
  /** `http://localhost:PORT` — localhost is a secure context, as getUserMedia requires. */
  readonly origin: string;
  /** URL of the call page (SDK + call panel). */
  readonly url: string;
  /** URL of the widget page (`<chat-room>`). */
  readonly widgetUrl: string;
  stop(): Promise<void>;
}

/** Serves the call test page on 127.0.0.1:0; pages open it as http://localhost:PORT. */
export async function startPageServer(): Promise<PageServer> {
  const scripts = new Map<PageName, Promise<string>>();
  const script = (name: PageName): Promise<string> => {
    let p = scripts.get(name);
    if (!p) scripts.set(name, (p = bundle(name)));
    return p;
  };
  await script('call');
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const page = /^\/(call|widget)(-page\.js|\.html)$/.exec(path);
    if (page) {
      const name = page[1] as PageName;
      if (page[2] === '.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(html(name));
        return;
      }
      script(name).then(
        (js) => {
          res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
          res.end(js);
        },
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
    } else if (path === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: `${origin}/call.html`,
    widgetUrl: `${origin}/widget.html`,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };

/** A static Storybook build served on 127.0.0.1 (port 0). */
export interface ServedStorybook {
  /** The build's folder (index.json lists the stories). */
  readonly outDir: string;
  /** `http://127.0.0.1:<port>`. */
  readonly base: string;
  /** URL of one story's iframe. */
  storyUrl(id: string): string;
  stop(): Promise<void>;
}

/** Builds Storybook offline into a temporary folder and serves it with a plain static server: the stories need nothing else. */
export async function serveStorybook(prefix: string): Promise<ServedStorybook> {
  const outDir = await mkdtemp(join(tmpdir(), `parley-${prefix}-`));
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
  const http = createServer((req, res) => {
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
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    outDir,
    base,
    storyUrl: (id) => `${base}/iframe.html?id=${id}&viewMode=story`,
    async stop() {
      http.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

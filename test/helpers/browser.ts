import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The build targets of `scripts/build.mjs` the browser tests load, and their entry files. */
const OUTPUTS = {
  sdk: 'dist/sdk/index.js',
  widget: 'dist/widget/chat-room.js',
  'widget-npm': 'dist/widget-npm/chat-room.js',
} as const;
type BuildName = keyof typeof OUTPUTS;

/** Chromium flags for CI: headless, no sandbox (root in a container), no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, driven by playwright-core. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestMtime(p) : (await stat(p)).mtimeMs);
  }
  return newest;
}

async function isFresh(name: BuildName): Promise<boolean> {
  let built: number;
  try {
    built = (await stat(join(ROOT, OUTPUTS[name]))).mtimeMs;
  } catch {
    return false;
  }
  const sources = Math.max(
    await newestMtime(join(ROOT, 'widget')),
    await newestMtime(join(ROOT, 'sdk')),
    (await stat(join(ROOT, 'scripts/build.mjs'))).mtimeMs,
    (await stat(join(ROOT, 'scripts/minify-templates.mjs'))).mtimeMs,
  );
  return built >= sources;
}

interface BuildTarget {
  name: string;
  tsconfig: string | undefined;
}
interface BuildModule {
  targets: BuildTarget[];
  buildTarget(target: BuildTarget): Promise<boolean>;
}

/**
 * Builds `dist/widget` with the build script's JS API unless it is newer than every widget and
 * SDK source. Test files run in parallel workers: a lock directory makes one of them build while
 * the others wait. Declarations are skipped (the browser needs only the bundle).
 */
export function ensureWidgetBuilt(): Promise<void> {
  return ensureBuilt('widget');
}

/** Like {@link ensureWidgetBuilt}, for any of the builds (`sdk`, `widget`, `widget-npm`). */
export async function ensureBuilt(name: BuildName): Promise<void> {
  if (await isFresh(name)) return;
  const lock = join(ROOT, `dist/.${name}-build.lock`);
  await mkdir(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      if (Date.now() > deadline) await rm(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (await isFresh(name)) return;
    const mod = (await import(pathToFileURL(join(ROOT, 'scripts/build.mjs')).href)) as BuildModule;
    const target = mod.targets.find((t) => t.name === name);
    if (!target) throw new Error(`scripts/build.mjs has no ${name} target`);
    // Vite picks the `development` export conditions (Lit's dev build) unless NODE_ENV is
    // production, and vitest sets it to `test`: build what `npm run build` ships.
    const env = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      await mod.buildTarget({ ...target, tsconfig: undefined });
    } finally {
      process.env['NODE_ENV'] = env;
    }
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** A page with its errors recorded (uncaught exceptions and console errors). */
export interface TrackedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly errors: string[];
}

/** Opens `url` in a fresh context (its own storage: a separate user). */
export async function openPage(
  browser: Browser,
  url: string,
  options: { width?: number; height?: number; colorScheme?: 'light' | 'dark'; locale?: string } = {},
): Promise<TrackedPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? 'light',
    locale: options.locale ?? 'en-US',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  // Pages are served under a strict CSP: any violation is an error of the page.
  await page.exposeFunction('__parleyCspViolation', (what: string) => errors.push(`csp: ${what}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __parleyCspViolation(what: string): void }).__parleyCspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await page.goto(url);
  return { context, page, errors };
}

/** Axe violations of impact serious or critical, in `selector` (default the whole page). */
export async function seriousAxeViolations(page: Page, selector?: string): Promise<Array<{ id: string; impact: string; help: string; nodes: string[] }>> {
  const hasAxe = await page.evaluate(() => 'axe' in window);
  // Evaluated rather than added as a <script>: the pages' CSP refuses inline scripts, DevTools evaluation is exempt.
  if (!hasAxe) await page.evaluate(await readFile(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async (sel) => {
    type AxeResult = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> };
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<AxeResult> } }).axe;
    const result = await axe.run(sel ?? document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  }, selector);
}

/** Waits until `predicate` holds (polling), or throws naming `what`. */
export async function until(predicate: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Whether a PNG screenshot shows real content: decoded in the page, it must have many colours
 * and a good share of pixels that differ from the most common (background) colour.
 */
export async function screenshotStats(page: Page, png: Buffer): Promise<{ colours: number; foreground: number }> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    const counts = new Map<number, number>();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const total = data.length / 4;
    const background = Math.max(...counts.values());
    return { colours: counts.size, foreground: (total - background) / total };
  }, png.toString('base64'));
}

/** Errors a page reported, without the ones that say nothing about the widget. */
export function realErrors(errors: readonly string[]): string[] {
  return errors.filter((e) => !/favicon/.test(e));
}

#!/usr/bin/env node
// Gzip size of each built bundle plus its static imports (lazily imported chunks excluded),
// against its budget. Exit 1 when any built bundle is over budget. Rows without a budget are
// informational: the npm build of the widget leaves Lit and the SDK to the app (bare imports are
// not followed), so its size is what the widget adds to an app that has both already.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles and budgets (KiB of gzip; `undefined`: reported, not checked). A row reports once its bundle is built. */
export const budgets = [
  { name: 'sdk', file: 'dist/sdk/index.js', budgetKb: 15 },
  { name: 'widget', file: 'dist/widget/chat-room.js', budgetKb: 40 },
  { name: 'widget-npm', file: 'dist/widget-npm/chat-room.js', budgetKb: undefined },
];

// Static imports only: `import … from './x.js'` and `export … from './x.js'`, not `import('./x.js')`.
const STATIC_IMPORT = /(?:^|[;\s}])(?:import|export)\s*(?:[\w*${}\s,]+from\s*)?["'](\.{1,2}\/[^"']+)["']/g;

/**
 * The file and every relative module it statically imports, transitively.
 * @param {string} file
 * @returns {string[]}
 */
export function staticClosure(file) {
  /** @type {Set<string>} */
  const seen = new Set();
  /** @param {string} f */
  const visit = (f) => {
    if (seen.has(f)) return;
    seen.add(f);
    const code = readFileSync(f, 'utf8');
    for (const m of code.matchAll(STATIC_IMPORT)) visit(resolve(dirname(f), m[1]));
  };
  visit(file);
  return [...seen];
}

/** @param {{ budgetKb: number | undefined }} b */
const budgetText = (b) => (b.budgetKb === undefined ? 'none (peers excluded)' : `${b.budgetKb} KB`);

const rows = [];
let failed = false;
for (const b of budgets) {
  const file = resolve(root, b.file);
  if (!existsSync(file)) {
    rows.push({ bundle: b.name, files: '-', raw: '-', gzip: 'not built, skipped', budget: budgetText(b), ok: '' });
    continue;
  }
  const files = staticClosure(file);
  const raw = files.reduce((n, f) => n + readFileSync(f).length, 0);
  const gzip = files.reduce((n, f) => n + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  const ok = b.budgetKb === undefined || gzip <= b.budgetKb * 1024;
  if (!ok) failed = true;
  rows.push({
    bundle: b.name,
    files: String(files.length),
    raw: `${(raw / 1024).toFixed(1)} KB`,
    gzip: `${(gzip / 1024).toFixed(2)} KB`,
    budget: budgetText(b),
    ok: b.budgetKb === undefined ? '' : ok ? 'ok' : 'OVER',
  });
}
console.table(rows);
if (failed) {
  console.error('Bundle size over budget.');
  process.exit(1);
}

// The server as plain JavaScript for `npm start`: one ESM file, dist/backend/main.js, with the
// backend and the SDK protocol module it imports bundled in, and every npm package (sqlite3's
// native binding, sequelize, ws …) left as an import that Node resolves from node_modules.
// Nothing is transpiled at run time, so the process carries no tsx loader hooks.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where `npm start` runs the server from, relative to the repo root. */
export const BACKEND_MAIN = 'dist/backend/main.js';

/** @returns {boolean} whether dist/backend/main.js exists */
export function isBackendBuilt() {
  return existsSync(resolve(root, BACKEND_MAIN));
}

/** Bundles backend/main.ts into dist/backend/main.js (with a source map). */
export async function buildBackend() {
  const outDir = resolve(root, 'dist/backend');
  await rm(outDir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: ['backend/main.ts'],
    outfile: BACKEND_MAIN,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  console.log(`✓ backend: ${BACKEND_MAIN}`);
}

#!/usr/bin/env node
// Library builds: one entry per target, ESM, minified, with .d.ts from tsc.
// A target whose entry does not exist yet is skipped, so later targets (the widget) only add a row.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {object} Target
 * @property {string} name        label in the logs
 * @property {string} entry       entry file, relative to the repo root
 * @property {string} outDir      output folder, relative to the repo root
 * @property {string} fileName    output file name without extension (index → index.js)
 * @property {string[]} external  modules left as imports (loaded by the app's bundler/runtime)
 * @property {string | undefined} tsconfig  tsconfig that emits the declarations, if any
 */

/** @type {Target[]} */
export const targets = [
  {
    name: 'sdk',
    entry: 'sdk/index.ts',
    outDir: 'dist/sdk',
    fileName: 'index',
    // sockjs-client is only reached through `await import('sockjs-client')`: it stays a separate,
    // lazily loaded module that the app's bundler (browser build) or Node (node build) resolves.
    external: ['sockjs-client'],
    tsconfig: 'tsconfig.sdk.json',
  },
  {
    name: 'widget',
    entry: 'widget/chat-room/chat-room.ts',
    outDir: 'dist/widget',
    fileName: 'chat-room',
    external: ['sockjs-client'],
    tsconfig: existsSync(resolve(root, 'tsconfig.widget.json')) ? 'tsconfig.widget.json' : undefined,
  },
];

/** Builds one target; returns false when its entry does not exist yet. */
export async function buildTarget(target) {
  const entry = resolve(root, target.entry);
  if (!existsSync(entry)) {
    console.log(`- ${target.name}: ${target.entry} does not exist yet, skipped`);
    return false;
  }
  const outDir = resolve(root, target.outDir);
  await rm(outDir, { recursive: true, force: true });
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      minify: true,
      sourcemap: true,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: () => `${target.fileName}.js` },
      rollupOptions: {
        external: target.external,
        // Vite keeps whitespace in ES library output; the budget is for the shipped, fully minified file.
        output: { chunkFileNames: 'chunks/[name]-[hash].js', minify: true },
      },
    },
  });
  if (target.tsconfig) {
    const tsc = resolve(root, 'node_modules/typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', resolve(root, target.tsconfig)], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${target.name}: tsc (declarations) failed`);
  }
  console.log(`✓ ${target.name}: ${target.outDir}/${target.fileName}.js`);
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const only = process.argv.slice(2);
  for (const t of targets) {
    if (only.length === 0 || only.includes(t.name)) await buildTarget(t);
  }
}

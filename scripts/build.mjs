#!/usr/bin/env node
// Library builds: one entry per target, ESM, minified, with .d.ts from tsc.
// A target whose entry does not exist yet is skipped, so later targets (the widget) only add a row.
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { minifyTemplatesPlugin } from './minify-templates.mjs';
import { buildBackend, isBackendBuilt } from './build-backend.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {object} Target
 * @property {string} name        label in the logs
 * @property {string} entry       entry file, relative to the repo root
 * @property {string} outDir      output folder, relative to the repo root
 * @property {string} fileName    output file name without extension (index → index.js)
 * @property {(string | RegExp)[]} external  modules left as imports (loaded by the app's bundler/runtime)
 * @property {string | undefined} tsconfig  tsconfig that emits the declarations, if any
 * @property {import('vite').Plugin[]} [plugins]  extra Vite plugins
 * @property {Record<string, string>} [define]  global constant replacements
 * @property {object} [output]  extra Rolldown output options
 * @property {'strict' | 'allow-extension' | 'exports-only' | false} [preserveEntrySignatures]  rollup's option (default: Vite's `strict`)
 * @property {string} [typesEntry]  declaration file (relative to outDir) that `<fileName>.d.ts` re-exports
 * @property {string} [sdkAs]  the package name the SDK is imported as: the SDK stays out of the bundle
 *   (a peer), and the declarations import it by that name too
 */

/** The widget's imports of the SDK (always its public index; a unit test keeps it so). */
const SDK_INDEX = /^(?:\.\.\/)+sdk\/index\.js$/;

/**
 * Leaves the SDK out of a widget build: `../../sdk/index.js` becomes an import of `name`, so an app
 * that uses the SDK itself ships one copy, and `instanceof`, events and types are shared. Any
 * other path into `sdk/` would be an internal the package does not export: the build fails.
 * @param {string} name
 * @returns {import('vite').Plugin}
 */
function sdkAsPeer(name) {
  return {
    name: 'parley-sdk-as-peer',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !importer.startsWith(resolve(root, 'widget'))) return null;
      if (SDK_INDEX.test(source)) return { id: name, external: true };
      if (/(^|\/)sdk\//.test(source)) this.error(`${importer}: imports ${source}; the widget may import only sdk/index.js`);
      return null;
    },
  };
}

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
    // The call layer is a lazy chunk (`room.call()`). Letting the entry export what that chunk
    // shares with it (errors, emitter, clock) keeps the initial load one file instead of
    // splitting those modules into a second small chunk (≈ 0.3 KB gzip more).
    preserveEntrySignatures: 'allow-extension',
  },
  {
    name: 'widget',
    entry: 'widget/chat-room/chat-room.ts',
    outDir: 'dist/widget',
    fileName: 'chat-room',
    // A script tag cannot resolve bare specifiers: sockjs-client is bundled, as a chunk that is
    // only fetched when the SDK falls back to SockJS (outside the initial load and its budget).
    external: [],
    tsconfig: existsSync(resolve(root, 'tsconfig.widget.json')) ? 'tsconfig.widget.json' : undefined,
    typesEntry: 'types/widget/chat-room/chat-room.js',
    plugins: [minifyTemplatesPlugin()],
    // sockjs-client (browserify-era code) reads `global` and `process.env.NODE_ENV`, which a
    // browser does not have; Vite's library mode replaces neither.
    define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
    // Everything the entry needs goes into one chunk; without this, modules shared with a lazy
    // chunk (the SDK's call layer, the create-room form) become extra small files on the first load.
    output: { codeSplitting: { groups: [{ name: 'widget', tags: ['$initial'] }] } },
  },
  {
    // `parley-chat/widget` for apps with a bundler: the same element, with the SDK and Lit left as
    // imports (`parley-chat/sdk` from this package, `lit` a peer), so the app's own SDK is the widget's.
    name: 'widget-npm',
    entry: 'widget/chat-room/chat-room.ts',
    outDir: 'dist/widget-npm',
    fileName: 'chat-room',
    external: [/^lit(\/|$)/, 'parley-chat/sdk'],
    tsconfig: 'tsconfig.widget.json',
    typesEntry: 'types/widget/chat-room/chat-room.js',
    sdkAs: 'parley-chat/sdk',
    plugins: [minifyTemplatesPlugin()],
  },
];

/**
 * Builds one target; returns false when its entry does not exist yet.
 * @param {Target} target
 * @returns {Promise<boolean>}
 */
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
    plugins: [...(target.sdkAs ? [sdkAsPeer(target.sdkAs)] : []), ...(target.plugins ?? [])],
    define: target.define ?? {},
    build: {
      outDir,
      emptyOutDir: true,
      minify: true,
      sourcemap: true,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: () => `${target.fileName}.js` },
      rollupOptions: {
        external: target.external,
        ...(target.preserveEntrySignatures ? { preserveEntrySignatures: target.preserveEntrySignatures } : {}),
        // Vite keeps whitespace in ES library output; the budget is for the shipped, fully minified file.
        output: { chunkFileNames: 'chunks/[name]-[hash].js', minify: true, ...target.output },
      },
    },
  });
  if (target.tsconfig) {
    const tsc = resolve(root, 'node_modules/typescript/bin/tsc');
    // The npm build shares tsconfig.widget.json with the script-tag bundle: its declarations go
    // to its own folder. Other targets write where their tsconfig says.
    const typesDir = resolve(outDir, 'types');
    const args = ['-p', resolve(root, target.tsconfig), ...(target.sdkAs ? ['--outDir', typesDir] : [])];
    const r = spawnSync(process.execPath, [tsc, ...args], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${target.name}: tsc (declarations) failed`);
    if (target.sdkAs) await declarationsImportSdkAs(typesDir, target.sdkAs);
    if (target.typesEntry) {
      const stub = `export * from './${target.typesEntry}';\nexport { default } from './${target.typesEntry}';\n`;
      await writeFile(resolve(outDir, `${target.fileName}.d.ts`), stub);
    }
  }
  console.log(`✓ ${target.name}: ${target.outDir}/${target.fileName}.js`);
  return true;
}

/**
 * Points the widget's declarations at the SDK package instead of the copy tsc emitted beside them
 * (`types/sdk/`, then removed): the types an app sees are those of its own `parley-chat/sdk`.
 * @param {string} typesDir
 * @param {string} name
 * @returns {Promise<void>}
 */
async function declarationsImportSdkAs(typesDir, name) {
  await rm(resolve(typesDir, 'sdk'), { recursive: true, force: true });
  const files = (await readdir(typesDir, { recursive: true })).filter((f) => f.endsWith('.d.ts'));
  for (const f of files) {
    const file = resolve(typesDir, f);
    const text = await readFile(file, 'utf8');
    const next = text.replace(/(['"])(?:\.\.\/)+sdk\/index\.js\1/g, `'${name}'`);
    if (/(['"])(?:\.\.\/)+sdk\//.test(next)) throw new Error(`${f}: declarations reach into sdk/ beyond its index`);
    if (next !== text) await writeFile(file, next);
  }
}

/**
 * Whether a target's bundle has been built.
 * @param {Target} target
 * @returns {boolean}
 */
export function isBuilt(target) {
  return existsSync(resolve(root, target.outDir, `${target.fileName}.js`));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // `--if-missing` builds only targets without output (keeps `npm start` fast on a built tree).
  const ifMissing = process.argv.includes('--if-missing');
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  for (const t of targets) {
    if (only.length > 0 && !only.includes(t.name)) continue;
    if (ifMissing && isBuilt(t)) continue;
    await buildTarget(t);
  }
  // The server is bundled by esbuild, not Vite (see build-backend.mjs); `backend` names it here too.
  if ((only.length === 0 || only.includes('backend')) && !(ifMissing && isBackendBuilt())) await buildBackend();
}

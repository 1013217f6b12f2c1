import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding Parley's package.json, found by walking up from `moduleUrl`: the same answer
 * whether the server runs from `backend/` under tsx or bundled in `dist/backend/`, so `demo/`,
 * `dist/widget/` and `node_modules/` resolve alike. Ends with a path separator.
 */
export function repoRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return `${dir}/`;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
}

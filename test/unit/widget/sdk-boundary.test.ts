import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const WIDGET = join(ROOT, 'widget');
const files = readdirSync(WIDGET, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

// Every `from '…'` and `import('…')` specifier in a file.
const specifiers = (code: string): string[] => [...code.matchAll(/(?:from\s*|import\s*\(\s*)'([^']+)'/g)].map((m) => m[1]!);

describe('the widget and the SDK', () => {
  it('the widget reaches the SDK only through its public index (the npm build turns that into `parley-chat/sdk`)', () => {
    expect(files.length).toBeGreaterThan(30);
    const offenders: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(readFileSync(join(WIDGET, file), 'utf8'))) {
        if (/(^|\/)sdk\//.test(spec) && !/^(\.\.\/)+sdk\/index\.js$/.test(spec)) offenders.push(`${file}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('every value the widget imports from the SDK is a public export of sdk/index.ts', async () => {
    const sdk = (await import('../../../sdk/index.js')) as Record<string, unknown>;
    const missing: string[] = [];
    for (const file of files) {
      const code = readFileSync(join(WIDGET, file), 'utf8');
      for (const m of code.matchAll(/import\s*\{([^}]*)\}\s*from\s*'(?:\.\.\/)+sdk\/index\.js'/g)) {
        for (const name of m[1]!.split(',').map((n) => n.trim()).filter(Boolean)) {
          if (!(name in sdk)) missing.push(`${file}: ${name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('no file under widget/ decides what an error is with instanceof (two SDK copies in one page break it)', () => {
    const offenders = files.filter((f) => /instanceof\s+ParleyError/.test(readFileSync(join(WIDGET, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});

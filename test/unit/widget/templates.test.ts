import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractTemplates, minifyTemplates } from '../../../scripts/minify-templates.mjs';

const WIDGET = join(import.meta.dirname, '../../../widget');
// Components and the template parts split out of them (chat-room/*.ts): every file with markup.
const componentFiles = readdirSync(WIDGET, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.styles.ts') && readFileSync(join(WIDGET, f), 'utf8').includes('html`'))
  .map((f) => join(WIDGET, f));

describe('widget templates', () => {
  it('contain no literal user-facing text (everything goes through translations)', () => {
    expect(componentFiles.length).toBeGreaterThanOrEqual(8);
    const offenders: string[] = [];
    for (const file of componentFiles) {
      for (const t of extractTemplates(readFileSync(file, 'utf8'))) {
        if (t.tag !== 'html') continue;
        // Expressions become a placeholder, so tags with bound attributes are stripped whole.
        const markup = t.chunks.join('\u0001');
        // Text outside tags…
        const text = markup.replace(/<[^>]*>/g, ' ');
        if (/\p{L}{2,}/u.test(text)) offenders.push(`${file}: text "${text.trim()}"`);
        // …and labelling attributes written as literals.
        for (const m of markup.matchAll(/\b(aria-label|title|placeholder|alt)="([^"]*)"/g)) {
          if (/\p{L}/u.test(m[2] ?? '')) offenders.push(`${file}: ${m[1]}="${m[2]}"`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('never render through innerHTML or unsafeHTML', () => {
    for (const file of readdirSync(WIDGET, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      const code = readFileSync(join(WIDGET, file), 'utf8');
      expect(code, file).not.toMatch(/innerHTML|outerHTML|unsafeHTML|insertAdjacentHTML|unsafeSVG|document\.write/);
    }
  });
});

describe('minifyTemplates', () => {
  it('drops formatting whitespace in html and css templates and keeps same-line spaces', () => {
    const src = 'const a = html`\n  <div>\n    <span>${x}</span> ${y}\n  </div>\n`;\nconst b = css`\n  .a {\n    color: red; /* c */\n  }\n`;';
    expect(minifyTemplates(src)).toBe('const a = html`<div><span>${x}</span> ${y} </div>`;\nconst b = css`.a{color: red}`;');
  });

  it('leaves other template literals, strings and comments alone', () => {
    const src = "// html`  x  `\nconst s = 'html`  a  `';\nconst t = `  keep\n  me  `;\nconst u = html`<p>${`  inner  `}</p>`;";
    expect(minifyTemplates(src)).toBe(src);
  });

  it('minifies templates nested in expressions', () => {
    expect(minifyTemplates('html`<ul>\n  ${items.map((i) => html`\n    <li>${i}</li>\n  `)}\n</ul>`')).toBe('html`<ul> ${items.map((i) => html`<li>${i}</li>`)} </ul>`');
  });
});

describe('lazily loaded parts', () => {
  it('list the same parts in <chat-room> as in their own files', async () => {
    const copies = await import('../../../widget/chat-room/lazy-parts.js');
    const { ROOM_FORM_PARTS } = await import('../../../widget/room-form/room-form.component.js');
    const { PASSWORD_PROMPT_PARTS } = await import('../../../widget/password-prompt/password-prompt.component.js');
    const { ROOM_LIST_PARTS } = await import('../../../widget/room-list/room-list.component.js');
    expect(copies.ROOM_LIST_PARTS).toEqual([...ROOM_LIST_PARTS]);
    expect(copies.ROOM_FORM_PARTS).toEqual([...ROOM_FORM_PARTS]);
    expect(copies.PASSWORD_PROMPT_PARTS).toEqual([...PASSWORD_PROMPT_PARTS]);
  });
});

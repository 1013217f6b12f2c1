// Shrinks the static text of Lit `html` and `css` tagged templates in TypeScript sources before
// bundling: CSS loses comments and formatting whitespace; HTML loses the indentation between tags.
// Whitespace an author wrote on one line (e.g. `</span> ${x}`) is kept, so rendering is unchanged.

/** @typedef {'html' | 'css' | undefined} TemplateTag */
/** @typedef {(tag: TemplateTag, chunk: string, first: boolean, last: boolean) => string} ChunkEdit */

/**
 * CSS: drop comments, collapse whitespace, remove it around `{ } ; ,`.
 * @param {string} text
 * @param {boolean} first
 * @param {boolean} last
 * @returns {string}
 */
function minifyCss(text, first, last) {
  let s = text;
  if (first) s = s.trimStart();
  if (last) s = s.trimEnd();
  return s
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,])\s*/g, '$1')
    .replace(/;}/g, '}');
}

/**
 * HTML: formatting whitespace (a run with a line break) between tags or at the ends goes.
 * @param {string} text
 * @param {boolean} first
 * @param {boolean} last
 * @returns {string}
 */
function minifyHtml(text, first, last) {
  let s = text.replace(/>\s*\n\s*</g, '><');
  if (first) s = s.replace(/^\s*\n\s*/, '');
  if (last) s = s.replace(/\s*\n\s*$/, '');
  return s.replace(/\s*\n\s*/g, ' ');
}

/**
 * Rewrites the static parts of `html\`…\`` and `css\`…\`` templates in `code`.
 * Understands comments, strings and nested templates; regular-expression literals containing
 * quotes or backticks are not supported (the widget's component files have none).
 * @param {string} code
 * @returns {string}
 */
export function minifyTemplates(code) {
  return rewriteTemplates(code, (tag, chunk, first, last) =>
    tag === 'css' ? minifyCss(chunk, first, last) : tag === 'html' ? minifyHtml(chunk, first, last) : chunk,
  );
}

/**
 * The static parts of every `html`/`css` tagged template in `code` (nested ones included).
 * @param {string} code
 * @returns {Array<{ tag: 'html' | 'css', chunks: string[] }>}
 */
export function extractTemplates(code) {
  /** @type {Array<{ tag: 'html' | 'css', chunks: string[] }>} */
  const found = [];
  /** @type {{ tag: 'html' | 'css', chunks: string[] } | undefined} */
  let current;
  rewriteTemplates(code, (tag, chunk, first) => {
    if (tag !== 'html' && tag !== 'css') return chunk;
    if (first) {
      current = { tag, chunks: [] };
      found.push(current);
    }
    current?.chunks.push(chunk);
    return chunk;
  });
  return found;
}

/**
 * Calls `edit(tag, chunk, isFirst, isLast)` for each static chunk of each template literal and
 * returns the code with the chunks replaced. `tag` is `html`, `css` or undefined.
 * @param {string} code
 * @param {ChunkEdit} edit
 * @returns {string}
 */
function rewriteTemplates(code, edit) {
  let i = 0;
  let out = '';
  const n = code.length;

  /**
   * Scans JS from i until an unmatched `}` (when inExpr) or the end; returns the text.
   * @param {boolean} inExpr
   * @returns {string}
   */
  function scanCode(inExpr) {
    let text = '';
    let depth = 0;
    while (i < n) {
      const c = code[i];
      const next = code[i + 1];
      if (c === '/' && next === '/') {
        const end = code.indexOf('\n', i);
        const stop = end === -1 ? n : end;
        text += code.slice(i, stop);
        i = stop;
      } else if (c === '/' && next === '*') {
        const end = code.indexOf('*/', i + 2);
        const stop = end === -1 ? n : end + 2;
        text += code.slice(i, stop);
        i = stop;
      } else if (c === '"' || c === "'") {
        let j = i + 1;
        while (j < n && code[j] !== c) j += code[j] === '\\' ? 2 : 1;
        text += code.slice(i, j + 1);
        i = j + 1;
      } else if (c === '`') {
        const tag = /** @type {TemplateTag} */ (/(?:^|[^\w$.])(html|css)\s*$/.exec(text.slice(-12))?.[1]);
        i++;
        text += '`' + scanTemplate(tag) + '`';
      } else if (inExpr && c === '{') {
        depth++;
        text += c;
        i++;
      } else if (inExpr && c === '}') {
        if (depth === 0) return text;
        depth--;
        text += c;
        i++;
      } else {
        text += c;
        i++;
      }
    }
    return text;
  }

  /**
   * Scans a template body from just after its opening backtick; leaves i after the closing one.
   * @param {TemplateTag} tag
   * @returns {string}
   */
  function scanTemplate(tag) {
    /** @type {Array<{ chunk: string, expr: string | undefined }>} */
    const parts = [];
    let chunk = '';
    while (i < n) {
      const c = code[i];
      if (c === '\\') {
        chunk += code.slice(i, i + 2);
        i += 2;
      } else if (c === '`') {
        i++;
        break;
      } else if (c === '$' && code[i + 1] === '{') {
        i += 2;
        parts.push({ chunk, expr: scanCode(true) });
        i++; // the closing brace
        chunk = '';
      } else {
        chunk += c;
        i++;
      }
    }
    parts.push({ chunk, expr: undefined });
    // Chunks are edited in source order (an expression's nested templates were edited already).
    return parts
      .map((p, k) => {
        const s = edit(tag, p.chunk, k === 0, k === parts.length - 1);
        return p.expr === undefined ? s : `${s}\${${p.expr}}`;
      })
      .join('');
  }

  out = scanCode(false);
  return out;
}

/**
 * A Vite plugin applying {@link minifyTemplates} to widget sources.
 * @returns {import('vite').Plugin}
 */
export function minifyTemplatesPlugin() {
  return {
    name: 'parley:minify-templates',
    enforce: 'pre',
    /**
     * @param {string} code
     * @param {string} id
     */
    transform(code, id) {
      if (!/\/widget\/.*\.ts$/.test(id) || !/(html|css)`/.test(code)) return null;
      return { code: minifyTemplates(code), map: null };
    },
  };
}

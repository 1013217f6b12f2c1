import { describe, expect, it } from 'vitest';
import { linkify, safeHref } from '../../../widget/model/linkify.js';

describe('linkify', () => {
  it('turns http and https URLs into links and keeps the rest as text', () => {
    expect(linkify('see https://example.com/a?b=1 and http://x.org')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.org', href: 'http://x.org/' },
    ]);
  });

  it('never links javascript:, data:, vbscript: or scheme-less text', () => {
    for (const text of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox', 'www.example.com', '//evil.example']) {
      expect(linkify(text).every((p) => p.kind === 'text'), text).toBe(true);
    }
  });

  it('leaves trailing sentence punctuation and unbalanced brackets out of the link', () => {
    const parts = linkify('(see https://example.com/path).');
    expect(parts).toEqual([
      { kind: 'text', text: '(see ' },
      { kind: 'link', text: 'https://example.com/path', href: 'https://example.com/path' },
      { kind: 'text', text: ').' },
    ]);
    expect(linkify('https://en.wikipedia.org/wiki/Foo_(bar)')[0]).toMatchObject({ kind: 'link', text: 'https://en.wikipedia.org/wiki/Foo_(bar)' });
  });

  it('stops a URL at quotes and angle brackets, so markup around it stays text', () => {
    const parts = linkify('<a href="https://evil.example/x" onclick="steal()">hi</a>');
    const links = parts.filter((p) => p.kind === 'link');
    expect(links).toEqual([{ kind: 'link', text: 'https://evil.example/x', href: 'https://evil.example/x' }]);
    expect(parts.map((p) => p.text).join('')).toBe('<a href="https://evil.example/x" onclick="steal()">hi</a>');
  });

  it('keeps every character of the input, in order', () => {
    const text = '안녕 https://예시.한국/경로?q=값 끝, http://a.b/c!';
    expect(linkify(text).map((p) => p.text).join('')).toBe(text);
  });

  it('returns no parts for empty text', () => {
    expect(linkify('')).toEqual([]);
  });
});

describe('safeHref', () => {
  it('accepts only http(s) URLs with a host', () => {
    expect(safeHref('https://example.com')).toBe('https://example.com/');
    expect(safeHref('http://')).toBeNull();
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('ftp://example.com')).toBeNull();
  });
});

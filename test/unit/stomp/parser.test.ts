import { describe, it, expect } from 'vitest';
import { FrameParser, DEFAULT_PARSER_LIMITS } from '../../../backend/stomp/parser.js';
import type { ParserOptions } from '../../../backend/stomp/parser.js';
import type { Frame } from '../../../backend/stomp/frame.js';
import { ParleyError } from '../../../backend/errors.js';
import type { ErrorCode } from '../../../backend/errors.js';

const bytes = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

function parseAll(input: Buffer | string, options?: ParserOptions): Frame[] {
  return new FrameParser(options).push(input);
}

function parseOne(input: Buffer | string, options?: ParserOptions): Frame {
  const frames = parseAll(input, options);
  expect(frames).toHaveLength(1);
  return frames[0] as Frame;
}

function errorOf(fn: () => unknown): ParleyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ParleyError);
    return e as ParleyError;
  }
  throw new Error('expected a ParleyError, nothing was thrown');
}

function expectCode(code: ErrorCode, input: Buffer | string, options?: ParserOptions): void {
  expect(errorOf(() => new FrameParser(options).push(input)).code).toBe(code);
}

describe('FrameParser: framing', () => {
  it('parses command, headers in wire order and body', () => {
    const f = parseOne(bytes('SEND\ndestination:/topic/a\nx-id:7\n\nhello\0'));
    expect(f.command).toBe('SEND');
    expect(f.rawHeaders).toEqual([
      ['destination', '/topic/a'],
      ['x-id', '7'],
    ]);
    expect(f.headers).toEqual(new Map([['destination', '/topic/a'], ['x-id', '7']]));
    expect(f.body).toEqual(Buffer.from('hello'));
  });

  it('accepts CRLF line endings and drops the CR before LF', () => {
    const f = parseOne(bytes('SEND\r\ndestination:/a\r\n\r\nhi\0'));
    expect(f.command).toBe('SEND');
    expect(f.rawHeaders).toEqual([['destination', '/a']]);
    expect(f.body).toEqual(Buffer.from('hi'));
  });

  it('keeps a CR that is not followed by LF as part of the value', () => {
    const f = parseOne(bytes('SEND\ndestination:/a\rb\n\n\0'));
    expect(f.headers.get('destination')).toBe('/a\rb');
  });

  it('treats a chunk holding only LF or CRLF as a heart-beat', () => {
    const p = new FrameParser();
    expect(p.push('\n')).toEqual([]);
    expect(p.pending).toBe(false);
    expect(p.push(Buffer.from('\r\n'))).toEqual([]);
    expect(p.push('\r')).toEqual([]);
    expect(p.push('\n')).toEqual([]);
    expect(p.pending).toBe(false);
  });

  it('skips any number of EOLs before and between frames packed into one chunk', () => {
    const frames = parseAll(bytes('\n\r\n\nSEND\ndestination:/a\n\none\0\r\n\n\r\nSEND\ndestination:/b\n\ntwo\0\nDISCONNECT\n\n\0\n'));
    expect(frames.map((f) => [f.command, f.headers.get('destination'), f.body.toString()])).toEqual([
      ['SEND', '/a', 'one'],
      ['SEND', '/b', 'two'],
      ['DISCONNECT', undefined, ''],
    ]);
  });

  it('rejects a CR between frames that is not followed by LF', () => {
    expectCode('BAD_COMMAND', bytes('\rSEND\n\n\0'));
  });

  it('reports pending only while a frame is incomplete', () => {
    const p = new FrameParser();
    expect(p.pending).toBe(false);
    expect(p.push('SEND\ndest')).toEqual([]);
    expect(p.pending).toBe(true);
    expect(p.push('ination:/a\n\nbody')).toEqual([]);
    expect(p.pending).toBe(true);
    expect(p.push('\0')).toHaveLength(1);
    expect(p.pending).toBe(false);
  });

  it('parses text and the same bytes identically', () => {
    const text = 'SEND\ndestination:/안녕\n\n안녕\0';
    expect(parseAll(text)).toEqual(parseAll(Buffer.from(text, 'utf8')));
  });

  it('joins a surrogate pair split across two text chunks', () => {
    const p = new FrameParser();
    const text = 'SEND\ndestination:/a\n\n😀\0';
    const cut = text.indexOf('😀') + 1;
    expect(p.push(text.slice(0, cut))).toEqual([]);
    const [f] = p.push(text.slice(cut));
    expect(f?.body).toEqual(Buffer.from('😀', 'utf8'));
  });

  it('does not alias the caller chunk in the frame or in buffered partial data', () => {
    const p = new FrameParser();
    const first = bytes('SEND\ndestination:/a\ncontent-length:4\n\nab');
    const second = bytes('cd\0');
    expect(p.push(first)).toEqual([]);
    first.fill(0x78);
    const [f] = p.push(second);
    second.fill(0x78);
    expect(f?.body).toEqual(Buffer.from('abcd'));
    expect(f?.headers.get('destination')).toBe('/a');
  });
});

describe('FrameParser: commands', () => {
  it('is case-sensitive', () => {
    expectCode('BAD_COMMAND', 'send\ndestination:/a\n\n\0');
    expectCode('BAD_COMMAND', 'SEND \ndestination:/a\n\n\0');
  });

  it('accepts only client commands by default', () => {
    expectCode('BAD_COMMAND', 'MESSAGE\ndestination:/a\n\n\0');
    expectCode('BAD_COMMAND', 'CONNECTED\nversion:1.2\n\n\0');
    for (const c of ['CONNECT', 'STOMP', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT', 'DISCONNECT']) {
      expect(parseOne(`${c}\n\n\0`).command).toBe(c);
    }
  });

  it('accepts server commands with accept: server, and everything with accept: any', () => {
    expect(parseOne('MESSAGE\n\nx\0', { accept: 'server' }).command).toBe('MESSAGE');
    expect(parseOne('RECEIPT\nreceipt-id:1\n\n\0', { accept: 'server' }).command).toBe('RECEIPT');
    expectCode('BAD_COMMAND', 'SEND\n\n\0', { accept: 'server' });
    expect(parseAll('SEND\n\n\0ERROR\n\n\0', { accept: 'any' }).map((f) => f.command)).toEqual(['SEND', 'ERROR']);
  });

  it('rejects an over-long command line before its EOL arrives', () => {
    const p = new FrameParser();
    expect(errorOf(() => p.push('X'.repeat(100))).code).toBe('BAD_COMMAND');
  });

  it('rejects unknown accept values and invalid limits', () => {
    expect(() => new FrameParser({ accept: 'all' as never })).toThrow(RangeError);
    expect(() => new FrameParser({ maxFrameBytes: 0 })).toThrow(RangeError);
    expect(() => new FrameParser({ maxHeaderLineBytes: 1.5 })).toThrow(RangeError);
    expect(() => new FrameParser({ maxHeaders: -1 })).toThrow(RangeError);
  });
});

describe('FrameParser: headers', () => {
  it('never trims values and splits at the first colon', () => {
    const f = parseOne('SUBSCRIBE\nid: X\ndestination:/a \nselector:a:b\n\n\0');
    expect(f.headers.get('id')).toBe(' X');
    expect(f.headers.get('destination')).toBe('/a ');
    expect(f.headers.get('selector')).toBe('a:b');
  });

  it('keeps the first of repeated headers in the map and all of them in rawHeaders', () => {
    const f = parseOne('SEND\nfoo:1\nfoo:2\nbar:\n\n\0');
    expect(f.headers.get('foo')).toBe('1');
    expect(f.headers.get('bar')).toBe('');
    expect(f.rawHeaders).toEqual([['foo', '1'], ['foo', '2'], ['bar', '']]);
  });

  it('rejects a header line without a colon or with an empty name', () => {
    expectCode('MALFORMED_HEADER', 'SEND\ndestination\n\n\0');
    expectCode('MALFORMED_HEADER', 'SEND\n:value\n\n\0');
  });

  it('decodes \\r \\n \\c \\\\ in names and values', () => {
    const f = parseOne(bytes('SEND\na\\cb\\\\:x\\r\\ny\\cz\\\\\\\\\n\n\0'));
    expect(f.rawHeaders).toEqual([['a:b\\', 'x\r\ny:z\\\\']]);
  });

  it('rejects undefined escapes and a trailing lone backslash', () => {
    expectCode('BAD_ESCAPE', bytes('SEND\nx:a\\tb\n\n\0'));
    expectCode('BAD_ESCAPE', bytes('SEND\nx\\t:a\n\n\0'));
    expectCode('BAD_ESCAPE', bytes('SEND\nx:a\\\n\n\0'));
  });

  it('does not unescape CONNECT, STOMP or CONNECTED headers', () => {
    for (const c of ['CONNECT', 'STOMP']) {
      const f = parseOne(bytes(`${c}\nlogin:a\\tb\npasscode:p:w\\\n\n\0`));
      expect(f.rawHeaders).toEqual([['login', 'a\\tb'], ['passcode', 'p:w\\']]);
    }
    expect(parseOne(bytes('CONNECTED\nserver:x\\c\n\n\0'), { accept: 'server' }).headers.get('server')).toBe('x\\c');
  });

  it('decodes UTF-8 in names and values', () => {
    const f = parseOne(bytes('SEND\n이름:안녕\n\n\0'));
    expect(f.headers.get('이름')).toBe('안녕');
  });
});

describe('FrameParser: body and content-length', () => {
  it('reads exactly content-length octets, NULs included', () => {
    const f = parseOne(bytes('SEND\ncontent-length:5\n\n', [0x61, 0x00, 0x00, 0x62, 0x00], [0x00]));
    expect(f.body).toEqual(Buffer.from([0x61, 0x00, 0x00, 0x62, 0x00]));
    expect(f.headers.get('content-length')).toBe('5');
  });

  it('counts content-length in octets for UTF-8 bodies', () => {
    expect(parseOne(bytes('SEND\ncontent-length:6\n\n안녕\0')).body.toString('utf8')).toBe('안녕');
  });

  it('requires NUL right after the content-length body', () => {
    expectCode('MISSING_NUL', bytes('SEND\ncontent-length:2\n\nabc\0'));
    const p = new FrameParser();
    expect(p.push('SEND\ncontent-length:2\n\nab')).toEqual([]);
    expect(errorOf(() => p.push('\n')).code).toBe('MISSING_NUL');
  });

  it('uses the first content-length when repeated', () => {
    expect(parseOne(bytes('SEND\ncontent-length:1\ncontent-length:9\n\na\0')).body.toString()).toBe('a');
  });

  it('rejects a content-length that is not a non-negative decimal integer', () => {
    for (const v of ['-1', '1.5', ' 3', '3 ', '', 'abc', '0x10', '+3', '1e2']) {
      expectCode('BAD_CONTENT_LENGTH', `SEND\ncontent-length:${v}\n\n\0`);
    }
    expect(parseOne('SEND\ncontent-length:003\n\nabc\0').body.toString()).toBe('abc');
  });

  it('rejects an over-limit content-length as soon as the headers end, before the body', () => {
    const p = new FrameParser();
    expect(errorOf(() => p.push('SEND\ncontent-length:70000\n\n')).code).toBe('FRAME_TOO_LARGE');
    expectCode('FRAME_TOO_LARGE', 'SEND\ncontent-length:99999999999999999999999\n\n');
  });

  it('runs a body without content-length to the first NUL', () => {
    const frames = parseAll(bytes('SEND\n\nab', [0], 'SEND\n\n', [0]));
    expect(frames.map((f) => f.body.toString())).toEqual(['ab', '']);
  });

  it('allows a body only on SEND, MESSAGE and ERROR', () => {
    expectCode('BODY_NOT_ALLOWED', 'SUBSCRIBE\nid:1\ndestination:/a\n\nx\0');
    expectCode('BODY_NOT_ALLOWED', 'ACK\nid:1\ncontent-length:1\n\nx\0');
    expectCode('BODY_NOT_ALLOWED', 'DISCONNECT\n\n\n\0');
    expect(parseOne('UNSUBSCRIBE\nid:1\ncontent-length:0\n\n\0').body.length).toBe(0);
    expect(parseOne('ERROR\nmessage:x\n\ndetails\0', { accept: 'server' }).body.toString()).toBe('details');
  });

  it('rejects a body on a body-less command before its NUL arrives', () => {
    const p = new FrameParser();
    expect(errorOf(() => p.push('BEGIN\ntransaction:t\n\nxx')).code).toBe('BODY_NOT_ALLOWED');
  });
});

describe('FrameParser: limits', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_PARSER_LIMITS).toEqual({ maxFrameBytes: 65536, maxHeaders: 32, maxHeaderLineBytes: 8192 });
  });

  it('allows maxHeaders headers and rejects one more', () => {
    expect(parseOne('SEND\na:1\nb:2\n\n\0', { maxHeaders: 2 }).rawHeaders).toHaveLength(2);
    expectCode('TOO_MANY_HEADERS', 'SEND\na:1\nb:2\na:3\n\n\0', { maxHeaders: 2 });
  });

  it('allows a header line of maxHeaderLineBytes (EOL excluded) and rejects a longer one', () => {
    const opts = { maxHeaderLineBytes: 10 };
    expect(parseOne('SEND\nabcd:12345\n\n\0', opts).headers.get('abcd')).toBe('12345');
    expect(parseOne('SEND\r\nabcd:12345\r\n\r\n\0', opts).headers.get('abcd')).toBe('12345');
    expectCode('HEADER_TOO_LONG', 'SEND\nabcd:123456\n\n\0', opts);
    expectCode('HEADER_TOO_LONG', 'SEND\r\nabcd:123456\r\n\r\n\0', opts);
  });

  it('rejects an over-long header line before its EOL arrives', () => {
    const p = new FrameParser();
    p.push('SEND\nx:');
    expect(errorOf(() => p.push('y'.repeat(9000))).code).toBe('HEADER_TOO_LONG');
  });

  it('counts headers and body toward maxFrameBytes', () => {
    // "SEND\n" + "\n" + "abc" = 9 octets; with content-length: 5 + 17 + 1 + 3 = 26.
    expect(parseOne('SEND\n\nabc\0', { maxFrameBytes: 9 }).body.toString()).toBe('abc');
    expectCode('FRAME_TOO_LARGE', 'SEND\n\nabc\0', { maxFrameBytes: 8 });
    expect(parseOne('SEND\ncontent-length:3\n\nabc\0', { maxFrameBytes: 26 }).body.toString()).toBe('abc');
    expectCode('FRAME_TOO_LARGE', 'SEND\ncontent-length:3\n\n', { maxFrameBytes: 25 });
    expectCode('FRAME_TOO_LARGE', 'SEND\n' + 'h:v\n'.repeat(20), { maxFrameBytes: 64, maxHeaders: 100 });
  });

  it('rejects an over-limit body without content-length before its NUL arrives', () => {
    const p = new FrameParser();
    p.push('SEND\ndestination:/a\n\n');
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    expect(p.push(chunk)).toEqual([]);
    expect(p.push(chunk)).toEqual([]);
    expect(p.push(chunk)).toEqual([]);
    expect(errorOf(() => p.push(chunk)).code).toBe('FRAME_TOO_LARGE');
  });

  it('is unusable after a violation', () => {
    const p = new FrameParser();
    const first = errorOf(() => p.push('send\n\n\0'));
    expect(errorOf(() => p.push('SEND\n\n\0'))).toBe(first);
  });
});

describe('FrameParser: chunk boundaries', () => {
  // Korean text in headers and bodies, NULs inside a content-length body (one right before the terminator), EOLs between frames.
  const fixture = bytes(
    '\r\n',
    'SEND\r\ndestination:/topic/안녕\nx-greet:안녕\\c\\n\ncontent-length:8\n\n',
    '안',
    [0x00],
    '녕',
    [0x00],
    [0x00],
    '\n\r\n',
    'SEND\ndestination:/b\nx:안녕\n\n본문 안녕',
    [0x00],
    '\n',
    'DISCONNECT\nreceipt:77\n\n',
    [0x00],
  );
  const reference = parseAll(fixture);

  it('parses the reference fixture as expected', () => {
    expect(reference.map((f) => f.command)).toEqual(['SEND', 'SEND', 'DISCONNECT']);
    expect(reference[0]?.headers.get('destination')).toBe('/topic/안녕');
    expect(reference[0]?.headers.get('x-greet')).toBe('안녕:\n');
    expect(reference[0]?.body).toEqual(bytes('안', [0], '녕', [0]));
    expect(reference[1]?.body.toString('utf8')).toBe('본문 안녕');
    expect(reference[2]?.headers.get('receipt')).toBe('77');
  });

  it('gives identical frames when split into two chunks at every offset', () => {
    for (let cut = 0; cut <= fixture.length; cut++) {
      const p = new FrameParser();
      const frames = [...p.push(fixture.subarray(0, cut)), ...p.push(fixture.subarray(cut))];
      expect(frames, `cut at ${cut}`).toEqual(reference);
      expect(p.pending).toBe(false);
    }
  });

  it('gives identical frames when split into three chunks at every pair of offsets', () => {
    for (let a = 0; a <= fixture.length; a++) {
      for (let b = a; b <= fixture.length; b++) {
        const p = new FrameParser();
        const frames = [
          ...p.push(fixture.subarray(0, a)),
          ...p.push(fixture.subarray(a, b)),
          ...p.push(fixture.subarray(b)),
        ];
        expect(frames, `cuts at ${a}, ${b}`).toEqual(reference);
      }
    }
  });

  it('gives identical frames when fed one byte at a time', () => {
    const p = new FrameParser();
    const frames: Frame[] = [];
    for (let i = 0; i < fixture.length; i++) frames.push(...p.push(fixture.subarray(i, i + 1)));
    expect(frames).toEqual(reference);
  });
});

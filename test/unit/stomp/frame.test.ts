import { describe, it, expect } from 'vitest';
import {
  CLIENT_COMMANDS,
  PreparedMessage,
  encodeFrame,
  escapeHeader,
  makeFrame,
} from '../../../backend/stomp/frame.js';
import type { StompCommand } from '../../../backend/stomp/frame.js';
import { FrameParser } from '../../../backend/stomp/parser.js';

const bytes = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('escapeHeader', () => {
  it('escapes backslash, LF, CR and colon', () => {
    expect(escapeHeader('a\\b\nc\rd:e')).toBe(String.raw`a\\b\nc\rd\ce`);
    expect(escapeHeader('\\n')).toBe(String.raw`\\n`);
  });

  it('leaves other text, including UTF-8 and tabs, alone', () => {
    expect(escapeHeader('안녕 /topic/x\t')).toBe('안녕 /topic/x\t');
  });
});

describe('makeFrame', () => {
  it('keeps repeats in rawHeaders, the first in headers, and skips undefined values', () => {
    const f = makeFrame('SEND', [['a', '1'], ['a', '2']], 'hi');
    expect(f.rawHeaders).toEqual([['a', '1'], ['a', '2']]);
    expect(f.headers.get('a')).toBe('1');
    expect(f.body).toEqual(Buffer.from('hi'));
    const g = makeFrame('SUBSCRIBE', { id: '1', receipt: undefined });
    expect(g.rawHeaders).toEqual([['id', '1']]);
    expect(g.body.length).toBe(0);
  });
});

describe('encodeFrame', () => {
  it('escapes header names and values', () => {
    expect(encodeFrame('SEND', { destination: '/a', 'k:\\\n\r': 'v:\\\n\r' }, '')).toEqual(
      bytes('SEND\ndestination:/a\n', String.raw`k\c\\\n\r:v\c\\\n\r`, '\ncontent-length:0\n\n', [0]),
    );
  });

  it('does not escape CONNECTED or CONNECT headers and adds no content-length', () => {
    expect(encodeFrame('CONNECTED', { version: '1.2', server: 'parley\\1', session: 'a:b' })).toEqual(
      bytes('CONNECTED\nversion:1.2\nserver:parley\\1\nsession:a:b\n\n', [0]),
    );
    expect(encodeFrame('CONNECT', { login: 'u', passcode: 'p\\c' })).toEqual(bytes('CONNECT\nlogin:u\npasscode:p\\c\n\n', [0]));
  });

  it('refuses what an unescaped frame cannot carry', () => {
    expect(() => encodeFrame('CONNECTED', { message: 'a\nb' })).toThrow(RangeError);
    expect(() => encodeFrame('CONNECT', { 'a:b': 'x' })).toThrow(RangeError);
  });

  it('counts content-length in octets for Korean text', () => {
    expect(encodeFrame('SEND', { destination: '/a' }, '안녕')).toEqual(
      bytes('SEND\ndestination:/a\ncontent-length:6\n\n안녕', [0]),
    );
  });

  it('counts content-length for a body containing NUL', () => {
    expect(encodeFrame('MESSAGE', { destination: '/a' }, Buffer.from([0x61, 0x00, 0x62]))).toEqual(
      bytes('MESSAGE\ndestination:/a\ncontent-length:3\n\n', [0x61, 0x00, 0x62, 0x00]),
    );
  });

  it('adds content-length:0 on SEND, MESSAGE and ERROR without a body, and never on other commands', () => {
    expect(encodeFrame('ERROR', { message: 'bad' })).toEqual(bytes('ERROR\nmessage:bad\ncontent-length:0\n\n', [0]));
    expect(encodeFrame('RECEIPT', { 'receipt-id': '7' })).toEqual(bytes('RECEIPT\nreceipt-id:7\n\n', [0]));
    expect(encodeFrame('SUBSCRIBE', [['id', '1'], ['destination', '/a']])).toEqual(
      bytes('SUBSCRIBE\nid:1\ndestination:/a\n\n', [0]),
    );
  });

  it('keeps a caller content-length in place, and refuses one that does not match the body', () => {
    expect(encodeFrame('SEND', { 'content-length': '2', destination: '/a' }, 'hi')).toEqual(
      bytes('SEND\ncontent-length:2\ndestination:/a\n\nhi', [0]),
    );
    expect(() => encodeFrame('SEND', { 'content-length': '3' }, 'hi')).toThrow(RangeError);
  });

  it('skips undefined values and keeps repeated pairs in order', () => {
    expect(encodeFrame('ACK', { id: '1', transaction: undefined })).toEqual(bytes('ACK\nid:1\n\n', [0]));
    expect(encodeFrame('SEND', [['x', '1'], ['x', '2']])).toEqual(bytes('SEND\nx:1\nx:2\ncontent-length:0\n\n', [0]));
  });

  it('refuses a body on a command that may not have one, and an empty header name', () => {
    expect(() => encodeFrame('SUBSCRIBE', { id: '1' }, 'x')).toThrow(RangeError);
    expect(() => encodeFrame('SEND', { '': 'x' })).toThrow(RangeError);
  });

  it('round-trips through the parser', () => {
    const cases: Array<[StompCommand, Array<[string, string]>, Buffer]> = [
      ['CONNECT', [['accept-version', '1.2'], ['host', 'h'], ['passcode', 'a:b\\c']], Buffer.alloc(0)],
      ['STOMP', [['login', 'x\\ny']], Buffer.alloc(0)],
      ['CONNECTED', [['version', '1.2'], ['heart-beat', '10000,10000']], Buffer.alloc(0)],
      ['SEND', [['destination', '/topic/안녕'], ['x-weird', 'a:b\\c\nd\re'], ['x-weird', 'second']], Buffer.from('안녕\0하세요')],
      ['SEND', [], Buffer.alloc(0)],
      ['MESSAGE', [['subscription', 's:1'], ['message-id', 'm\\1'], ['destination', '/a']], Buffer.from([0, 0, 0])],
      ['ERROR', [['message', 'line1\nline2'], ['receipt-id', 'r']], Buffer.from('details')],
      ['RECEIPT', [['receipt-id', '42']], Buffer.alloc(0)],
      ...[...CLIENT_COMMANDS]
        .filter((c) => c !== 'SEND')
        .map((c): [StompCommand, Array<[string, string]>, Buffer] => [c as StompCommand, [['receipt', `r-${c}`]], Buffer.alloc(0)]),
    ];
    const parser = new FrameParser({ accept: 'any' });
    for (const [command, headers, body] of cases) {
      const frames = parser.push(encodeFrame(command, headers, body));
      expect(frames).toHaveLength(1);
      const f = frames[0];
      expect(f?.command).toBe(command);
      expect(f?.body).toEqual(body);
      expect(f?.rawHeaders.filter(([n]) => n !== 'content-length')).toEqual(headers);
    }
    expect(parser.pending).toBe(false);
  });
});

describe('PreparedMessage', () => {
  const body = Buffer.from('안녕 {"text":"hi"}\0!', 'utf8');
  const extra = { 'x-seq': '42', 'x-from': 'kim:민수', 'content-type': 'application/json' };

  it('is byte-identical to encodeFrame with subscription, message-id, ack, destination, extras', () => {
    const m = new PreparedMessage('/topic/room.안녕', extra, body);
    const withAck = encodeFrame(
      'MESSAGE',
      { subscription: 'sub-0', 'message-id': 'm-1', ack: 'a-1', destination: '/topic/room.안녕', ...extra },
      body,
    );
    const withoutAck = encodeFrame('MESSAGE', { subscription: 'sub-0', 'message-id': 'm-1', destination: '/topic/room.안녕', ...extra }, body);
    expect(m.forSubscriber('sub-0', 'm-1', 'a-1')).toEqual(withAck);
    expect(m.forSubscriber('sub-0', 'm-1')).toEqual(withoutAck);
  });

  it('escapes per-subscriber header values', () => {
    const m = new PreparedMessage('/a', [], 'x');
    expect(m.forSubscriber('s:1\n', 'm\\1', 'a\r')).toEqual(
      bytes('MESSAGE\n', String.raw`subscription:s\c1\n`, '\n', String.raw`message-id:m\\1`, '\n', String.raw`ack:a\r`, '\ndestination:/a\ncontent-length:1\n\nx', [0]),
    );
  });

  it('shares one tail across subscribers', () => {
    const m = new PreparedMessage('/topic/a', extra, body);
    expect(m.tailBytes).toBe(m.tail.length);
    for (const [sub, id] of [['1', 'a'], ['22', 'bb'], ['333', 'ccc']] as const) {
      const frame = m.forSubscriber(sub, id);
      expect(frame.subarray(-m.tail.length)).toEqual(m.tail);
      expect(frame.length).toBe(Buffer.byteLength(`MESSAGE\nsubscription:${sub}\nmessage-id:${id}\n`) + m.tailBytes);
    }
    expect(m.tail.subarray(-body.length - 1)).toEqual(Buffer.concat([body, Buffer.from([0])]));
  });

  it('gives the same frame as text', () => {
    const m = new PreparedMessage('/topic/안녕', extra, body);
    for (const ack of [undefined, 'ack:1']) {
      expect(m.forSubscriberText('s', 'm', ack)).toBe(m.forSubscriber('s', 'm', ack).toString('utf8'));
    }
  });

  it('produces frames the parser reads back', () => {
    const m = new PreparedMessage('/topic/a', extra, body);
    const [f] = new FrameParser({ accept: 'server' }).push(m.forSubscriber('s-1', 'm-9', 'k'));
    expect(f?.headers).toEqual(
      new Map([
        ['subscription', 's-1'],
        ['message-id', 'm-9'],
        ['ack', 'k'],
        ['destination', '/topic/a'],
        ['x-seq', '42'],
        ['x-from', 'kim:민수'],
        ['content-type', 'application/json'],
        ['content-length', String(body.length)],
      ]),
    );
    expect(f?.body).toEqual(body);
  });

  it('exposes destination, headers and body for inspection', () => {
    const m = new PreparedMessage('/topic/a', [['x-seq', '1'], ['x-seq', '2']], 'hi');
    expect(m.destination).toBe('/topic/a');
    expect(m.headers.get('x-seq')).toBe('1');
    expect(m.headers.get('destination')).toBe('/topic/a');
    expect(m.body).toEqual(Buffer.from('hi'));
  });

  it('refuses headers it writes itself', () => {
    for (const name of ['subscription', 'message-id', 'ack', 'destination', 'content-length']) {
      expect(() => new PreparedMessage('/a', { [name]: 'x' }, '')).toThrow(RangeError);
    }
  });
});

describe('STOMP 1.0 encoding (no escapes)', () => {
  it('writes header values as they are; CR and LF, which 1.0 cannot carry, become spaces', () => {
    const bytes = encodeFrame('MESSAGE', { destination: '/t', 'x-time': '12:30', 'x-path': 'C:\\temp', 'x-multi': 'a\nb' }, '', 'stomp10');
    expect(bytes.toString()).toBe('MESSAGE\ndestination:/t\nx-time:12:30\nx-path:C:\\temp\nx-multi:a b\ncontent-length:0\n\n\0');
  });

  it('PreparedMessage builds the 1.0 variant once, lazily, byte-identical to encodeFrame', () => {
    const m = new PreparedMessage('/t', { 'x-time': '12:30' }, 'hi');
    const expected = encodeFrame('MESSAGE', { subscription: 's', 'message-id': 'm', ack: 'a', destination: '/t', 'x-time': '12:30' }, 'hi', 'stomp10');
    expect(m.forSubscriber('s', 'm', 'a', 'stomp10')).toEqual(expected);
    expect(m.forSubscriberText('s', 'm', 'a', 'stomp10')).toBe(expected.toString());
    expect(m.forSubscriber('s', 'm', 'a')).toEqual(encodeFrame('MESSAGE', { subscription: 's', 'message-id': 'm', ack: 'a', destination: '/t', 'x-time': '12:30' }, 'hi'));
  });
});

describe('FrameParser pauseAfterConnect', () => {
  it('stops after CONNECT and parses what follows with the escaping resume() names', () => {
    const p = new FrameParser({ pauseAfterConnect: true });
    const first = p.push('CONNECT\nlogin:x\n\n\0SEND\ndestination:/q\nx-path:C:\\temp\n\n\0');
    expect(first.map((f) => f.command)).toEqual(['CONNECT']);
    expect(p.isPaused).toBe(true);
    expect(p.push('SEND\ndestination:/q\n\n\0')).toEqual([]);
    const rest = p.resume(false);
    expect(rest.map((f) => f.headers.get('x-path') ?? f.command)).toEqual(['C:\\temp', 'SEND']);
    expect(p.isPaused).toBe(false);
  });

  it('with escaping on, the same bytes are a BAD_ESCAPE', () => {
    const p = new FrameParser({ pauseAfterConnect: true });
    p.push('STOMP\naccept-version:1.2\n\n\0SEND\ndestination:/q\nx-path:C:\\temp\n\n\0');
    expect(() => p.resume(true)).toThrow(expect.objectContaining({ code: 'BAD_ESCAPE' }));
  });
});

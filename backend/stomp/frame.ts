/**
 * STOMP 1.2 frame types and the encoder. No I/O.
 *
 * Spec: https://stomp.github.io/stomp-specification-1.2.html#STOMP_Frames
 */
import { isUtf8 } from 'node:buffer';

export type StompCommand =
  | 'CONNECT'
  | 'STOMP'
  | 'CONNECTED'
  | 'SEND'
  | 'SUBSCRIBE'
  | 'UNSUBSCRIBE'
  | 'ACK'
  | 'NACK'
  | 'BEGIN'
  | 'COMMIT'
  | 'ABORT'
  | 'DISCONNECT'
  | 'MESSAGE'
  | 'RECEIPT'
  | 'ERROR';

/** Commands a client may send (https://stomp.github.io/stomp-specification-1.2.html#Client_Frames). */
export const CLIENT_COMMANDS: ReadonlySet<string> = new Set<StompCommand>([
  'CONNECT',
  'STOMP',
  'SEND',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'ACK',
  'NACK',
  'BEGIN',
  'COMMIT',
  'ABORT',
  'DISCONNECT',
]);

/** Commands a server may send (https://stomp.github.io/stomp-specification-1.2.html#Server_Frames). */
export const SERVER_COMMANDS: ReadonlySet<string> = new Set<StompCommand>(['CONNECTED', 'MESSAGE', 'RECEIPT', 'ERROR']);

/** The only commands that may carry a body (https://stomp.github.io/stomp-specification-1.2.html#Body). */
export const BODY_COMMANDS: ReadonlySet<string> = new Set<StompCommand>(['SEND', 'MESSAGE', 'ERROR']);

/**
 * Commands whose headers are neither escaped nor unescaped. The spec names CONNECT and CONNECTED
 * (https://stomp.github.io/stomp-specification-1.2.html#Value_Encoding); STOMP is CONNECT under
 * another name, so it is treated the same way and encode→parse round-trips for all three.
 */
export const UNESCAPED_COMMANDS: ReadonlySet<string> = new Set<StompCommand>(['CONNECT', 'STOMP', 'CONNECTED']);

export interface Frame {
  readonly command: StompCommand;
  /** Decoded headers in wire order, repeats kept. */
  readonly rawHeaders: ReadonlyArray<readonly [string, string]>;
  /** First occurrence wins (STOMP 1.2 "Repeated Header Entries"). */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

/** Headers as ordered pairs, or as an object whose `undefined` values are skipped. */
export type HeaderInput = Iterable<readonly [string, string]> | Record<string, string | undefined>;

function* headerEntries(headers: HeaderInput): Generator<readonly [string, string]> {
  const pairs: Iterable<readonly [string, string | undefined]> =
    Symbol.iterator in headers ? (headers as Iterable<readonly [string, string]>) : Object.entries(headers);
  for (const [name, value] of pairs) {
    if (value !== undefined) yield [name, value];
  }
}

function toBody(body: Buffer | string | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** Builds a {@link Frame} value; `headers` keeps the first of repeated names. The body is not copied. */
export function makeFrame(command: StompCommand, headers: HeaderInput, body?: Buffer | string): Frame {
  const rawHeaders: Array<readonly [string, string]> = [];
  const map = new Map<string, string>();
  for (const [name, value] of headerEntries(headers)) {
    rawHeaders.push([name, value]);
    if (!map.has(name)) map.set(name, value);
  }
  return { command, rawHeaders, headers: map, body: toBody(body) };
}

const NEEDS_ESCAPE = /[\\\r\n:]/;
const ESCAPABLE = /[\\\r\n:]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\r': '\\r', '\n': '\\n', ':': '\\c' };

/**
 * Escape a header name or value per STOMP 1.2 (`\\` `\n` `\r` `\c`).
 * The encoder does not call it for CONNECT/CONNECTED (and STOMP) frames, whose headers go out as they are.
 * https://stomp.github.io/stomp-specification-1.2.html#Value_Encoding
 */
export function escapeHeader(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPABLE, (c) => ESCAPES[c] as string) : s;
}

/**
 * How header text is written: `escape` (STOMP 1.1/1.2), `verbatim` (CONNECT/CONNECTED: as is, and
 * a RangeError for what cannot be carried) or `stomp10` (STOMP 1.0, which has no escaping at all:
 * CR and LF, and a ':' in a name, cannot be carried and become spaces).
 */
export type HeaderEncoding = 'escape' | 'verbatim' | 'stomp10';

/** One `name:value\n` line, encoded as `encoding` says. */
export function headerLine(name: string, value: string, encoding: HeaderEncoding): string {
  if (name === '') throw new RangeError('A STOMP header name may not be empty');
  if (encoding === 'escape') return `${escapeHeader(name)}:${escapeHeader(value)}\n`;
  if (encoding === 'stomp10') return `${name.replace(/[\r\n:]/g, ' ')}:${value.replace(/[\r\n]/g, ' ')}\n`;
  // Unescaped frames cannot represent these characters at all; sending them would corrupt the framing.
  if (/[\r\n:]/.test(name) || /[\r\n]/.test(value)) {
    throw new RangeError(`Header ${JSON.stringify(name)} cannot be sent unescaped (CR, LF or ':' in the name, CR or LF in the value)`);
  }
  return `${name}:${value}\n`;
}

/** Writes `head` (UTF-8) + `body` + NUL into one freshly allocated buffer. */
function assemble(head: string, body: Buffer, alloc: (size: number) => Buffer = Buffer.allocUnsafe): Buffer {
  const headBytes = Buffer.byteLength(head, 'utf8');
  const out = alloc(headBytes + body.length + 1);
  out.write(head, 0, 'utf8');
  body.copy(out, headBytes);
  out[out.length - 1] = 0;
  return out;
}

/**
 * Serialise a frame to bytes. Headers are escaped unless the command is CONNECT/CONNECTED (or STOMP)
 * or `encoding` is `stomp10` (a STOMP 1.0 peer, which knows no escapes).
 * Always adds `content-length` (octets) when the command may have a body (SEND, MESSAGE, ERROR) and
 * the caller did not give one, even for an empty body. Header values that are `undefined` are skipped.
 *
 * @throws RangeError for a body on a command that may not have one, a `content-length` that does not
 *   match the body, an empty header name, or characters an unescaped frame cannot carry.
 */
export function encodeFrame(command: StompCommand, headers: HeaderInput, body?: Buffer | string, encoding: 'escape' | 'stomp10' = 'escape'): Buffer {
  const bodyBuf = toBody(body);
  const mayHaveBody = BODY_COMMANDS.has(command);
  if (bodyBuf.length > 0 && !mayHaveBody) throw new RangeError(`A ${command} frame may not have a body`);
  const escape: HeaderEncoding = UNESCAPED_COMMANDS.has(command) ? 'verbatim' : encoding;
  let head = `${command}\n`;
  let hasLength = false;
  for (const [name, value] of headerEntries(headers)) {
    if (name === 'content-length') {
      if (value !== String(bodyBuf.length)) {
        throw new RangeError(`content-length ${JSON.stringify(value)} does not match the ${bodyBuf.length}-octet body`);
      }
      hasLength = true;
    }
    head += headerLine(name, value, escape);
  }
  // A body may contain NUL, so the reader can only find its end from content-length.
  if (mayHaveBody && !hasLength) head += `content-length:${bodyBuf.length}\n`;
  return assemble(`${head}\n`, bodyBuf);
}

/** Headers a {@link PreparedMessage} writes itself. */
const PREPARED_RESERVED: ReadonlySet<string> = new Set(['subscription', 'message-id', 'ack', 'destination', 'content-length']);

/**
 * A MESSAGE encoded once per broadcast rather than once per subscriber. Everything but the
 * per-subscriber headers (`subscription`, `message-id`, `ack`) lives in one shared {@link tail}.
 *
 * The output is byte-identical to
 * `encodeFrame('MESSAGE', { subscription, 'message-id': messageId, ack, destination, ...headers }, body)`.
 */
export class PreparedMessage {
  readonly destination: string;
  /** `destination` followed by the extra headers; first occurrence wins. */
  readonly headers: ReadonlyMap<string, string>;
  /** The body as given (a Buffer is not copied; do not mutate it afterwards). */
  readonly body: Buffer;
  /** Escaped `destination`, extra headers, `content-length`, blank line, body and NUL. Shared by every subscriber. */
  readonly tail: Buffer;
  private readonly entries: ReadonlyArray<readonly [string, string]>;
  private tailText: string | undefined;
  /** The unescaped variant for STOMP 1.0 subscribers, built the first time one needs it. */
  private tail10: Buffer | undefined;
  private tail10Text: string | undefined;
  private bodyIsUtf8: boolean | undefined;

  /**
   * @param headers extra headers, escaped here; `subscription`, `message-id`, `ack`, `destination`
   *   and `content-length` are written by this class and rejected with a RangeError.
   */
  constructor(destination: string, headers: HeaderInput, body: Buffer | string) {
    this.destination = destination;
    this.body = toBody(body);
    const map = new Map<string, string>([['destination', destination]]);
    const entries: Array<readonly [string, string]> = [['destination', destination]];
    for (const [name, value] of headerEntries(headers)) {
      if (PREPARED_RESERVED.has(name)) throw new RangeError(`PreparedMessage sets the "${name}" header itself`);
      if (!map.has(name)) map.set(name, value);
      entries.push([name, value]);
    }
    this.headers = map;
    this.entries = entries;
    this.tail = this.buildTail('escape');
  }

  /** Byte length of the shared tail. */
  get tailBytes(): number {
    return this.tail.length;
  }

  /**
   * The full MESSAGE frame for one subscriber: a small per-subscriber head followed by the shared
   * tail (`stomp10`: the unescaped tail, for STOMP 1.0 subscribers).
   */
  forSubscriber(subscriptionId: string, messageId: string, ackId?: string, encoding: 'escape' | 'stomp10' = 'escape'): Buffer {
    const tail = this.tailFor(encoding);
    const head = subscriberHead(subscriptionId, messageId, ackId, encoding);
    const headBytes = Buffer.byteLength(head, 'utf8');
    const out = Buffer.allocUnsafe(headBytes + tail.length);
    out.write(head, 0, 'utf8');
    tail.copy(out, headBytes);
    return out;
  }

  /**
   * The same frame as a string, for text-only transports such as SockJS. The tail is decoded once.
   * Only meaningful for UTF-8 bodies: `content-length` counts the original octets.
   */
  forSubscriberText(subscriptionId: string, messageId: string, ackId?: string, encoding: 'escape' | 'stomp10' = 'escape'): string {
    return subscriberHead(subscriptionId, messageId, ackId, encoding) + this.tailTextFor(encoding);
  }

  /** Whether the frame is valid UTF-8 (its headers always are; the body decides), checked once. */
  get isUtf8(): boolean {
    return (this.bodyIsUtf8 ??= isUtf8(this.body));
  }

  /** The shared tail as text, decoded once per encoding. */
  tailTextFor(encoding: 'escape' | 'stomp10'): string {
    if (encoding === 'escape') return (this.tailText ??= this.tail.toString('utf8'));
    return (this.tail10Text ??= this.tailFor('stomp10').toString('utf8'));
  }

  /** The shared tail bytes for `encoding` (the STOMP 1.0 one is built on first use). */
  tailFor(encoding: 'escape' | 'stomp10'): Buffer {
    return encoding === 'escape' ? this.tail : (this.tail10 ??= this.buildTail('stomp10'));
  }

  private buildTail(encoding: 'escape' | 'stomp10'): Buffer {
    let text = '';
    for (const [name, value] of this.entries) text += headerLine(name, value, encoding);
    // Outside the small-buffer pool: the tail may outlive the broadcast (e.g. in a replay cache).
    return assemble(`${text}content-length:${this.body.length}\n\n`, this.body, Buffer.allocUnsafeSlow);
  }
}

function subscriberHead(subscriptionId: string, messageId: string, ackId: string | undefined, encoding: 'escape' | 'stomp10'): string {
  let head = `MESSAGE\n${headerLine('subscription', subscriptionId, encoding)}${headerLine('message-id', messageId, encoding)}`;
  if (ackId !== undefined) head += headerLine('ack', ackId, encoding);
  return head;
}

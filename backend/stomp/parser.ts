/**
 * Incremental STOMP 1.2 parser over a byte stream. No I/O.
 *
 * One frame may span several transport messages and one message may hold several frames, so the
 * parser keeps its state between {@link FrameParser.push} calls and scans every byte once.
 * Spec: https://stomp.github.io/stomp-specification-1.2.html#STOMP_Frames
 */
import { ParleyError } from '../errors.js';
import { BODY_COMMANDS, CLIENT_COMMANDS, SERVER_COMMANDS, UNESCAPED_COMMANDS, makeFrame } from './frame.js';
import type { Frame, StompCommand } from './frame.js';

export interface ParserLimits {
  /** Largest frame, in octets from the start of the command line to the end of the body. */
  maxFrameBytes: number;
  /** Most header lines in one frame (repeats count). */
  maxHeaders: number;
  /** Longest header line in octets, excluding its EOL. */
  maxHeaderLineBytes: number;
}

export const DEFAULT_PARSER_LIMITS: ParserLimits = Object.freeze({
  maxFrameBytes: 64 * 1024,
  maxHeaders: 32,
  maxHeaderLineBytes: 8 * 1024,
});

/** Which commands the parser accepts: a server parses `client` frames; tests and clients parse `server` ones. */
export type ParserAccept = 'client' | 'server' | 'any';

export interface ParserOptions extends Partial<ParserLimits> {
  /** Default `'client'`. */
  accept?: ParserAccept;
  /**
   * Stop after the first CONNECT/STOMP frame and hold the bytes after it until {@link FrameParser.resume}
   * says whether they are escaped: STOMP 1.0 has no header escaping, and the frames that follow a
   * CONNECT may arrive in the same read. Default false.
   */
  pauseAfterConnect?: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
/** "UNSUBSCRIBE" plus a CR: anything longer cannot be a command, so stop buffering it. */
const MAX_COMMAND_LINE_BYTES = 12;

const ALL_COMMANDS: ReadonlySet<string> = new Set([...CLIENT_COMMANDS, ...SERVER_COMMANDS]);
const ACCEPTED: Readonly<Record<ParserAccept, ReadonlySet<string>>> = {
  client: CLIENT_COMMANDS,
  server: SERVER_COMMANDS,
  any: ALL_COMMANDS,
};

// Parser states
const IDLE = 0; // between frames: skipping heart-beat EOLs
const COMMAND = 1;
const HEADERS = 2;
const BODY_FIXED = 3; // content-length given
const BODY_TO_NUL = 4;
const EXPECT_NUL = 5;
type State = typeof IDLE | typeof COMMAND | typeof HEADERS | typeof BODY_FIXED | typeof BODY_TO_NUL | typeof EXPECT_NUL;

function checkLimit(name: keyof ParserLimits, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/**
 * Decodes `\r` `\n` `\c` `\\`; any other escape is a fatal error.
 * https://stomp.github.io/stomp-specification-1.2.html#Value_Encoding
 */
function unescapeHeader(s: string): string {
  let bs = s.indexOf('\\');
  if (bs === -1) return s;
  let out = '';
  let from = 0;
  while (bs !== -1) {
    out += s.slice(from, bs);
    switch (s[bs + 1]) {
      case 'r': out += '\r'; break;
      case 'n': out += '\n'; break;
      case 'c': out += ':'; break;
      case '\\': out += '\\'; break;
      default:
        throw new ParleyError(
          'BAD_ESCAPE',
          bs + 1 < s.length ? `Undefined escape sequence \\${s[bs + 1]} in a header` : 'Header ends with a lone backslash',
        );
    }
    from = bs + 2;
    bs = s.indexOf('\\', from);
  }
  return out + s.slice(from);
}

/**
 * Parses STOMP frames from a stream of chunks. After it throws, every later `push` rethrows the
 * same error: the stream position is lost and the session must close.
 */
export class FrameParser {
  private readonly limits: Readonly<ParserLimits>;
  private readonly accepted: ReadonlySet<string>;
  private state: State = IDLE;
  private failure: unknown = undefined;
  /** IDLE saw a CR and waits for its LF. */
  private idleCR = false;
  /** A high surrogate that ended a string chunk; its low half comes with the next one. */
  private carry = '';
  /** Whether headers of frames other than CONNECT/CONNECTED are escaped (false for STOMP 1.0). */
  private escapeHeaders = true;
  private pauseAfterConnect: boolean;
  private paused = false;
  /** Bytes received after the CONNECT while paused. */
  private held: Buffer[] = [];

  // The frame being read
  private frameBytes = 0;
  private command: StompCommand = 'SEND';
  private escaped = true;
  private rawHeaders: Array<readonly [string, string]> = [];
  private bodyLength = 0;
  /** Pieces of the current line (or body) not yet complete; pieces kept across pushes are copies. */
  private parts: Buffer[] = [];
  private partsBytes = 0;

  constructor(options: ParserOptions = {}) {
    const merged = { ...DEFAULT_PARSER_LIMITS };
    if (options.maxFrameBytes !== undefined) merged.maxFrameBytes = checkLimit('maxFrameBytes', options.maxFrameBytes, 1);
    if (options.maxHeaders !== undefined) merged.maxHeaders = checkLimit('maxHeaders', options.maxHeaders, 0);
    if (options.maxHeaderLineBytes !== undefined) {
      merged.maxHeaderLineBytes = checkLimit('maxHeaderLineBytes', options.maxHeaderLineBytes, 1);
    }
    this.limits = Object.freeze(merged);
    const accept = options.accept ?? 'client';
    const accepted = ACCEPTED[accept] as ReadonlySet<string> | undefined;
    if (accepted === undefined) throw new RangeError(`accept must be 'client', 'server' or 'any', got ${String(accept)}`);
    this.accepted = accepted;
    this.pauseAfterConnect = options.pauseAfterConnect ?? false;
  }

  /** True when bytes of an incomplete frame are buffered. */
  get pending(): boolean {
    return this.state !== IDLE || this.carry !== '' || this.held.length > 0;
  }

  /** True after the first CONNECT/STOMP frame (with `pauseAfterConnect`) until {@link resume}. */
  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * Goes on after a CONNECT, parsing the bytes held since, with header escaping on (STOMP 1.1, 1.2)
   * or off (1.0). Returns the frames they complete.
   */
  resume(escapeHeaders: boolean): Frame[] {
    this.paused = false;
    this.escapeHeaders = escapeHeaders;
    const held = Buffer.concat(this.held);
    this.held = [];
    return held.length === 0 ? [] : this.push(held);
  }

  /**
   * Feed bytes, or text (UTF-8 encoded first). Returns every frame completed by this chunk, in order.
   * @throws ParleyError on a protocol violation; the parser is unusable afterwards.
   */
  push(chunk: Buffer | string): Frame[] {
    if (this.failure !== undefined) throw this.failure;
    const frames: Frame[] = [];
    try {
      const buf = typeof chunk === 'string' ? this.encodeText(chunk) : this.withCarry(chunk);
      const n = buf.length;
      let i = 0;
      while (i < n) {
        if (this.paused) {
          this.held.push(Buffer.from(buf.subarray(i)));
          break;
        }
        switch (this.state) {
          case IDLE: i = this.skipEols(buf, i); break;
          case COMMAND:
          case HEADERS: i = this.readLine(buf, i); break;
          case BODY_FIXED: i = this.readFixedBody(buf, i); break;
          case BODY_TO_NUL: i = this.readBodyToNul(buf, i, frames); break;
          case EXPECT_NUL:
            if (buf[i] !== NUL) throw new ParleyError('MISSING_NUL');
            frames.push(this.finishFrame());
            i++;
            break;
        }
      }
    } catch (e) {
      this.failure = e;
      throw e;
    }
    return frames;
  }

  /**
   * A UTF-16 string can end halfway through a surrogate pair when a sender splits text frames
   * (stompjs `splitLargeFrames`); hold the high half back so the pair encodes as one code point.
   */
  private encodeText(text: string): Buffer {
    let s = this.carry + text;
    this.carry = '';
    const last = s.charCodeAt(s.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.carry = s.slice(-1);
      s = s.slice(0, -1);
    }
    return Buffer.from(s, 'utf8');
  }

  /** Bytes after a dangling high surrogate: it can no longer be completed, so it encodes as U+FFFD. */
  private withCarry(chunk: Buffer): Buffer {
    if (this.carry === '') return chunk;
    const head = Buffer.from(this.carry, 'utf8');
    this.carry = '';
    return Buffer.concat([head, chunk]);
  }

  /** Heart-beats are bare EOLs between frames. https://stomp.github.io/stomp-specification-1.2.html#Heart-beating */
  private skipEols(buf: Buffer, i: number): number {
    const n = buf.length;
    while (i < n) {
      const b = buf[i];
      if (this.idleCR) {
        if (b !== LF) throw new ParleyError('BAD_COMMAND', 'CR without LF before a command');
        this.idleCR = false;
      } else if (b === CR) {
        this.idleCR = true;
      } else if (b !== LF) {
        this.state = COMMAND;
        this.frameBytes = 0;
        return i;
      }
      i++;
    }
    return i;
  }

  /** Reads (part of) the command line or a header line. */
  private readLine(buf: Buffer, i: number): number {
    const lf = buf.indexOf(LF, i);
    const end = lf === -1 ? buf.length : lf;
    const lineBytes = this.partsBytes + (end - i);
    // Checked before buffering so a line without an end cannot grow memory without bound.
    if (this.state === COMMAND) {
      if (lineBytes > MAX_COMMAND_LINE_BYTES) throw new ParleyError('BAD_COMMAND', 'Command line is too long');
    } else if (lineBytes > this.limits.maxHeaderLineBytes + 1) {
      throw new ParleyError('HEADER_TOO_LONG');
    }
    this.frameBytes += end - i + (lf === -1 ? 0 : 1);
    if (this.frameBytes > this.limits.maxFrameBytes) throw new ParleyError('FRAME_TOO_LARGE');
    if (lf === -1) {
      this.keep(buf.subarray(i, end));
      return end;
    }
    let line: Buffer;
    if (this.parts.length === 0) {
      line = buf.subarray(i, end);
    } else {
      this.parts.push(buf.subarray(i, end));
      line = Buffer.concat(this.parts, lineBytes);
      this.parts = [];
      this.partsBytes = 0;
    }
    // https://stomp.github.io/stomp-specification-1.2.html#Augmented_BNF: EOL is [CR] LF
    const length = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
    if (this.state === COMMAND) this.onCommand(line.toString('utf8', 0, length));
    else if (length === 0) this.startBody();
    else this.onHeader(line, length);
    return lf + 1;
  }

  private onCommand(command: string): void {
    if (!this.accepted.has(command)) {
      throw new ParleyError('BAD_COMMAND', `Unknown command ${JSON.stringify(command)}`);
    }
    this.command = command as StompCommand;
    this.escaped = this.escapeHeaders && !UNESCAPED_COMMANDS.has(command);
    this.rawHeaders = [];
    this.state = HEADERS;
  }

  private onHeader(line: Buffer, length: number): void {
    if (length > this.limits.maxHeaderLineBytes) throw new ParleyError('HEADER_TOO_LONG');
    if (this.rawHeaders.length >= this.limits.maxHeaders) throw new ParleyError('TOO_MANY_HEADERS');
    // ':' is ASCII and never part of a multi-byte UTF-8 sequence, so splitting the decoded text is safe.
    const text = line.toString('utf8', 0, length);
    const colon = text.indexOf(':');
    if (colon === -1) throw new ParleyError('MALFORMED_HEADER', 'Header line without a colon');
    if (colon === 0) throw new ParleyError('MALFORMED_HEADER', 'Header line with an empty name');
    const name = text.slice(0, colon);
    const value = text.slice(colon + 1);
    this.rawHeaders.push(this.escaped ? [unescapeHeader(name), unescapeHeader(value)] : [name, value]);
  }

  private startBody(): void {
    const mayHaveBody = BODY_COMMANDS.has(this.command);
    // Repeated headers: the first occurrence wins. https://stomp.github.io/stomp-specification-1.2.html#Repeated_Header_Entries
    const declared = this.rawHeaders.find(([name]) => name === 'content-length')?.[1];
    if (declared === undefined) {
      this.state = BODY_TO_NUL;
      return;
    }
    if (!/^[0-9]+$/.test(declared)) {
      throw new ParleyError('BAD_CONTENT_LENGTH', `Invalid content-length ${JSON.stringify(declared.slice(0, 32))}`);
    }
    const length = Number(declared);
    if (length > 0 && !mayHaveBody) throw new ParleyError('BODY_NOT_ALLOWED', `A ${this.command} frame may not have a body`);
    // Refuse before the body arrives, so a huge declared length never gets buffered.
    if (this.frameBytes + length > this.limits.maxFrameBytes) throw new ParleyError('FRAME_TOO_LARGE');
    this.bodyLength = length;
    this.state = length === 0 ? EXPECT_NUL : BODY_FIXED;
  }

  /** content-length counts octets, NULs included. https://stomp.github.io/stomp-specification-1.2.html#Header_content-length */
  private readFixedBody(buf: Buffer, i: number): number {
    const take = Math.min(this.bodyLength - this.partsBytes, buf.length - i);
    const end = i + take;
    this.frameBytes += take;
    if (end === buf.length) {
      this.keep(buf.subarray(i, end));
    } else {
      this.parts.push(buf.subarray(i, end));
      this.partsBytes += take;
    }
    if (this.partsBytes === this.bodyLength) this.state = EXPECT_NUL;
    return end;
  }

  private readBodyToNul(buf: Buffer, i: number, frames: Frame[]): number {
    const nul = buf.indexOf(NUL, i);
    const end = nul === -1 ? buf.length : nul;
    if (end > i && !BODY_COMMANDS.has(this.command)) {
      throw new ParleyError('BODY_NOT_ALLOWED', `A ${this.command} frame may not have a body`);
    }
    this.frameBytes += end - i;
    if (this.frameBytes > this.limits.maxFrameBytes) throw new ParleyError('FRAME_TOO_LARGE');
    if (nul === -1) {
      this.keep(buf.subarray(i, end));
      return end;
    }
    this.parts.push(buf.subarray(i, end));
    this.partsBytes += end - i;
    frames.push(this.finishFrame());
    return nul + 1;
  }

  /** Buffers a piece that outlives this push; copied because the caller may reuse its chunk. */
  private keep(piece: Buffer): void {
    if (piece.length === 0) return;
    this.parts.push(Buffer.from(piece));
    this.partsBytes += piece.length;
  }

  private finishFrame(): Frame {
    // Always a copy: the frame must not alias (or pin) the caller's chunk.
    const body = Buffer.concat(this.parts, this.partsBytes);
    const frame = makeFrame(this.command, this.rawHeaders, body);
    this.parts = [];
    this.partsBytes = 0;
    this.rawHeaders = [];
    this.state = IDLE;
    if (this.pauseAfterConnect && (frame.command === 'CONNECT' || frame.command === 'STOMP')) {
      this.pauseAfterConnect = false;
      this.paused = true;
    }
    return frame;
  }
}

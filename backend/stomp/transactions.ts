import { ParleyError } from '../errors.js';
import type { Frame } from './frame.js';

/** How much the open transactions of one connection may hold, all together. */
export interface TransactionLimits {
  /** Frames buffered, each BEGIN counting as one (so ids alone cannot pile up). */
  maxFrames: number;
  /** Octets buffered: bodies plus header text. */
  maxBytes: number;
}

/**
 * Open transactions of one session: SEND, ACK and NACK frames buffered until COMMIT, within
 * {@link TransactionLimits} summed over the session (so they also bound each transaction). Past a
 * limit: TRANSACTION_TOO_LARGE, a protocol error (ERROR, then close).
 * https://stomp.github.io/stomp-specification-1.2.html#BEGIN
 */
export class Transactions {
  private readonly open = new Map<string, { frames: Frame[]; bytes: number }>();
  private frameCount = 0;
  private byteCount = 0;

  constructor(private readonly limits: TransactionLimits) {}

  begin(tx: string): void {
    if (this.open.has(tx)) throw new ParleyError('DUPLICATE_TRANSACTION', `Transaction "${tx}" already open`);
    const bytes = Buffer.byteLength(tx);
    this.reserve(bytes);
    this.open.set(tx, { frames: [], bytes });
  }

  buffer(tx: string, frame: Frame): void {
    const entry = this.entry(tx);
    const bytes = frameBytes(frame);
    this.reserve(bytes);
    entry.frames.push(frame);
    entry.bytes += bytes;
  }

  /** Ends the transaction and returns its frames in order (COMMIT). */
  commit(tx: string): Frame[] {
    const { frames } = this.end(tx);
    return frames;
  }

  abort(tx: string): void {
    this.end(tx);
  }

  /** A closed session aborts whatever is still open. */
  clear(): void {
    this.open.clear();
    this.frameCount = 0;
    this.byteCount = 0;
  }

  private reserve(bytes: number): void {
    if (this.frameCount + 1 > this.limits.maxFrames) {
      throw new ParleyError('TRANSACTION_TOO_LARGE', `Open transactions may hold at most ${this.limits.maxFrames} frames (MAX_TX_FRAMES)`);
    }
    if (this.byteCount + bytes > this.limits.maxBytes) {
      throw new ParleyError('TRANSACTION_TOO_LARGE', `Open transactions may hold at most ${this.limits.maxBytes} bytes (MAX_TX_BYTES)`);
    }
    this.frameCount++;
    this.byteCount += bytes;
  }

  private end(tx: string): { frames: Frame[]; bytes: number } {
    const entry = this.entry(tx);
    this.open.delete(tx);
    this.frameCount -= entry.frames.length + 1;
    this.byteCount -= entry.bytes;
    return entry;
  }

  private entry(tx: string): { frames: Frame[]; bytes: number } {
    const entry = this.open.get(tx);
    if (entry === undefined) throw new ParleyError('UNKNOWN_TRANSACTION', `No transaction "${tx}"`);
    return entry;
  }
}

function frameBytes(frame: Frame): number {
  let n = frame.body.length;
  for (const [name, value] of frame.rawHeaders) n += name.length + value.length + 2;
  return n;
}

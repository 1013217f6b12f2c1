import { ParleyError } from '../errors.js';
import type { Frame } from './frame.js';

/**
 * Open transactions of one session: SEND, ACK and NACK frames buffered until COMMIT.
 * https://stomp.github.io/stomp-specification-1.2.html#BEGIN
 */
export class Transactions {
  private readonly open = new Map<string, Frame[]>();

  begin(tx: string): void {
    if (this.open.has(tx)) throw new ParleyError('DUPLICATE_TRANSACTION', `Transaction "${tx}" already open`);
    this.open.set(tx, []);
  }

  buffer(tx: string, frame: Frame): void {
    this.frames(tx).push(frame);
  }

  /** Ends the transaction and returns its frames in order (COMMIT). */
  commit(tx: string): Frame[] {
    const frames = this.frames(tx);
    this.open.delete(tx);
    return frames;
  }

  abort(tx: string): void {
    this.frames(tx);
    this.open.delete(tx);
  }

  /** A closed session aborts whatever is still open. */
  clear(): void {
    this.open.clear();
  }

  private frames(tx: string): Frame[] {
    const frames = this.open.get(tx);
    if (frames === undefined) throw new ParleyError('UNKNOWN_TRANSACTION', `No transaction "${tx}"`);
    return frames;
  }
}

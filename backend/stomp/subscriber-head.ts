import { headerLine, type PreparedMessage } from './frame.js';

/** Decimal digits of a positive safe integer. */
function digitCount(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/** Writes `n` as ASCII digits ending just before `end`. */
function writeDigits(out: Buffer, end: number, n: number): void {
  let i = end;
  do {
    out[--i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  } while (n > 0);
}

/**
 * The per-subscriber start of a MESSAGE frame, encoded once per subscription: `MESSAGE`,
 * `subscription:<id>`, `message-id:<session>-` (the delivery counter follows as digits) and, for
 * client acks, `ack:<session>-<counter>`. A delivery is then one allocation and two copies: this
 * head, the counter's digits, and the {@link PreparedMessage} tail shared by every subscriber.
 * Bytes are identical to `message.forSubscriber(id, `${session}-${n}`, ack ? same : undefined, encoding)`.
 */
export class SubscriberHead {
  private readonly prefix: Buffer;
  private readonly ackPrefix: Buffer | undefined;
  private readonly prefixText: string;
  private readonly ackPrefixText: string | undefined;

  constructor(
    subscriptionId: string,
    private readonly sessionId: string,
    withAck: boolean,
    private readonly encoding: 'escape' | 'stomp10',
  ) {
    // Digits never need escaping, so escaping `<session>-` and appending them is escaping the whole id.
    const idLine = (name: string): string => headerLine(name, `${sessionId}-`, encoding).slice(0, -1);
    this.prefixText = `MESSAGE\n${headerLine('subscription', subscriptionId, encoding)}${idLine('message-id')}`;
    this.prefix = Buffer.from(this.prefixText, 'utf8');
    this.ackPrefixText = withAck ? idLine('ack') : undefined;
    this.ackPrefix = this.ackPrefixText === undefined ? undefined : Buffer.from(this.ackPrefixText, 'utf8');
  }

  /** The message id (and ack id) of delivery `n`. */
  messageId(n: number): string {
    return `${this.sessionId}-${n}`;
  }

  /** The whole frame of delivery `n` as bytes. */
  frame(message: PreparedMessage, n: number): Buffer {
    const tail = message.tailFor(this.encoding);
    const digits = digitCount(n);
    const ack = this.ackPrefix;
    const headBytes = this.prefix.length + digits + 1 + (ack === undefined ? 0 : ack.length + digits + 1);
    const out = Buffer.allocUnsafe(headBytes + tail.length);
    let at = this.prefix.copy(out, 0) + digits;
    writeDigits(out, at, n);
    out[at++] = 0x0a;
    if (ack !== undefined) {
      at += ack.copy(out, at) + digits;
      writeDigits(out, at, n);
      out[at++] = 0x0a;
    }
    tail.copy(out, at);
    return out;
  }

  /** The same frame as text, for text-only transports (SockJS). */
  text(message: PreparedMessage, n: number): string {
    const ack = this.ackPrefixText === undefined ? '' : `${this.ackPrefixText}${n}\n`;
    return `${this.prefixText}${n}\n${ack}${message.tailTextFor(this.encoding)}`;
  }
}

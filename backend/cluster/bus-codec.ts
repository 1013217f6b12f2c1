import { PreparedMessage } from '../stomp/frame.js';

/** Routing facts that travel with a frame: `o` the publishing instance, `s` the addressed session. */
export interface BusMeta {
  o?: string;
  s?: string;
}

/**
 * What crosses Redis for one published frame: the destination, the extra headers and the
 * body, never the encoded frame, so each receiving instance prepares it once for all its
 * subscribers. Layout: 4-byte big-endian length, JSON `{d, h}`, then the raw body (binary-safe).
 */
export function encodeBusMessage(message: PreparedMessage, meta: BusMeta = {}): Buffer {
  const headers: [string, string][] = [];
  for (const [k, v] of message.headers) if (k !== 'destination') headers.push([k, v]);
  const head = Buffer.from(JSON.stringify({ d: message.destination, h: headers, ...meta }), 'utf8');
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32BE(head.length, 0);
  return Buffer.concat([len, head, message.body]);
}

/** The inverse of {@link encodeBusMessage}; null for anything malformed (never throws). */
export function decodeBusMessage(data: Buffer): { message: PreparedMessage; meta: BusMeta } | null {
  try {
    if (data.length < 4) return null;
    const n = data.readUInt32BE(0);
    if (4 + n > data.length) return null;
    const head = JSON.parse(data.toString('utf8', 4, 4 + n)) as { d?: unknown; h?: unknown; o?: unknown; s?: unknown };
    if (typeof head.d !== 'string' || !Array.isArray(head.h)) return null;
    const headers: [string, string][] = [];
    for (const pair of head.h as unknown[]) {
      if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string') headers.push([pair[0], pair[1]]);
    }
    const meta: BusMeta = {};
    if (typeof head.o === 'string') meta.o = head.o;
    if (typeof head.s === 'string') meta.s = head.s;
    return { message: new PreparedMessage(head.d, headers, data.subarray(4 + n)), meta };
  } catch {
    return null;
  }
}

/**
 * A v4 UUID from `crypto.getRandomValues`, which every browser (also outside secure contexts,
 * unlike `randomUUID`) and Node 20 have.
 * @internal
 */
export function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 15) | 64;
  b[8] = (b[8]! & 63) | 128;
  return Array.from(b, (x, i) => (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + (x + 256).toString(16).slice(1)).join('');
}

/**
 * A v4 UUID: `crypto.randomUUID` where available (secure contexts), else built from
 * `crypto.getRandomValues` (every browser and Node 20 have it).
 * @internal
 */
export function uuid(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 15) | 64;
  b[8] = (b[8]! & 63) | 128;
  return Array.from(b, (x, i) => (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + (x + 256).toString(16).slice(1)).join('');
}

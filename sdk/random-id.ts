/**
 * A fresh idempotency key: 128 random bits as 32 hex digits, from `crypto.getRandomValues`
 * (every browser, also outside secure contexts where `randomUUID` is missing, and Node 20).
 * @internal
 */
export function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (x) => (x + 256).toString(16).slice(1)).join('');
}

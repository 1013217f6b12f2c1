import type { Writable } from 'node:stream';

let corked = new Set<Writable>();
let scheduled = false;

function uncorkAll(): void {
  scheduled = false;
  // A fresh set first: an uncork that fails and closes a session may cork another socket meanwhile.
  const batch = corked;
  corked = new Set();
  for (const socket of batch) socket.uncork();
}

/**
 * Holds `socket`'s writes until the end of this turn of the event loop (`setImmediate`), so a
 * fan-out that hands one socket several frames (a stored batch, presence, a RECEIPT) costs one
 * `writev` instead of one syscall per frame. Corked bytes count in `writableLength`, so the
 * slow-consumer check still sees them.
 */
export function corkForTurn(socket: Writable): void {
  if (corked.has(socket) || socket.destroyed || socket.writableEnded) return;
  socket.cork();
  corked.add(socket);
  if (!scheduled) {
    scheduled = true;
    setImmediate(uncorkAll);
  }
}

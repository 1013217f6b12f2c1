import WebSocket from 'ws';
import { ChatClient } from '../../sdk/chat-client.js';
import type { ChatClientOptions } from '../../sdk/chat-client.js';
import { DefaultReconnectPolicy } from '../../sdk/reconnect-policy.js';
import type { RoomHandle } from '../../sdk/room-handle.js';
import type { WebSocketLike } from '../../sdk/transport.js';
import type { Message } from '../../sdk/types.js';

/**
 * A switchable network in front of one client: while `online` is false, new sockets go to a
 * port where nothing listens (connection refused), as if the device were offline.
 */
export class NetworkSwitch {
  online = true;
  factory = (url: string, protocols: string[]): WebSocketLike => {
    const target = this.online ? url : url.replace(/\/\/[^/]+/, '//127.0.0.1:9');
    return new WebSocket(target, protocols);
  };
}

/** An SDK client for tests: Node `ws`, fast reconnects, short timeouts. */
export function makeClient(
  url: string,
  nickname: string,
  extra: Partial<ChatClientOptions> & { network?: NetworkSwitch } = {},
): ChatClient {
  const { network, ...rest } = extra;
  return new ChatClient({
    url,
    nickname,
    WebSocket,
    ...(network ? { webSocketFactory: network.factory } : {}),
    reconnectPolicy: new DefaultReconnectPolicy({ baseDelayMs: 50, maxDelayMs: 400 }),
    requestTimeoutMs: 5000,
    ...rest,
  } as ChatClientOptions);
}

/** Records every message a handle delivers: what it had at join, then each `message` event. */
export function record(room: RoomHandle): Message[] {
  const seen: Message[] = [...room.messages];
  room.on('message', (m) => seen.push(m));
  return seen;
}

/** Polls until `predicate` holds or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Asserts-free check: seqs strictly consecutive (no gap, no duplicate). Returns a description of the first defect, or null. */
export function sequenceDefect(messages: readonly Message[]): string | null {
  for (let i = 1; i < messages.length; i++) {
    const prev = messages[i - 1]!.seq;
    const cur = messages[i]!.seq;
    if (cur !== prev + 1) return `seq ${cur} follows ${prev} at index ${i}`;
  }
  return null;
}

/** A room's whole history over REST, paged from the start, ascending by seq. */
export async function wholeHistory(client: ChatClient, roomId: number): Promise<Message[]> {
  const all: Message[] = [];
  let after = 0;
  for (;;) {
    const page = await client.rooms.history(roomId, { after, limit: 200 });
    all.push(...page.messages);
    if (page.messages.length === 0 || all.at(-1)!.seq >= page.lastSeq) return all;
    after = all.at(-1)!.seq;
  }
}

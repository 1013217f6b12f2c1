import { expect } from 'vitest';
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
  #sockets = new Set<WebSocket>();
  factory = (url: string, protocols: string[]): WebSocketLike => {
    const target = this.online ? url : url.replace(/\/\/[^/]+/, '//127.0.0.1:9');
    const socket = new WebSocket(target, protocols);
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    return socket;
  };

  /**
   * Goes offline and cuts this client's open sockets abruptly (no close handshake), as a lost
   * network would; the other clients of the server keep their connections.
   */
  drop(): void {
    this.online = false;
    for (const socket of this.#sockets) socket.terminate();
  }
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

/**
 * What a chaos run must end with: every client's sequence gap-free and duplicate-free up to the
 * server's last seq, all clients identical where they overlap, the server's history (`all`) the
 * same, every resolved send stored exactly once, and no text stored twice.
 */
export function expectConverged(seen: readonly (readonly Message[])[], serverLast: number, all: readonly Message[], resolved: readonly Message[]): void {
  const key = (m: Message): string => `${m.seq}:${m.id}:${m.clientMsgId ?? m.type}`;
  const from = Math.max(...seen.map((s) => s[0]!.seq));
  const views = seen.map((s) => s.filter((m) => m.seq >= from).map(key));
  for (const s of seen) {
    expect(sequenceDefect(s)).toBeNull();
    expect(s.at(-1)!.seq).toBe(serverLast);
  }
  for (const view of views.slice(1)) expect(view).toEqual(views[0]);
  expect(sequenceDefect(all)).toBeNull();
  expect(all.filter((m) => m.seq >= from).map(key)).toEqual(views[0]);
  const byClientId = new Map<string, number>();
  for (const m of all) if (m.clientMsgId) byClientId.set(m.clientMsgId, (byClientId.get(m.clientMsgId) ?? 0) + 1);
  for (const m of resolved) expect(byClientId.get(m.clientMsgId!)).toBe(1);
  for (const count of byClientId.values()) expect(count).toBe(1);
  // Each text was sent once by the app, so it must be stored once (a retry never duplicates).
  const texts = all.filter((m) => m.type === 'text').map((m) => m.text);
  expect(new Set(texts).size).toBe(texts.length);
}

/** Joins `roomId` with each client in turn and records every room's messages from then on. */
export async function joinAndRecord(clients: readonly ChatClient[], roomId: number): Promise<{ handles: RoomHandle[]; seen: Message[][] }> {
  const handles: RoomHandle[] = [];
  const seen: Message[][] = [];
  for (const c of clients) {
    const h = await c.join(roomId);
    handles.push(h);
    seen.push(record(h));
  }
  return { handles, seen };
}

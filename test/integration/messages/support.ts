/**
 * Helpers for the edit/delete suites: REST calls for one message, and the room's stream (messages
 * and mutations, in the order a peer received them) as a peer saw it.
 */
import { expect } from 'vitest';
import type { Frame } from '../../../backend/stomp/frame.js';
import type { HistoryPage, Message, MessageMutation } from '../../../sdk/protocol/shapes.js';
import { api, type TestServer } from '../../helpers/server.js';
import { json, type Client } from '../stomp/support.js';

/** The x-types that are entries of a room's stream. */
export const ENTRY_TYPES = ['message', 'message-edited', 'message-deleted'] as const;

export interface ErrorBody {
  error: { code: string; message: string };
}

export function editMessage(server: { url: string }, token: string, roomId: number, seq: number, text: unknown): Promise<{ status: number; body: MessageMutation & ErrorBody }> {
  return api<MessageMutation & ErrorBody>(server, 'PATCH', `/api/rooms/${roomId}/messages/${seq}`, token, { text });
}

export function deleteMessage(server: { url: string }, token: string, roomId: number, seq: number): Promise<{ status: number; body: ErrorBody | undefined }> {
  return api<ErrorBody | undefined>(server, 'DELETE', `/api/rooms/${roomId}/messages/${seq}`, token);
}

export async function historyPage(server: { url: string }, token: string, roomId: number, query = ''): Promise<HistoryPage> {
  const res = await api<HistoryPage>(server, 'GET', `/api/rooms/${roomId}/messages${query}`, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Expects a REST refusal with `status` and `code`. */
export function expectRefused(res: { status: number; body: unknown }, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect((res.body as ErrorBody).error.code).toBe(code);
}

/** One entry of the stream as a peer received it. */
export interface SeenEntry {
  type: (typeof ENTRY_TYPES)[number];
  seq: number;
  body: Message | MessageMutation;
}

export function isEntry(roomId: number, subscription?: string): (f: Frame) => boolean {
  return (f) =>
    f.command === 'MESSAGE' &&
    f.headers.get('destination') === `/topic/rooms/${roomId}` &&
    (ENTRY_TYPES as readonly string[]).includes(f.headers.get('x-type') ?? '') &&
    (subscription === undefined || f.headers.get('subscription') === subscription);
}

export function toEntry(f: Frame): SeenEntry {
  const body = json<Message | MessageMutation>(f);
  const seq = Number(f.headers.get('x-seq'));
  // x-seq is the entry's own seq: a mutation's, not its target's.
  expect(body.seq).toBe(seq);
  return { type: f.headers.get('x-type') as SeenEntry['type'], seq, body };
}

/** Consumes stream entries from `c` until one with seq `upTo` has arrived; returns them in arrival order. */
export async function entriesUpTo(c: Client, roomId: number, upTo: number, subscription?: string, timeoutMs = 10_000): Promise<SeenEntry[]> {
  const out: SeenEntry[] = [];
  while (out.at(-1)?.seq !== upTo) {
    const entry = toEntry(await c.peer.next(isEntry(roomId, subscription), timeoutMs));
    out.push(entry);
    if (entry.seq > upTo) throw new Error(`expected the stream to reach ${upTo}, got ${entry.seq}`);
  }
  return out;
}

export const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/**
 * The room's messages as a client ends up with them after applying `entries` in order (a
 * mutation replaces its message whole), keyed by seq.
 */
export function applyEntries(entries: readonly SeenEntry[], start: ReadonlyMap<number, Message> = new Map()): Map<number, Message> {
  const state = new Map(start);
  for (const e of entries) {
    if (e.type === 'message') state.set(e.seq, e.body as Message);
    else {
      const m = (e.body as MessageMutation).message;
      state.set(m.seq, m);
    }
  }
  return state;
}

/** The same from history pages: messages by seq, then each mutation's message over them. */
export function applyPages(pages: readonly HistoryPage[]): Map<number, Message> {
  const entries: SeenEntry[] = [];
  for (const p of pages) {
    for (const m of p.messages) entries.push({ type: 'message', seq: m.seq, body: m });
    for (const m of p.mutations) entries.push({ type: m.type === 'edited' ? 'message-edited' : 'message-deleted', seq: m.seq, body: m });
  }
  entries.sort((a, b) => a.seq - b.seq);
  return applyEntries(entries);
}

export type { TestServer };

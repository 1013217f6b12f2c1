import type { Unsubscribe } from './events.js';
import type { HttpMethod } from './http.js';
import type { CreateRoomInput, HistoryPage, HistoryQuery, LobbyEvent, Room, UpdateRoomInput } from './types.js';

/** What {@link RoomsApi} needs from its client. @internal */
export interface RoomsHost {
  rest<T>(method: HttpMethod, path: string, body: unknown, auth: boolean): Promise<T>;
  watchLobby(listener: (event: LobbyEvent) => void): Unsubscribe;
}

/** @internal */
export function checkRoomId(id: unknown): asserts id is number {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
    throw new TypeError(`bad room id ${String(id)}`);
  }
}

/** @internal */
export function historyPath(roomId: number, query: HistoryQuery): string {
  const { before, after, limit } = query;
  if (before !== undefined && after !== undefined) throw new TypeError('history: before or after');
  const params: string[] = [];
  // In this order: before, after (integers >= 0), limit (1–200).
  for (const [k, v, min, max] of [['before', before, 0, Infinity], ['after', after, 0, Infinity], ['limit', limit, 1, 200]] as const) {
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < min || v > max) throw new RangeError(`history: ${k} not in ${min}–${max}`);
    params.push(`${k}=${v}`);
  }
  return `/api/rooms/${roomId}/messages${params.length ? `?${params.join('&')}` : ''}`;
}

/**
 * The room list over REST (`docs/protocol.md` §3), plus live lobby updates.
 * Reach it as `client.rooms`. Methods reject with {@link ParleyError}; bad arguments throw at once.
 */
export class RoomsApi {
  readonly #host: RoomsHost;

  /** @internal */
  constructor(host: RoomsHost) {
    this.#host = host;
  }

  /** All rooms, ordered by id. */
  list(): Promise<Room[]> {
    return this.#host.rest<{ rooms: Room[] }>('GET', '/api/rooms', undefined, false).then((r) => r.rooms);
  }

  /**
   * Creates a room owned by the current user.
   * @param input - name (1–100 chars), kind (default `chat`), maxUsers (2–1000, default 100), password (locks it)
   */
  create(input: CreateRoomInput): Promise<Room> {
    if (!input || typeof input.name !== 'string') throw new TypeError('rooms.create: no name');
    return this.#host.rest<Room>('POST', '/api/rooms', input, true);
  }

  /**
   * One room.
   * @param id - room id
   */
  get(id: number): Promise<Room> {
    checkRoomId(id);
    return this.#host.rest<Room>('GET', `/api/rooms/${id}`, undefined, false);
  }

  /**
   * Changes a room (owner only; `NOT_OWNER` otherwise). A `null` password unlocks it.
   * @param id - room id
   * @param patch - fields to change
   */
  update(id: number, patch: UpdateRoomInput): Promise<Room> {
    checkRoomId(id);
    return this.#host.rest<Room>('PATCH', `/api/rooms/${id}`, patch, true);
  }

  /**
   * Deletes a room (owner only). Members get a `deleted` event on their handles.
   * @param id - room id
   */
  delete(id: number): Promise<void> {
    checkRoomId(id);
    return this.#host.rest<unknown>('DELETE', `/api/rooms/${id}`, undefined, true).then(() => undefined);
  }

  /**
   * A page of a room's history, ascending by seq. A locked room's history needs membership.
   * @param id - room id
   * @param query - `before` or `after` a seq, and `limit` (1–200, default 50); none: the newest
   */
  history(id: number, query: HistoryQuery = {}): Promise<HistoryPage> {
    checkRoomId(id);
    return this.#host.rest<HistoryPage>('GET', historyPath(id, query), undefined, true);
  }

  /**
   * Follows the lobby (`/topic/lobby`): the listener gets every room created, updated
   * (including user counts) or deleted while the client is connected; the subscription is
   * restored after reconnects. The client also emits `roomsChanged`.
   * @param listener - called per change
   * @returns stops watching
   */
  watch(listener: (event: LobbyEvent) => void): Unsubscribe {
    if (typeof listener !== 'function') throw new TypeError('rooms.watch: not a function');
    return this.#host.watchLobby(listener);
  }
}

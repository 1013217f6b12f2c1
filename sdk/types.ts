import type { ParleyError } from './errors.js';

/** A user as the server knows them. User ids are strings (`u_…`). */
export interface User {
  /** Stable user id, stamped by the server from the token. */
  readonly id: string;
  /** Display name, 1–32 code points. */
  readonly nickname: string;
}

/** A user currently present in a room. */
export type PresenceUser = User;

/** What a room is for. */
export type RoomKind = 'chat' | 'video';

/** A room as returned by the REST API (`docs/protocol.md` §3). */
export interface Room {
  /** Integer room id. */
  readonly id: number;
  /** Display name, 1–100 characters. */
  readonly name: string;
  /** `chat` or `video`. */
  readonly kind: RoomKind;
  /** Distinct users currently joined. */
  readonly userCount: number;
  /** Capacity in distinct users (2–1000). */
  readonly maxUsers: number;
  /** Whether a password is needed to join. */
  readonly locked: boolean;
  /** User id of the owner (the creator). */
  readonly ownerId: string;
  /** ISO 8601 creation time (UTC). */
  readonly createdAt: string;
}

/** Kind of a stored message: chat text or a system `enter`/`leave` notice. */
export type MessageType = 'text' | 'enter' | 'leave';

/** A stored message. `seq` is per room, starts at 1 and has no holes. */
export interface Message {
  /** Global message id. */
  readonly id: number;
  /** Per-room sequence number. */
  readonly seq: number;
  /** Room the message belongs to. */
  readonly roomId: number;
  /** `text`, `enter` or `leave`. */
  readonly type: MessageType;
  /** Author (for system messages: the joining/leaving user). */
  readonly sender: User;
  /** The text (empty for system messages). */
  readonly text: string;
  /** The id the sending client chose, if any. */
  readonly clientMsgId: string | null;
  /** ISO 8601 time the server stored the message. */
  readonly createdAt: string;
}

/** Delivery state of a message the application sent. */
export type PendingState = 'pending' | 'sent' | 'failed';

/** A message sent by this client that the server has not yet confirmed (or refused). */
export interface PendingMessage {
  /** The idempotency key sent with every attempt; the server de-duplicates on it. */
  readonly clientMsgId: string;
  /** The room it goes to. */
  readonly roomId: number;
  /** The text as given to `send`. */
  readonly text: string;
  /** `pending` until the server confirms, then `sent`; `failed` when refused. */
  readonly state: PendingState;
  /** The seq the server assigned, once `sent`. */
  readonly seq: number | undefined;
  /** The refusal, once `failed`. */
  readonly error: ParleyError | undefined;
  /** Number of times it was transmitted so far. */
  readonly attempts: number;
  /** Client clock time (ms since epoch) when `send` was called. */
  readonly createdAt: number;
}

/** Presence change in a room (`x-type: presence`). */
export type PresenceEvent =
  | {
      /** Full member list, sent right after (re)subscribing. */
      readonly kind: 'snapshot';
      /** Everyone in the room. */
      readonly users: readonly PresenceUser[];
      /** Distinct users in the room. */
      readonly userCount: number;
    }
  | {
      /** A user entered or left. */
      readonly kind: 'joined' | 'left';
      /** Who. */
      readonly user: PresenceUser;
      /** Distinct users in the room afterwards. */
      readonly userCount: number;
    };

/** Someone started or stopped typing (`x-type: typing`). */
export interface TypingEvent {
  /** Who is typing. */
  readonly user: User;
  /** `true` while typing. */
  readonly typing: boolean;
  /** The indicator ends by itself after this many ms without refresh. */
  readonly expiresInMs: number;
}

/** What a (re)subscription resumed (`x-type: resume`), reported once the gap is filled. */
export interface ResumeInfo {
  /** The last seq the client had seen. */
  readonly sinceSeq: number;
  /** The room's last seq when the server answered. */
  readonly lastSeq: number;
  /** `true` when the server replayed nothing and the SDK paged the gap over REST. */
  readonly truncated: boolean;
  /** Messages delivered to fill the gap. */
  readonly recovered: number;
}

/** One page of history. */
export interface HistoryPage {
  /** Messages ascending by seq. */
  readonly messages: readonly Message[];
  /** The room's last seq at the time of the request. */
  readonly lastSeq: number;
}

/** Query for a history page: at most one of `before`/`after`; without both, the newest messages. */
export interface HistoryQuery {
  /** Only messages with a seq below this. */
  before?: number;
  /** Only messages with a seq above this. */
  after?: number;
  /** Page size, 1–200; default 50. */
  limit?: number;
}

/** Input of `rooms.create`. */
export interface CreateRoomInput {
  /** 1–100 characters. */
  name: string;
  /** Default `chat`. */
  kind?: RoomKind;
  /** 2–1000; default 100. */
  maxUsers?: number;
  /** 1–64 characters; makes the room locked. */
  password?: string;
}

/** Input of `rooms.update`: any subset. A `null` password unlocks the room. */
export interface UpdateRoomInput {
  /** New name. */
  name?: string;
  /** New capacity. */
  maxUsers?: number;
  /** New password, or `null` to clear it. */
  password?: string | null;
}

/** A change to the room list, from the lobby topic. */
export type LobbyEvent =
  | {
      /** A room was created or changed (including its `userCount`). */
      readonly type: 'room-created' | 'room-updated';
      /** The room after the change. */
      readonly room: Room;
    }
  | {
      /** A room was deleted. */
      readonly type: 'room-deleted';
      /** Its id. */
      readonly roomId: number;
    };

/** A guest session as issued by `POST /api/session`. */
export interface Session {
  /** The bearer token (JWT). */
  readonly token: string;
  /** Who the token identifies. */
  readonly user: User;
  /** ISO 8601 expiry time. */
  readonly expiresAt: string;
}

/**
 * Time source and timers, injectable so tests can fake them.
 * Defaults to the global `setTimeout`/`clearTimeout` and `Date.now`.
 */
export interface Clock {
  /** Schedules `callback` once after `ms` milliseconds and returns a handle. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a handle returned by {@link Clock.setTimeout}. */
  clearTimeout(handle: unknown): void;
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The request options the SDK passes to {@link FetchLike}. */
export interface FetchInit {
  /** HTTP method. */
  method: string;
  /** Request headers. */
  headers: Record<string, string>;
  /** JSON body, if any. */
  body?: string;
  /** Aborts the request on timeout. */
  signal?: AbortSignal;
}

/** The part of a `fetch` response the SDK reads. */
export interface FetchResponseLike {
  /** Status in 200–299. */
  readonly ok: boolean;
  /** HTTP status code. */
  readonly status: number;
  /** Reads the body as text. */
  text(): Promise<string>;
}

/** The subset of `fetch` the SDK uses; the global `fetch` of browsers and Node 20 fits. */
export type FetchLike = (input: string, init: FetchInit) => Promise<FetchResponseLike>;

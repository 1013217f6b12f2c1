import type { ParleyError } from './errors.js';
import type { Room } from './protocol/shapes.js';

export type { Clock } from './clock.js';
export type {
  User,
  PresenceUser,
  RoomKind,
  Room,
  MessageType,
  Message,
  MessageMutation,
  MutationType,
  KickedBody,
  Restriction,
  PresenceEvent,
  TypingEvent,
  HistoryPage,
  CreateRoomInput,
  UpdateRoomInput,
  Session,
} from './protocol/shapes.js';

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

/** Query for a history page: at most one of `before`/`after`; without both, the newest messages. */
export interface HistoryQuery {
  /** Only messages with a seq below this. */
  before?: number;
  /** Only messages with a seq above this. */
  after?: number;
  /** Page size, 1–200; default 50. */
  limit?: number;
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

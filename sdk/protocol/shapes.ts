/**
 * JSON shapes of the wire contract (`docs/protocol.md`): REST bodies and the bodies of room-topic
 * MESSAGE frames. The backend builds exactly these; the SDK and widget read them.
 */

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
  /** User id of the owner (the creator); `null` for rooms upgraded from the legacy schema. */
  readonly ownerId: string | null;
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

/** One page of history. */
export interface HistoryPage {
  /** Messages ascending by seq. */
  readonly messages: readonly Message[];
  /** The room's last seq at the time of the request. */
  readonly lastSeq: number;
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

/** A guest session as issued by `POST /api/session`. */
export interface Session {
  /** The bearer token (JWT). */
  readonly token: string;
  /** Who the token identifies. */
  readonly user: User;
  /** ISO 8601 expiry time. */
  readonly expiresAt: string;
}

/** Body of the `x-type: resume` control frame. */
export interface ResumeBody {
  /** The `x-since-seq` the client subscribed with. */
  readonly sinceSeq: number;
  /** The room's last seq when the server answered. */
  readonly lastSeq: number;
  /** `true` when nothing was replayed: the client pages `after=sinceSeq` up to `lastSeq` itself. */
  readonly truncated: boolean;
}

/** Body of `x-type: room-deleted` on a room topic. */
export interface RoomDeletedBody {
  /** The deleted room. */
  readonly roomId: number;
}

/** Body of `x-type: room-deleted` on the lobby topic (`room-created`/`room-updated` carry a {@link Room}). */
export interface LobbyRoomDeletedBody {
  /** The deleted room. */
  readonly id: number;
}

/** `GET /api/rooms`. */
export interface RoomListBody {
  /** Rooms ordered by id. */
  readonly rooms: readonly Room[];
}

/** Body of a chat SEND to `/app/rooms/{id}/messages`. */
export interface SendMessageBody {
  /** 1–`MAX_MESSAGE_CHARS` code points. */
  readonly text: string;
  /** Idempotency key, 1–64 of `[A-Za-z0-9_-]`. */
  readonly clientMsgId?: string;
}

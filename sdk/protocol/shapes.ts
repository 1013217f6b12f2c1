/**
 * JSON shapes of the wire contract (`docs/protocol.md`): REST bodies and the bodies of room-topic
 * MESSAGE frames. The backend builds exactly these; the SDK and widget read them.
 */

/**
 * A user as the server knows them. User ids are strings and namespaced so the two kinds never collide:
 * `u_…` for guests (server-assigned), `h_<sub>` for the embedding site's users (from its signed token).
 */
export interface User {
  /** Stable user id, stamped by the server from the token. */
  readonly id: string;
  /** Display name, 1–32 code points. */
  readonly nickname: string;
  /** Avatar (https URL), from a host token's `picture` claim; absent for guests. */
  readonly picture?: string;
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
  /** User ids of the room's moderators (set by the owner or a site admin). */
  readonly moderatorIds: readonly string[];
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
  /** ISO 8601 time of the last edit; `null` when never edited. */
  readonly editedAt: string | null;
  /** `true` for a tombstone: the message was deleted, `text` is empty, the seq stays. */
  readonly deleted: boolean;
}

/** What a {@link MessageMutation} did to its message. */
export type MutationType = 'edited' | 'deleted';

/**
 * A change to an earlier message. Mutations take their own seq in the room's stream (as Matrix
 * redactions do), so gap detection counts them like messages and a resume from any seq brings every
 * change made since, including changes to messages older than that seq. Sent as `x-type: message-edited`
 * or `message-deleted` with `x-seq` = the mutation's seq; in history pages, in `mutations`.
 */
export interface MessageMutation {
  /** The mutation's own seq in the room's stream. */
  readonly seq: number;
  /** Room of the message. */
  readonly roomId: number;
  /** `edited` or `deleted`. */
  readonly type: MutationType;
  /** The message in its state now (its own `seq` is the target's). */
  readonly message: Message;
  /** Who made the change (the sender, or for deletes possibly a moderator, the owner or an admin). */
  readonly by: User;
  /** ISO 8601 time of the change. */
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

/**
 * One page of history: the stream entries with seq in the page's range, split by kind. Together the seqs
 * of `messages` and `mutations` cover the range with no holes; `limit` counts both.
 */
export interface HistoryPage {
  /** Messages ascending by seq, each in its current state (edited text, or a tombstone). */
  readonly messages: readonly Message[];
  /** Mutations ascending by seq, each carrying its message's current state. */
  readonly mutations: readonly MessageMutation[];
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

/**
 * Body of `x-type: kicked`, sent only to the removed user's subscriptions of the room topic, each of which
 * the server then ends. After a kick the user may join again; after a ban every join is refused `BANNED`
 * until `until` (forever when `null`).
 */
export interface KickedBody {
  /** The room. */
  readonly roomId: number;
  /** `kick` or `ban`. */
  readonly reason: 'kick' | 'ban';
  /** For a ban: ISO 8601 end, or `null` for a ban without end; for a kick: `null`. */
  readonly until: string | null;
}

/** A stored ban or mute (`GET /api/rooms/:id/bans`, `GET /api/rooms/:id/mutes`). */
export interface Restriction {
  /** The banned or muted user. */
  readonly userId: string;
  /** ISO 8601 end, or `null` for no end (bans only; a mute always has an end). */
  readonly until: string | null;
  /** User id of who imposed it. */
  readonly byId: string;
  /** ISO 8601 time it was imposed. */
  readonly createdAt: string;
}

/** `GET /api/rooms/:id/bans` and `GET /api/rooms/:id/mutes`: the restrictions in force now. */
export interface RestrictionListBody {
  /** Ascending by `createdAt`. */
  readonly items: readonly Restriction[];
}

/** Body of `POST /api/rooms/:id/kick`. */
export interface KickInput {
  /** Whom to remove. */
  userId: string;
}

/** Body of `POST /api/rooms/:id/bans` (no `durationS`: no end) and `POST /api/rooms/:id/mutes` (`durationS` required). */
export interface RestrictInput {
  /** Whom to restrict. */
  userId: string;
  /** 1–31 536 000 s (a year). */
  durationS?: number;
}

/** Body of `PATCH /api/rooms/:id/messages/:seq`. */
export interface EditMessageInput {
  /** The new text, same rules as a sent message's. */
  text: string;
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

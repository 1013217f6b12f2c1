/**
 * Header names and `x-type` values of Parley's STOMP frames (`docs/protocol.md` §5).
 */

/** What a MESSAGE on a room topic carries. */
export type RoomFrameType = 'message' | 'message-edited' | 'message-deleted' | 'presence' | 'typing' | 'resume' | 'room-deleted' | 'kicked' | 'call';
/** Every {@link RoomFrameType}. */
export const ROOM_FRAME_TYPES: readonly RoomFrameType[] = [
  'message',
  'message-edited',
  'message-deleted',
  'presence',
  'typing',
  'resume',
  'room-deleted',
  'kicked',
  'call',
];

/** What a MESSAGE on the lobby topic carries. */
export type LobbyFrameType = 'room-created' | 'room-updated' | 'room-deleted';
/** Every {@link LobbyFrameType}. */
export const LOBBY_FRAME_TYPES: readonly LobbyFrameType[] = ['room-created', 'room-updated', 'room-deleted'];

/** What a MESSAGE on `/user/queue/signal` carries. */
export type SignalFrameType = 'signal';
/** Every {@link SignalFrameType}. */
export const SIGNAL_FRAME_TYPES: readonly SignalFrameType[] = ['signal'];

/** MESSAGE: which of the frame types above the body is. */
export const HEADER_TYPE = 'x-type';
/** MESSAGE `x-type: message | message-edited | message-deleted` and the RECEIPT of a chat SEND: the entry's seq in the room's stream. */
export const HEADER_SEQ = 'x-seq';
/** RECEIPT of a chat SEND: the stored message's id. */
export const HEADER_MESSAGE_ID = 'x-message-id';
/** RECEIPT of a chat SEND: `true` when the `clientMsgId` was already stored. */
export const HEADER_DUPLICATE = 'x-duplicate';
/** SUBSCRIBE to a room topic: the last seq the client has (resume from there). */
export const HEADER_SINCE_SEQ = 'x-since-seq';
/** `x-type: resume`: the room's last seq when the server answered. */
export const HEADER_LAST_SEQ = 'x-last-seq';
/** `x-type: resume`: `true` when nothing was replayed and the client pages history itself. */
export const HEADER_RESUME_TRUNCATED = 'x-resume-truncated';
/** ERROR frames and refusals: the stable error code. */
export const HEADER_ERROR_CODE = 'x-error-code';
/** Refusals a wait would cure (`RATE_LIMITED`, `TOO_MANY_ATTEMPTS`): ms until the same frame would pass (also `retryAfterMs` in the body). */
export const HEADER_RETRY_AFTER_MS = 'retry-after-ms';
/** RECEIPT of a call join: this session's participant id. */
export const HEADER_PARTICIPANT_ID = 'x-participant-id';
/** RECEIPT of a call join: the join order (decides perfect-negotiation roles). */
export const HEADER_ORDER = 'x-order';

/** Every Parley-specific header (the docs test checks them). */
export const PARLEY_HEADERS = [
  HEADER_TYPE,
  HEADER_SEQ,
  HEADER_MESSAGE_ID,
  HEADER_DUPLICATE,
  HEADER_SINCE_SEQ,
  HEADER_LAST_SEQ,
  HEADER_RESUME_TRUNCATED,
  HEADER_ERROR_CODE,
  HEADER_PARTICIPANT_ID,
  HEADER_ORDER,
] as const;

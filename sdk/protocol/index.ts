/**
 * The wire contract between the Parley backend and its clients, in one place: destinations,
 * frame types and headers, JSON bodies, and the error catalogue. `docs/protocol.md` describes it,
 * and a test keeps the two in step.
 */
export { ERROR_CATALOGUE, RETRYABLE_CODES, errorSpec, isRetryable } from './errors.js';
export type { ClientErrorCode, ErrorBody, ErrorCode, ErrorKind, ErrorRow, ErrorSpec, ServerErrorCode } from './errors.js';
export { ERRORS_QUEUE, LOBBY_TOPIC, ROOM_ACTIONS, ROOM_TOPIC_PREFIX, SESSION_REFRESH, SIGNAL_QUEUE, destinationPatterns, roomAction, roomTopic } from './destinations.js';
export type { RoomAction } from './destinations.js';
export {
  HEADER_DUPLICATE,
  HEADER_ERROR_CODE,
  HEADER_LAST_SEQ,
  HEADER_MESSAGE_ID,
  HEADER_ORDER,
  HEADER_PARTICIPANT_ID,
  HEADER_RESUME_TRUNCATED,
  HEADER_SEQ,
  HEADER_SINCE_SEQ,
  HEADER_TYPE,
  LOBBY_FRAME_TYPES,
  PARLEY_HEADERS,
  ROOM_FRAME_TYPES,
  SIGNAL_FRAME_TYPES,
} from './frames.js';
export type { LobbyFrameType, RoomFrameType, SignalFrameType } from './frames.js';
export type {
  CreateRoomInput,
  EditMessageInput,
  HistoryPage,
  KickInput,
  KickedBody,
  LobbyRoomDeletedBody,
  Message,
  MessageMutation,
  MessageType,
  MutationType,
  PresenceEvent,
  PresenceUser,
  Restriction,
  RestrictionListBody,
  RestrictInput,
  ResumeBody,
  Room,
  RoomDeletedBody,
  RoomKind,
  RoomListBody,
  SendMessageBody,
  Session,
  TypingEvent,
  UpdateRoomInput,
  User,
} from './shapes.js';
export type {
  CallParticipantInfo,
  CallSnapshot,
  IceCandidateInit,
  IceServerEntry,
  IceServersResponse,
  IncomingSignal,
  MediaFlags,
  SessionDescriptionInit,
  SignalPayload,
} from './call-shapes.js';

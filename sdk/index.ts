/**
 * Parley SDK: a typed chat client with automatic reconnect and gap-free, duplicate-free resume.
 *
 * @packageDocumentation
 */
export { ChatClient } from './chat-client.js';
export type { ChatClientOptions, JoinOptions } from './chat-client.js';
export { RoomHandle } from './room-handle.js';
export { RoomsApi } from './rooms-api.js';
export { TypedEmitter } from './events.js';
export type { ClientEvents, ClientEventName, EventCallbacks, RoomEvents, RoomEventName, Unsubscribe } from './events.js';
export { ParleyError, isParleyErrorCode } from './errors.js';
export type { ParleyErrorCode, ParleyErrorOptions, SdkErrorCode, ServerErrorCode } from './errors.js';
export { DefaultReconnectPolicy } from './reconnect-policy.js';
export type { DefaultReconnectPolicyOptions, ReconnectContext, ReconnectPolicy } from './reconnect-policy.js';
export type { ConnectionState } from './connection-state.js';
export type { TokenProvider } from './auth.js';
export type { TransportKind, WebSocketConstructor, WebSocketFactory, WebSocketLike } from './transport.js';
export type {
  Clock,
  CreateRoomInput,
  FetchInit,
  FetchLike,
  FetchResponseLike,
  HistoryPage,
  HistoryQuery,
  LobbyEvent,
  Message,
  MessageType,
  PendingMessage,
  PendingState,
  PresenceEvent,
  PresenceUser,
  ResumeInfo,
  Room,
  RoomKind,
  Session,
  TypingEvent,
  UpdateRoomInput,
  User,
} from './types.js';

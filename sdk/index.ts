/**
 * Parley SDK: a typed chat client with automatic reconnect and gap-free, duplicate-free resume.
 *
 * @packageDocumentation
 */
export { ChatClient } from './chat-client.js';
export type { ChatClientOptions, JoinOptions } from './chat-client.js';
export { RoomHandle } from './room-handle.js';
export type { RoomState } from './room-handle.js';
// Loaded on demand by `room.moderation()`; only its type is part of this bundle.
export type { RoomModeration } from './room-moderation.js';
export { RoomsApi } from './rooms-api.js';
export { TypedEmitter } from './events.js';
export type { ClientEvents, ClientEventName, EventCallbacks, RoomEvents, RoomEventName, Unsubscribe } from './events.js';
export { ParleyError, isParleyError, isParleyErrorCode } from './errors.js';
export type { ParleyErrorCode, ParleyErrorOptions, SdkErrorCode, ServerErrorCode } from './errors.js';
// The wire contract (docs/protocol.md), for apps that speak STOMP to Parley themselves.
// (The full catalogue, `sdk/protocol/errors.ts`, stays out of the bundle: codes are types here.)
export { ERRORS_QUEUE, LOBBY_TOPIC, RETRYABLE_CODES, SIGNAL_QUEUE, isRetryable, roomAction, roomTopic } from './protocol/index.js';
export type { ErrorBody, ErrorCode, ErrorKind, RoomAction, RoomFrameType, LobbyFrameType, ResumeBody, SendMessageBody } from './protocol/index.js';
export { DefaultReconnectPolicy } from './reconnect-policy.js';
export type { DefaultReconnectPolicyOptions, ReconnectContext, ReconnectPolicy } from './reconnect-policy.js';
export type { ConnectionState } from './connection-state.js';
export type { CurrentUser, TokenProvider } from './auth.js';
// The call layer is loaded on demand by `room.call()`; only its types are part of this bundle.
export type { CallJoinOptions, CallSession, CallSessionOptions } from './call/call-session.js';
export type { CallRejoinContext, CallRejoinPolicy, DefaultCallRejoinPolicyOptions } from './call/rejoin-policy.js';
export type { CallEventName, CallEvents, CallParticipant, LocalMedia } from './call/call-events.js';
export type { CallSignalling } from './call/call-signalling.js';
export type { CallTopology, CallTopologyContext, CallTopologyFactory, IceRecoveryPolicy, LocalTracks, TopologyListener } from './call/call-topology.js';
export type { NegotiationNote } from './call/negotiation.js';
export type { NegotiablePeer } from './call/peer-negotiator.js';
export type { MediaDevicesLike, PeerConnectionLike, WebRtcEnvironment } from './call/webrtc-environment.js';
export type {
  CallJoinResult,
  CallParticipantInfo,
  CallSnapshot,
  CallState,
  IceCandidateInit,
  IceServerEntry,
  IceServersResponse,
  IncomingSignal,
  LocalMediaIssue,
  MediaFlags,
  SessionDescriptionInit,
  SignalPayload,
} from './call/types.js';
export type { TransportKind, WebSocketConstructor, WebSocketFactory, WebSocketLike } from './transport.js';
export type {
  Clock,
  CreateRoomInput,
  FetchInit,
  FetchLike,
  FetchResponseLike,
  HistoryPage,
  HistoryQuery,
  KickedBody,
  LobbyEvent,
  Message,
  MessageMutation,
  MessageType,
  MutationType,
  PendingMessage,
  PendingState,
  PresenceEvent,
  PresenceUser,
  Restriction,
  ResumeInfo,
  Room,
  RoomKind,
  Session,
  TypingEvent,
  UpdateRoomInput,
  User,
} from './types.js';

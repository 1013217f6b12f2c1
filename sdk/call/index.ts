/**
 * The call layer (WebRTC; browser only). Loaded on demand by `room.call()`; import it directly
 * to run a {@link CallSession} over your own {@link CallSignalling} or a custom topology.
 */
export { CallSession } from './call-session.js';
export type { CallJoinOptions, CallSessionOptions } from './call-session.js';
export { DefaultCallRejoinPolicy } from './rejoin-policy.js';
export type { CallRejoinContext, CallRejoinPolicy, DefaultCallRejoinPolicyOptions } from './rejoin-policy.js';
export { CallPeers } from './call-peers.js';
export { LocalMediaController } from './local-media-controller.js';
export type { LocalMediaHost } from './local-media-controller.js';
export type { CallEventName, CallEvents, CallParticipant, LocalMedia } from './call-events.js';
export type { CallSignalling } from './call-signalling.js';
export type { CallTopology, CallTopologyContext, CallTopologyFactory, IceRecoveryPolicy, LocalTracks, TopologyListener } from './call-topology.js';
export { MeshTopology, rtcConfiguration } from './mesh-topology.js';
export { NegotiationMachine } from './negotiation.js';
export type { NegotiationInput, NegotiationNote, NegotiationOp, NegotiationSignaling, NegotiationSnapshot, NegotiationStep } from './negotiation.js';
export { PeerNegotiator } from './peer-negotiator.js';
export type { NegotiablePeer, PeerNegotiatorOptions } from './peer-negotiator.js';
export { IceServerManager } from './ice-servers.js';
export type { IceServerManagerOptions } from './ice-servers.js';
export { openLocalMedia } from './local-media.js';
export type { MediaRequest, OpenedMedia } from './local-media.js';
export { browserEnvironment } from './webrtc-environment.js';
export type { MediaDevicesLike, PeerConnectionLike, WebRtcEnvironment } from './webrtc-environment.js';
/** @internal */
export { RoomCallSignalling } from './room-call-signalling.js';
// The call's data types (CallSnapshot, SignalPayload, CallState…) are exported once, by the SDK's main entry.

import type { Clock } from '../types.js';
import type { CallSignalling } from './call-signalling.js';
import type { CallTopologyFactory, IceRecoveryPolicy } from './call-topology.js';
import type { CallRejoinPolicy } from './rejoin-policy.js';
import type { IceServersResponse } from './types.js';
import type { WebRtcEnvironment } from './webrtc-environment.js';

/** Options of `CallSession`. */
export interface CallSessionOptions {
  /** The call's signalling (`room.call()` passes the SDK's). */
  readonly signalling: CallSignalling;
  /** Peer connections, devices, network changes. Default: the browser's. */
  readonly environment?: WebRtcEnvironment;
  /** Timers. Default: global timers. */
  readonly clock?: Clock;
  /** Most participants this client takes part with (mesh cost grows with the square). Default 4. */
  readonly maxParticipants?: number;
  /** How media flows. Default: full mesh. */
  readonly topology?: CallTopologyFactory;
  /** `relay` forces every connection through TURN. Default `all`. */
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
  /** Microphone constraints used whenever it is opened. Default `true`. */
  readonly audioConstraints?: MediaTrackConstraints;
  /** Camera constraints used whenever it is opened. Default `true`. */
  readonly videoConstraints?: MediaTrackConstraints;
  /** Where ICE servers come from. Default: `signalling.iceServers()` (`GET /api/ice-servers`). */
  readonly iceServers?: () => Promise<IceServersResponse>;
  /** Refresh the ICE servers once this fraction of their `ttl` has passed. Default 0.8. */
  readonly iceRefreshFraction?: number;
  /** ICE recovery tunables. */
  readonly recovery?: Partial<IceRecoveryPolicy>;
  /**
   * Whether and when to join again after losing the call. Default: `DefaultCallRejoinPolicy`
   * with `maxRejoins` and `rejoinWindowMs`.
   */
  readonly rejoinPolicy?: CallRejoinPolicy;
  /** Full re-joins allowed within `rejoinWindowMs` by the default `rejoinPolicy`. Default 3 per 60 000 ms. */
  readonly maxRejoins?: number;
  /** See `maxRejoins`. */
  readonly rejoinWindowMs?: number;
}

/** Options of `CallSession.join`. */
export interface CallJoinOptions {
  /** Publish the microphone. Default true. */
  readonly audio?: boolean;
  /** Publish the camera. Default true. */
  readonly video?: boolean;
}

/**
 * Global timers, looked up at call time (fake timers apply). Not `../clock.js`'s `systemClock`:
 * importing it would make the SDK entry export it for this lazily loaded chunk.
 * @internal
 */
export const globalClock: Clock = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
  now: () => Date.now(),
};

/** ICE recovery defaults. @internal */
export const DEFAULT_RECOVERY: IceRecoveryPolicy = {
  maxIceRestarts: 2,
  iceRestartTimeoutMs: 15_000,
  disconnectedGraceMs: 4_000,
  connectTimeoutMs: 30_000,
};

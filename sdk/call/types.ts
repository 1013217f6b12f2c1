export type {
  MediaFlags,
  CallParticipantInfo,
  CallSnapshot,
  IceCandidateInit,
  SessionDescriptionInit,
  SignalPayload,
  IncomingSignal,
  IceServerEntry,
  IceServersResponse,
} from '../protocol/call-shapes.js';

/** Result of a successful call join. */
export interface CallJoinResult {
  /** Our participant id. */
  readonly participantId: string;
  /** Our join order. */
  readonly order: number;
}

/**
 * Why local media is not what was asked for.
 * - `permission-denied`: the user (or policy) refused camera and microphone: view-only.
 * - `camera-denied`: the camera was refused, the microphone works: audio-only.
 * - `no-camera`: there is no camera (or it failed): audio-only.
 * - `no-microphone`: there is no microphone, the camera works: video without sound.
 * - `no-devices`: neither camera nor microphone could be opened: view-only.
 */
export type LocalMediaIssue = 'permission-denied' | 'camera-denied' | 'no-camera' | 'no-microphone' | 'no-devices';

/**
 * State of a {@link CallSession}.
 * - `idle`: created, not joined.
 * - `joining`: fetching ICE servers, opening devices, joining.
 * - `joined`: in the call.
 * - `rejoining`: recovering (ICE could not be restarted, or the connection dropped): joining again.
 * - `left`: left (or refused); the session may `join()` again.
 */
export type CallState = 'idle' | 'joining' | 'joined' | 'rejoining' | 'left';

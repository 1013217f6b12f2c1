import type { ParleyError } from '../errors.js';
import type { NegotiationNote } from './negotiation.js';
import type { CallParticipantInfo, CallState, LocalMediaIssue, MediaFlags } from './types.js';

/** Another participant, with their media as received here. */
export interface CallParticipant extends CallParticipantInfo {
  /** Their audio and video, once the first track arrived. */
  readonly stream: MediaStream | undefined;
  /** State of the connection carrying their media (`new` before it exists). */
  readonly connectionState: RTCPeerConnectionState;
}

/** What we publish. */
export interface LocalMedia extends MediaFlags {
  /** Our camera (or screen) and microphone, for a self-view. */
  readonly stream: MediaStream | undefined;
  /** The track the video sender carries now: the camera, the screen, or none. */
  readonly videoTrack: MediaStreamTrack | undefined;
  /** Why we publish less than asked (permission refused, no camera…). */
  readonly issue: LocalMediaIssue | undefined;
  /** The microphone in use. */
  readonly audioDeviceId: string | undefined;
  /** The camera in use. */
  readonly videoDeviceId: string | undefined;
}

/** Events of a {@link CallSession}. */
export interface CallEvents {
  /** The session's state changed. */
  stateChanged: (state: CallState, previous: CallState) => void;
  /** Someone joined the call (or was there when we joined). */
  participantJoined: (participant: CallParticipant) => void;
  /** Someone left the call (their tracks were removed first). */
  participantLeft: (participant: CallParticipant) => void;
  /** Someone turned their microphone, camera or screen share on or off. */
  muteChanged: (participant: CallParticipant) => void;
  /** A remote track arrived. */
  trackAdded: (participantId: string, track: MediaStreamTrack, stream: MediaStream | undefined) => void;
  /** A remote track is gone (its participant left, or the connection was closed). */
  trackRemoved: (participantId: string, track: MediaStreamTrack) => void;
  /** The connection to a participant changed state. */
  peerStateChanged: (participantId: string, state: RTCPeerConnectionState) => void;
  /** Our published media changed (mute, device switch, screen share, fallback). */
  localMediaChanged: (media: LocalMedia) => void;
  /** A STUN/TURN server refused a request (e.g. `401` for a wrong or expired TURN credential). */
  iceError: (participantId: string, errorCode: number, url: string) => void;
  /** Diagnostics: an offer collision was resolved, an input deferred, a candidate buffered or dropped. */
  negotiation: (participantId: string, note: NegotiationNote) => void;
  /** A failure the session could not recover from by itself (re-join refused, ICE servers unreachable). */
  error: (error: ParleyError) => void;
}

/** Event names of a {@link CallSession}. */
export type CallEventName = keyof CallEvents;

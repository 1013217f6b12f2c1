import type { Unsubscribe } from '../events.js';
import type { NegotiablePeer } from './peer-negotiator.js';

/** The part of an `RTCPeerConnection` the mesh uses (tests pass a double). */
export type PeerConnectionLike = NegotiablePeer &
  Pick<
    RTCPeerConnection,
    | 'connectionState'
    | 'iceConnectionState'
    | 'addTrack'
    | 'addTransceiver'
    | 'getTransceivers'
    | 'getSenders'
    | 'getStats'
    | 'setConfiguration'
    | 'getConfiguration'
    | 'onnegotiationneeded'
    | 'onicecandidate'
    | 'ontrack'
    | 'onconnectionstatechange'
    | 'onicecandidateerror'
  >;

/** The part of `navigator.mediaDevices` the call uses. */
export interface MediaDevicesLike {
  /** Opens the camera and/or microphone. */
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  /** Captures a screen or window (absent where screen sharing is not supported). */
  getDisplayMedia?(options?: DisplayMediaStreamOptions): Promise<MediaStream>;
  /** Lists the devices. */
  enumerateDevices(): Promise<MediaDeviceInfo[]>;
}

/**
 * Where a call gets its peer connections, devices and network-change signal. The default is the
 * browser's; tests inject doubles.
 */
export interface WebRtcEnvironment {
  /** `new RTCPeerConnection(config)`. */
  createPeerConnection(config: RTCConfiguration): PeerConnectionLike;
  /** `navigator.mediaDevices`. */
  readonly mediaDevices: MediaDevicesLike | undefined;
  /** Calls `listener` when the network may have changed (back online, interface change). */
  onNetworkChange(listener: () => void): Unsubscribe;
}

interface NetworkInformationLike {
  addEventListener(type: 'change', listener: () => void): void;
  removeEventListener(type: 'change', listener: () => void): void;
}

/**
 * The browser's environment: `RTCPeerConnection`, `navigator.mediaDevices`, and the `online`
 * event plus `navigator.connection`'s `change` as network-change signals.
 * @throws TypeError where WebRTC is not available
 */
export function browserEnvironment(): WebRtcEnvironment {
  const g = globalThis as { RTCPeerConnection?: typeof RTCPeerConnection; navigator?: Navigator; addEventListener?: typeof addEventListener; removeEventListener?: typeof removeEventListener };
  const Pc = g.RTCPeerConnection;
  if (typeof Pc !== 'function') throw new TypeError('Calls need WebRTC (RTCPeerConnection is not available here)');
  return {
    createPeerConnection: (config) => new Pc(config) as unknown as PeerConnectionLike,
    mediaDevices: g.navigator?.mediaDevices,
    onNetworkChange: (listener) => {
      const connection = (g.navigator as { connection?: NetworkInformationLike } | undefined)?.connection;
      g.addEventListener?.('online', listener);
      connection?.addEventListener('change', listener);
      return () => {
        g.removeEventListener?.('online', listener);
        connection?.removeEventListener('change', listener);
      };
    },
  };
}

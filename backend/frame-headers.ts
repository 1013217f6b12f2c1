import { HEADER_TYPE, type LobbyFrameType, type RoomFrameType, type SignalFrameType } from '../sdk/protocol/frames.js';

/** Every `x-type` the server sends, from the protocol module. */
export type FrameType = RoomFrameType | LobbyFrameType | SignalFrameType;

/** Headers of a Parley JSON MESSAGE: its `x-type`, the content type, and any `extra` headers. */
export function jsonFrameHeaders(type: FrameType, extra?: Record<string, string>): Record<string, string> {
  return { [HEADER_TYPE]: type, 'content-type': 'application/json', ...extra };
}

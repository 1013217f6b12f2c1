import type { Message } from '../../sdk/protocol/shapes.js';
import type { MessageRecord } from './message-repository.js';
import { roomTopic } from '../../sdk/protocol/destinations.js';
import { HEADER_SEQ } from '../../sdk/protocol/frames.js';
import { jsonFrameHeaders } from '../frame-headers.js';

/** The Message JSON of docs/protocol.md. */
export function toMessageJson(m: MessageRecord): Message {
  return {
    id: m.id,
    seq: m.seq,
    roomId: m.roomId,
    type: m.type,
    sender: { id: m.senderId, nickname: m.senderNickname },
    text: m.text,
    clientMsgId: m.clientMsgId,
    createdAt: m.createdAt.toISOString(),
  };
}

export { roomTopic };

/** Headers of a stored message on the room topic. */
export function messageHeaders(m: MessageRecord): Record<string, string> {
  return jsonFrameHeaders('message', { [HEADER_SEQ]: String(m.seq) });
}

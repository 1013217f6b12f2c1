import type { Message } from '../../sdk/protocol/shapes.js';
import type { MessageRecord } from './message-repository.js';
import type { PreparedMessage } from '../stomp/frame.js';
import { roomTopic } from '../../sdk/protocol/destinations.js';
import { HEADER_SEQ, HEADER_TYPE } from '../../sdk/protocol/frames.js';
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
    editedAt: null,
    deleted: false,
  };
}

export { roomTopic };

/** Headers of a stored message on the room topic. */
export function messageHeaders(m: MessageRecord): Record<string, string> {
  return jsonFrameHeaders('message', { [HEADER_SEQ]: String(m.seq) });
}

/** The seq of a chat message frame; undefined for presence, typing, call and other frames. */
export function messageSeq(m: PreparedMessage): number | undefined {
  if (m.headers.get(HEADER_TYPE) !== 'message') return undefined;
  const seq = Number(m.headers.get(HEADER_SEQ));
  return Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
}

import type { MessageRecord } from './message-repository.js';

/** The Message JSON of docs/protocol.md. */
export interface MessageJson {
  id: number;
  seq: number;
  roomId: number;
  type: MessageRecord['type'];
  sender: { id: string; nickname: string };
  text: string;
  clientMsgId: string | null;
  createdAt: string;
}

export function toMessageJson(m: MessageRecord): MessageJson {
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

export function roomTopic(roomId: number): string {
  return `/topic/rooms/${roomId}`;
}

/** Headers of a stored message on the room topic. */
export function messageHeaders(m: MessageRecord): Record<string, string> {
  return { 'x-type': 'message', 'x-seq': String(m.seq), 'content-type': 'application/json' };
}

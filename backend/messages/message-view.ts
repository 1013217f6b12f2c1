import type { Message, MessageMutation, MutationType } from '../../sdk/protocol/shapes.js';
import type { MessageRecord, MutationKind, MutationRecord } from './message-repository.js';
import type { PreparedMessage } from '../stomp/frame.js';
import { roomTopic } from '../../sdk/protocol/destinations.js';
import { HEADER_SEQ, HEADER_TYPE, type RoomFrameType } from '../../sdk/protocol/frames.js';
import { jsonFrameHeaders } from '../frame-headers.js';

/** The Message JSON of docs/protocol.md, in the state the record holds. */
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
    editedAt: m.editedAt === null ? null : m.editedAt.toISOString(),
    deleted: m.deleted,
  };
}

const MUTATION_TYPE: Record<MutationKind, MutationType> = { edit: 'edited', delete: 'deleted' };
const MUTATION_FRAME: Record<MutationKind, RoomFrameType> = { edit: 'message-edited', delete: 'message-deleted' };

/** The Mutation JSON of docs/protocol.md; `target` is the changed message as it is now. */
export function toMutationJson(m: MutationRecord, target: MessageRecord): MessageMutation {
  return {
    seq: m.seq,
    roomId: m.roomId,
    type: MUTATION_TYPE[m.type],
    message: toMessageJson(target),
    by: { id: m.senderId, nickname: m.senderNickname },
    createdAt: m.createdAt.toISOString(),
  };
}

export { roomTopic };

/** Headers of a stored message on the room topic. */
export function messageHeaders(m: MessageRecord): Record<string, string> {
  return jsonFrameHeaders('message', { [HEADER_SEQ]: String(m.seq) });
}

/** Headers of a stored mutation on the room topic: its own x-type, and its own seq. */
export function mutationHeaders(m: MutationRecord): Record<string, string> {
  return jsonFrameHeaders(MUTATION_FRAME[m.type], { [HEADER_SEQ]: String(m.seq) });
}

/** The x-types that are entries of the room's stream, each with a seq of its own. */
const STREAM_FRAME_TYPES: ReadonlySet<string> = new Set<RoomFrameType>(['message', 'message-edited', 'message-deleted']);

/**
 * The seq of a stream entry's frame (a message or a mutation); undefined for presence, typing,
 * call and other frames. Ordering (the cluster's sequencer, resume's hand-over to live frames)
 * counts every entry, so a mutation can neither overtake nor duplicate a message.
 */
export function messageSeq(m: PreparedMessage): number | undefined {
  const type = m.headers.get(HEADER_TYPE);
  if (type === undefined || !STREAM_FRAME_TYPES.has(type)) return undefined;
  const seq = Number(m.headers.get(HEADER_SEQ));
  return Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
}

/**
 * STOMP destinations (`docs/protocol.md` §5, §6). Build them here; never write them as literals.
 * Builders take `number | string` so the backend can build its route patterns with `'{id}'`.
 */

/** Room list events (`x-type: room-created | room-updated | room-deleted`). */
export const LOBBY_TOPIC = '/topic/lobby';
/** This session's application refusals. */
export const ERRORS_QUEUE = '/user/queue/errors';
/** WebRTC signals addressed to this session's call participant. */
export const SIGNAL_QUEUE = '/user/queue/signal';
/** Prefix of every room topic; clients may subscribe to a room's topic but never send to it. */
export const ROOM_TOPIC_PREFIX = '/topic/rooms/';

/** A room's topic: messages, presence, typing, resume, call presence, room-deleted. */
export function roomTopic(roomId: number | string): string {
  return `${ROOM_TOPIC_PREFIX}${roomId}`;
}

/**
 * SEND here with `Authorization: Bearer <new token>` (same user) before the connection's token
 * expires: the session then lives until the new token's `exp` instead of closing with TOKEN_EXPIRED.
 */
export const SESSION_REFRESH = '/app/session/refresh';

/** Every `/app/rooms/{id}/…` action a client may SEND. */
export const ROOM_ACTIONS = ['join', 'leave', 'messages', 'typing', 'call/join', 'call/leave', 'call/media', 'signal'] as const;
/** One of {@link ROOM_ACTIONS}. */
export type RoomAction = (typeof ROOM_ACTIONS)[number];

/** The SEND destination of a room action, e.g. `roomAction(3, 'join')` → `/app/rooms/3/join`. */
export function roomAction(roomId: number | string, action: RoomAction): string {
  return `/app/rooms/${roomId}/${action}`;
}

/** Every destination pattern of the contract, with `{id}` for the room id (the docs test checks them). */
export function destinationPatterns(): string[] {
  return [LOBBY_TOPIC, ERRORS_QUEUE, SIGNAL_QUEUE, SESSION_REFRESH, roomTopic('{id}'), ...ROOM_ACTIONS.map((a) => roomAction('{id}', a))];
}

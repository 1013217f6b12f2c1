import type { Room } from '../../sdk/protocol/shapes.js';
import type { RoomRecord } from './room-repository.js';
import { LOBBY_TOPIC } from '../../sdk/protocol/destinations.js';

/** The Room JSON of docs/protocol.md; the password hash never leaves the server. */
export function toRoomJson(room: RoomRecord, userCount: number, moderatorIds: readonly string[]): Room {
  return {
    id: room.id,
    name: room.name,
    kind: room.kind,
    userCount,
    maxUsers: room.maxUsers,
    locked: room.passwordHash !== null,
    ownerId: room.ownerId,
    moderatorIds: [...moderatorIds],
    createdAt: room.createdAt.toISOString(),
  };
}

export { LOBBY_TOPIC };

import type { RoomKind, RoomRecord } from './room-repository.js';

/** The Room JSON of docs/protocol.md; the password hash never leaves the server. */
export interface RoomJson {
  id: number;
  name: string;
  kind: RoomKind;
  userCount: number;
  maxUsers: number;
  locked: boolean;
  ownerId: string | null;
  createdAt: string;
}

export function toRoomJson(room: RoomRecord, userCount: number): RoomJson {
  return {
    id: room.id,
    name: room.name,
    kind: room.kind,
    userCount,
    maxUsers: room.maxUsers,
    locked: room.passwordHash !== null,
    ownerId: room.ownerId,
    createdAt: room.createdAt.toISOString(),
  };
}

export const LOBBY_TOPIC = '/topic/lobby';

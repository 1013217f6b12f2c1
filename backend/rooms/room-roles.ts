import type { AuthUser } from '../auth/auth-user.js';

/** What decides who may moderate a room: its owner and its moderators (site admins come from the token). */
export interface RoomAuthority {
  readonly ownerId: string | null;
  readonly moderatorIds: readonly string[];
}

/**
 * Rank of a user in a room: admin > owner > moderator > member. Moderation acts only downwards
 * (docs/authorization.md), so a moderator cannot ban the owner and nobody can ban a site admin.
 */
export const Rank = { Member: 0, Moderator: 1, Owner: 2, Admin: 3 } as const;
/** One of {@link Rank}. */
export type Rank = (typeof Rank)[keyof typeof Rank];

/** The rank of `user` in `room`. */
export function rankOf(room: RoomAuthority, user: Pick<AuthUser, 'id' | 'admin'>): Rank {
  if (user.admin === true) return Rank.Admin;
  if (room.ownerId !== null && room.ownerId === user.id) return Rank.Owner;
  if (room.moderatorIds.includes(user.id)) return Rank.Moderator;
  return Rank.Member;
}

/** Whether `user` may kick, ban, mute, and delete others' messages in `room`. */
export function canModerate(room: RoomAuthority, user: Pick<AuthUser, 'id' | 'admin'>): boolean {
  return rankOf(room, user) >= Rank.Moderator;
}

/** Whether `user` may change the room itself and its moderators (owner or admin). */
export function canAdminister(room: RoomAuthority, user: Pick<AuthUser, 'id' | 'admin'>): boolean {
  return rankOf(room, user) >= Rank.Owner;
}

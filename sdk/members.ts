import type { PresenceEvent, PresenceUser } from './types.js';

/**
 * Applies a presence event to a room's member list (`snapshot` replaces it).
 * @returns the distinct users in the room, as the server counted them
 * @internal
 */
export function applyPresence(members: Map<string, PresenceUser>, p: PresenceEvent): number {
  if (p.kind === 'snapshot') {
    members.clear();
    for (const u of p.users) members.set(u.id, u);
  } else if (p.kind === 'joined') {
    members.set(p.user.id, p.user);
  } else {
    members.delete(p.user.id);
  }
  return p.userCount;
}

import type { HttpMethod } from './http.js';
import type { Restriction, Room } from './types.js';
import type { RestrictInput } from './protocol/shapes.js';

/** The longest ban or mute, in seconds (a year; `docs/protocol.md` §3). */
const MAX_DURATION_S = 31_536_000;

/**
 * Moderation of one room over REST (`docs/protocol.md` §3), from `await room.moderation()`. Who may call
 * what is `docs/authorization.md`: kicks, bans and mutes need a moderator, the owner or a site admin
 * (`NOT_MODERATOR` otherwise; `CANNOT_MODERATE` for a target ranked as high as you); moderators are
 * named by the owner or an admin (`NOT_OWNER`). Methods reject with a `ParleyError`; a bad argument
 * throws at once (`TypeError`/`RangeError`).
 */
export interface RoomModeration {
  /** Removes the user's sessions from the room now (they get `kicked`); they may join again. */
  kick(userId: string): Promise<void>;
  /**
   * Bans the user: removed like a kick, and every join is refused `BANNED` until the ban ends.
   * @param options - `durationS`: 1–31 536 000 s; omitted: no end
   */
  ban(userId: string, options?: { durationS?: number }): Promise<Restriction>;
  /** Lifts a ban. */
  unban(userId: string): Promise<void>;
  /** The bans in force, oldest first. */
  bans(): Promise<Restriction[]>;
  /**
   * Mutes the user: they may read, but sending, typing and joining the call are refused `MUTED`.
   * @param durationS - 1–31 536 000 s (a mute always ends)
   */
  mute(userId: string, durationS: number): Promise<Restriction>;
  /** Lifts a mute. */
  unmute(userId: string): Promise<void>;
  /** The mutes in force, oldest first. */
  mutes(): Promise<Restriction[]>;
  /** Makes the user a moderator of the room (owner or admin); resolves with the room. */
  addModerator(userId: string): Promise<Room>;
  /** Ends the user's moderator role (owner or admin); resolves with the room. */
  removeModerator(userId: string): Promise<Room>;
}

type Rest = <T>(method: HttpMethod, path: string, body: unknown, auth: true) => Promise<T>;

/**
 * Builds the moderation API of a room. Loaded on demand by `room.moderation()`, so apps that never
 * moderate don't download it.
 * @internal
 */
export function roomModeration(rest: Rest, roomId: number): RoomModeration {
  const base = `/api/rooms/${roomId}`;
  const user = (userId: unknown): string => {
    if (typeof userId !== 'string' || userId === '') throw new TypeError('moderation: bad userId');
    return encodeURIComponent(userId);
  };
  const call = <T>(method: HttpMethod, path: string, body?: unknown): Promise<T> => rest<T>(method, `${base}${path}`, body, true);
  const none = (p: Promise<unknown>): Promise<void> => p.then(() => undefined);
  const restrict = (kind: 'bans' | 'mutes', userId: string, durationS: number | undefined): Promise<Restriction> => {
    user(userId);
    if (durationS !== undefined && (!Number.isInteger(durationS) || durationS < 1 || durationS > MAX_DURATION_S)) {
      throw new RangeError(`moderation: durationS not in 1–${MAX_DURATION_S}`);
    }
    const body: RestrictInput = durationS === undefined ? { userId } : { userId, durationS };
    return call<Restriction>('POST', `/${kind}`, body);
  };
  const list = (kind: 'bans' | 'mutes'): Promise<Restriction[]> => call<{ items: Restriction[] }>('GET', `/${kind}`).then((r) => r.items);

  return {
    kick: (userId) => (user(userId), none(call('POST', '/kick', { userId }))),
    ban: (userId, options = {}) => restrict('bans', userId, options.durationS),
    unban: (userId) => none(call('DELETE', `/bans/${user(userId)}`)),
    bans: () => list('bans'),
    mute: (userId, durationS) => {
      if (durationS === undefined) throw new RangeError('moderation: mute needs durationS');
      return restrict('mutes', userId, durationS);
    },
    unmute: (userId) => none(call('DELETE', `/mutes/${user(userId)}`)),
    mutes: () => list('mutes'),
    addModerator: (userId) => call<Room>('PUT', `/moderators/${user(userId)}`),
    removeModerator: (userId) => call<Room>('DELETE', `/moderators/${user(userId)}`),
  };
}

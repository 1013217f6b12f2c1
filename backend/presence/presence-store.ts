import type { AuthUser } from '../auth/auth-user.js';

/**
 * Who is in which room, by session. Counts are derived from this, never incremented blindly,
 * so they cannot drift below zero. The Redis store (backend/cluster/redis-presence-store.ts)
 * replaces the in-memory one for several instances; the room service only uses this interface.
 *
 * Questions about a session of this process (`hasSession`, `roomsOfSession`) are answered
 * locally and synchronously: they sit on every SEND. Everything about users and counts may
 * span instances and is asynchronous.
 */
export interface PresenceStore {
  /**
   * Adds the session unless the room already holds `maxUsers` other users (`full`, nothing
   * added); the check and the add are one step. `userWasAbsent`: this is the user's first
   * presence in the room (not counting a grace period).
   */
  addSession(roomId: number, user: AuthUser, sessionId: string, maxUsers?: number): Promise<{ full: boolean; userWasAbsent: boolean }>;
  /** `userHasNoSessions`: the user's last session in the room is gone (the user stays until `removeUser`). */
  removeSession(roomId: number, userId: string, sessionId: string): Promise<{ userHasNoSessions: boolean }>;
  /** True when this call removed the user (exactly one caller wins a race). */
  removeUser(roomId: number, userId: string): Promise<boolean>;
  hasUser(roomId: number, userId: string): Promise<boolean>;
  /** A session of this process. */
  hasSession(roomId: number, sessionId: string): boolean;
  /** Sessions of the user in the room, on every instance. */
  sessionCount(roomId: number, userId: string): Promise<number>;
  userCount(roomId: number): Promise<number>;
  users(roomId: number): Promise<AuthUser[]>;
  /** Rooms a session of this process is in. */
  roomsOfSession(sessionId: string): number[];
  clearRoom(roomId: number): Promise<void>;
  /** The grace period this process started for the user ended, whatever its outcome. */
  graceOver(roomId: number, userId: string): Promise<void>;
}

interface Entry {
  user: AuthUser;
  sessions: Set<string>;
}

/** One process's presence; the default when no Redis is configured. */
export class InMemoryPresenceStore implements PresenceStore {
  private readonly rooms = new Map<number, Map<string, Entry>>();
  private readonly sessionRooms = new Map<string, Set<number>>();

  async addSession(roomId: number, user: AuthUser, sessionId: string, maxUsers = Number.POSITIVE_INFINITY): Promise<{ full: boolean; userWasAbsent: boolean }> {
    if (!(this.rooms.get(roomId)?.has(user.id) ?? false) && (this.rooms.get(roomId)?.size ?? 0) >= maxUsers) return { full: true, userWasAbsent: false };
    let room = this.rooms.get(roomId);
    if (room === undefined) {
      room = new Map();
      this.rooms.set(roomId, room);
    }
    let entry = room.get(user.id);
    const userWasAbsent = entry === undefined;
    if (entry === undefined) {
      entry = { user, sessions: new Set() };
      room.set(user.id, entry);
    }
    entry.user = user;
    entry.sessions.add(sessionId);
    let joined = this.sessionRooms.get(sessionId);
    if (joined === undefined) {
      joined = new Set();
      this.sessionRooms.set(sessionId, joined);
    }
    joined.add(roomId);
    return { full: false, userWasAbsent };
  }

  async removeSession(roomId: number, userId: string, sessionId: string): Promise<{ userHasNoSessions: boolean }> {
    const joined = this.sessionRooms.get(sessionId);
    joined?.delete(roomId);
    if (joined?.size === 0) this.sessionRooms.delete(sessionId);
    const entry = this.rooms.get(roomId)?.get(userId);
    if (entry === undefined) return { userHasNoSessions: false };
    const had = entry.sessions.delete(sessionId);
    return { userHasNoSessions: had && entry.sessions.size === 0 };
  }

  async removeUser(roomId: number, userId: string): Promise<boolean> {
    const room = this.rooms.get(roomId);
    const entry = room?.get(userId);
    if (room === undefined || entry === undefined) return false;
    for (const sessionId of entry.sessions) this.sessionRooms.get(sessionId)?.delete(roomId);
    room.delete(userId);
    if (room.size === 0) this.rooms.delete(roomId);
    return true;
  }

  async hasUser(roomId: number, userId: string): Promise<boolean> {
    return this.rooms.get(roomId)?.has(userId) ?? false;
  }

  hasSession(roomId: number, sessionId: string): boolean {
    return this.sessionRooms.get(sessionId)?.has(roomId) ?? false;
  }

  async sessionCount(roomId: number, userId: string): Promise<number> {
    return this.rooms.get(roomId)?.get(userId)?.sessions.size ?? 0;
  }

  async userCount(roomId: number): Promise<number> {
    return this.rooms.get(roomId)?.size ?? 0;
  }

  async users(roomId: number): Promise<AuthUser[]> {
    return [...(this.rooms.get(roomId)?.values() ?? [])].map((e) => e.user);
  }

  roomsOfSession(sessionId: string): number[] {
    return [...(this.sessionRooms.get(sessionId) ?? [])];
  }

  async graceOver(): Promise<void> {
    // Nothing to forget: grace periods live and die with this process.
  }

  async clearRoom(roomId: number): Promise<void> {
    const room = this.rooms.get(roomId);
    if (room === undefined) return;
    for (const entry of room.values()) {
      for (const sessionId of entry.sessions) this.sessionRooms.get(sessionId)?.delete(roomId);
    }
    this.rooms.delete(roomId);
  }
}

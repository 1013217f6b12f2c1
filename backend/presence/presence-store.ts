import type { AuthUser } from '../auth/auth-user.js';

/**
 * Who is in which room, by session. Counts are derived from this, never incremented blindly,
 * so they cannot drift below zero. A Redis store can replace the in-memory one for several
 * instances; the room service only uses this interface.
 */
export interface PresenceStore {
  /** `userWasAbsent`: this is the user's first presence in the room (not counting a grace period). */
  addSession(roomId: number, user: AuthUser, sessionId: string): { userWasAbsent: boolean };
  /** `userHasNoSessions`: the user's last session in the room is gone (the user stays until `removeUser`). */
  removeSession(roomId: number, userId: string, sessionId: string): { userHasNoSessions: boolean };
  removeUser(roomId: number, userId: string): boolean;
  hasUser(roomId: number, userId: string): boolean;
  hasSession(roomId: number, sessionId: string): boolean;
  sessionCount(roomId: number, userId: string): number;
  userCount(roomId: number): number;
  users(roomId: number): AuthUser[];
  roomsOfSession(sessionId: string): number[];
  clearRoom(roomId: number): void;
}

interface Entry {
  user: AuthUser;
  sessions: Set<string>;
}

export class InMemoryPresenceStore implements PresenceStore {
  private readonly rooms = new Map<number, Map<string, Entry>>();
  private readonly sessionRooms = new Map<string, Set<number>>();

  addSession(roomId: number, user: AuthUser, sessionId: string): { userWasAbsent: boolean } {
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
    return { userWasAbsent };
  }

  removeSession(roomId: number, userId: string, sessionId: string): { userHasNoSessions: boolean } {
    const joined = this.sessionRooms.get(sessionId);
    joined?.delete(roomId);
    if (joined?.size === 0) this.sessionRooms.delete(sessionId);
    const entry = this.rooms.get(roomId)?.get(userId);
    if (entry === undefined) return { userHasNoSessions: false };
    const had = entry.sessions.delete(sessionId);
    return { userHasNoSessions: had && entry.sessions.size === 0 };
  }

  removeUser(roomId: number, userId: string): boolean {
    const room = this.rooms.get(roomId);
    const entry = room?.get(userId);
    if (room === undefined || entry === undefined) return false;
    for (const sessionId of entry.sessions) this.sessionRooms.get(sessionId)?.delete(roomId);
    room.delete(userId);
    if (room.size === 0) this.rooms.delete(roomId);
    return true;
  }

  hasUser(roomId: number, userId: string): boolean {
    return this.rooms.get(roomId)?.has(userId) ?? false;
  }

  hasSession(roomId: number, sessionId: string): boolean {
    return this.sessionRooms.get(sessionId)?.has(roomId) ?? false;
  }

  sessionCount(roomId: number, userId: string): number {
    return this.rooms.get(roomId)?.get(userId)?.sessions.size ?? 0;
  }

  userCount(roomId: number): number {
    return this.rooms.get(roomId)?.size ?? 0;
  }

  users(roomId: number): AuthUser[] {
    return [...(this.rooms.get(roomId)?.values() ?? [])].map((e) => e.user);
  }

  roomsOfSession(sessionId: string): number[] {
    return [...(this.sessionRooms.get(sessionId) ?? [])];
  }

  clearRoom(roomId: number): void {
    const room = this.rooms.get(roomId);
    if (room === undefined) return;
    for (const entry of room.values()) {
      for (const sessionId of entry.sessions) this.sessionRooms.get(sessionId)?.delete(roomId);
    }
    this.rooms.delete(roomId);
  }
}

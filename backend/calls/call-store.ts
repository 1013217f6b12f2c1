import type { AuthUser } from '../auth/auth-user.js';

export interface MediaState {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

export interface Participant extends MediaState {
  /** Opaque, server-assigned, one per session and call join. */
  id: string;
  user: AuthUser;
  /** Join order within the call: of two peers, the later joiner is the polite one. */
  order: number;
  /** The session's id; it names the instance that holds it (see `instanceOfSession`). */
  sessionId: string;
}

/** A participant before the store gives it its join order. */
export type NewParticipant = Omit<Participant, 'order'>;

/**
 * Who is in each room's call, on every instance. The cap is checked and the participant added
 * in one step, so joins on two instances cannot both take the last place.
 */
export interface CallStore {
  /** The session's existing participant, `'full'` at the cap, or the new participant with its order. */
  join(roomId: number, participant: NewParticipant, maxParticipants: number): Promise<Participant | 'full'>;
  /** Removes every participant of the session in the room; true if there was one. */
  leave(roomId: number, sessionId: string): Promise<boolean>;
  /** Removes one participant by id (reaping a dead instance); true if it was there. */
  remove(roomId: number, participantId: string): Promise<boolean>;
  /** Replaces the participant's media flags; false if it is not in the call. */
  update(roomId: number, participant: Participant): Promise<boolean>;
  /** In join order. */
  list(roomId: number): Promise<Participant[]>;
  clearRoom(roomId: number): Promise<void>;
}

/** One process's calls; the default when no Redis is configured. */
export class InMemoryCallStore implements CallStore {
  private readonly calls = new Map<number, { next: number; participants: Map<string, Participant> }>();

  async join(roomId: number, participant: NewParticipant, maxParticipants: number): Promise<Participant | 'full'> {
    let call = this.calls.get(roomId);
    if (call === undefined) {
      call = { next: 1, participants: new Map() };
      this.calls.set(roomId, call);
    }
    const existing = [...call.participants.values()].find((p) => p.sessionId === participant.sessionId);
    if (existing !== undefined) return existing;
    if (call.participants.size >= maxParticipants) return 'full';
    const p: Participant = { ...participant, order: call.next++ };
    call.participants.set(p.id, p);
    return p;
  }

  async leave(roomId: number, sessionId: string): Promise<boolean> {
    const call = this.calls.get(roomId);
    if (call === undefined) return false;
    let removed = false;
    for (const p of call.participants.values()) {
      if (p.sessionId !== sessionId) continue;
      call.participants.delete(p.id);
      removed = true;
    }
    if (call.participants.size === 0) this.calls.delete(roomId);
    return removed;
  }

  async remove(roomId: number, participantId: string): Promise<boolean> {
    const call = this.calls.get(roomId);
    const removed = call?.participants.delete(participantId) ?? false;
    if (call?.participants.size === 0) this.calls.delete(roomId);
    return removed;
  }

  async update(roomId: number, participant: Participant): Promise<boolean> {
    const call = this.calls.get(roomId);
    if (call?.participants.has(participant.id) !== true) return false;
    call.participants.set(participant.id, participant);
    return true;
  }

  async list(roomId: number): Promise<Participant[]> {
    return [...(this.calls.get(roomId)?.participants.values() ?? [])];
  }

  async clearRoom(roomId: number): Promise<void> {
    this.calls.delete(roomId);
  }
}

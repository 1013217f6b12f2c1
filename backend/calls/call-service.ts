import { randomBytes } from 'node:crypto';
import type { AuthUser } from '../auth/auth-user.js';
import { ParleyError } from '../errors.js';
import { roomTopic } from '../messages/message-view.js';
import type { Broker } from '../stomp/broker.js';
import type { StompSession } from '../stomp/session.js';
import { SIGNAL_QUEUE } from '../../sdk/protocol/destinations.js';
import type { CallSnapshot, IncomingSignal } from '../../sdk/protocol/call-shapes.js';
import { jsonFrameHeaders } from '../frame-headers.js';

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
  sessionId: string;
}


/**
 * Who is in each room's call. A participant is a session (a reload is a new participant), so
 * signals go to exactly one peer connection. The mesh is capped; an SFU would replace the
 * fan-out of media, not this bookkeeping.
 */
export class CallService {
  private readonly calls = new Map<number, { next: number; participants: Map<string, Participant> }>();

  constructor(private readonly broker: Broker, private readonly maxParticipants: number) {}

  join(session: StompSession, user: AuthUser, roomId: number, media: MediaState): Participant {
    let call = this.calls.get(roomId);
    if (call === undefined) {
      call = { next: 1, participants: new Map() };
      this.calls.set(roomId, call);
    }
    const existing = [...call.participants.values()].find((p) => p.sessionId === session.id);
    if (existing !== undefined) return existing;
    if (call.participants.size >= this.maxParticipants) throw new ParleyError('CALL_FULL', `The call is full (${this.maxParticipants} participants)`);
    const participant: Participant = { id: `p_${randomBytes(6).toString('base64url')}`, user, order: call.next++, sessionId: session.id, ...media };
    call.participants.set(participant.id, participant);
    this.announce(roomId);
    return participant;
  }

  leave(session: StompSession, roomId: number): boolean {
    const call = this.calls.get(roomId);
    if (call === undefined) return false;
    let removed = false;
    for (const p of call.participants.values()) {
      if (p.sessionId !== session.id) continue;
      call.participants.delete(p.id);
      removed = true;
    }
    if (call.participants.size === 0) this.calls.delete(roomId);
    if (removed) this.announce(roomId);
    return removed;
  }

  /** A closed connection leaves every call at once: its peer connections are gone too. */
  sessionClosed(session: StompSession): void {
    for (const roomId of [...this.calls.keys()]) this.leave(session, roomId);
  }

  setMedia(session: StompSession, roomId: number, media: Partial<MediaState>): void {
    const p = this.participantOf(session, roomId);
    if (media.audio !== undefined) p.audio = media.audio;
    if (media.video !== undefined) p.video = media.video;
    if (media.screen !== undefined) p.screen = media.screen;
    this.announce(roomId);
  }

  /** Relays an offer/answer/candidate to one participant of the same call. */
  signal(session: StompSession, roomId: number, to: string, payload: Record<string, unknown>): void {
    const from = this.participantOf(session, roomId);
    const target = this.calls.get(roomId)?.participants.get(to);
    if (target === undefined) throw new ParleyError('NOT_IN_CALL', 'The addressee is not in this call');
    const body = JSON.stringify({ ...payload, roomId, from: from.id, fromUser: { id: from.user.id, nickname: from.user.nickname }, to } satisfies IncomingSignal);
    this.broker.toSession(target.sessionId, SIGNAL_QUEUE, jsonFrameHeaders('signal'), body);
  }

  snapshot(roomId: number): string {
    const participants = [...(this.calls.get(roomId)?.participants.values() ?? [])].map((p) => ({
      id: p.id,
      user: { id: p.user.id, nickname: p.user.nickname },
      order: p.order,
      audio: p.audio,
      video: p.video,
      screen: p.screen,
    }));
    return JSON.stringify({ roomId, participants, maxParticipants: this.maxParticipants } satisfies CallSnapshot);
  }

  clearRoom(roomId: number): void {
    this.calls.delete(roomId);
  }

  private participantOf(session: StompSession, roomId: number): Participant {
    const p = [...(this.calls.get(roomId)?.participants.values() ?? [])].find((x) => x.sessionId === session.id);
    if (p === undefined) throw new ParleyError('NOT_IN_CALL');
    return p;
  }

  private announce(roomId: number): void {
    this.broker.publish(roomTopic(roomId), jsonFrameHeaders('call'), this.snapshot(roomId));
  }
}

import { randomBytes } from 'node:crypto';
import type { AuthUser } from '../auth/auth-user.js';
import { ParleyError } from '../errors.js';
import { roomTopic } from '../messages/message-view.js';
import type { Broker } from '../stomp/broker.js';
import type { StompSession } from '../stomp/session.js';
import { SIGNAL_QUEUE } from '../../sdk/protocol/destinations.js';
import type { CallSnapshot, IncomingSignal } from '../../sdk/protocol/call-shapes.js';
import { jsonFrameHeaders } from '../frame-headers.js';
import type { CallStore, MediaState, Participant } from './call-store.js';

export type { MediaState, Participant } from './call-store.js';


/**
 * Who is in each room's call. A participant is a session (a reload is a new participant), so
 * signals go to exactly one peer connection, on whichever instance holds it. The mesh is
 * capped; an SFU would replace the fan-out of media, not this bookkeeping.
 */
export class CallService {
  /** Rooms whose call each session of this process is in, so a closed socket leaves them. */
  private readonly roomsBySession = new Map<string, Set<number>>();

  constructor(private readonly broker: Broker, private readonly maxParticipants: number, private readonly store: CallStore) {}

  async join(session: StompSession, user: AuthUser, roomId: number, media: MediaState): Promise<Participant> {
    const id = `p_${randomBytes(6).toString('base64url')}`;
    const p = await this.store.join(roomId, { id, user, sessionId: session.id, ...media }, this.maxParticipants);
    if (p === 'full') throw new ParleyError('CALL_FULL', `The call is full (${this.maxParticipants} participants)`);
    if (!session.isOpen) {
      // Closed while the store answered: its close handler did not know about this call yet.
      await this.store.leave(roomId, session.id);
      await this.announce(roomId);
      return p;
    }
    let rooms = this.roomsBySession.get(session.id);
    if (rooms === undefined) {
      rooms = new Set();
      this.roomsBySession.set(session.id, rooms);
    }
    rooms.add(roomId);
    if (p.id === id) await this.announce(roomId);
    return p;
  }

  async leave(session: StompSession, roomId: number): Promise<boolean> {
    const rooms = this.roomsBySession.get(session.id);
    rooms?.delete(roomId);
    if (rooms?.size === 0) this.roomsBySession.delete(session.id);
    const removed = await this.store.leave(roomId, session.id);
    if (removed) await this.announce(roomId);
    return removed;
  }

  /** A closed connection leaves every call at once: its peer connections are gone too. */
  async sessionClosed(session: StompSession): Promise<void> {
    const rooms = [...(this.roomsBySession.get(session.id) ?? [])];
    await Promise.all(rooms.map((roomId) => this.leave(session, roomId)));
  }

  /** A participant left behind by a dead instance. */
  async reap(roomId: number, participantId: string): Promise<void> {
    if (await this.store.remove(roomId, participantId)) await this.announce(roomId);
  }

  async setMedia(session: StompSession, roomId: number, media: Partial<MediaState>): Promise<void> {
    const p = await this.participantOf(session, roomId);
    if (media.audio !== undefined) p.audio = media.audio;
    if (media.video !== undefined) p.video = media.video;
    if (media.screen !== undefined) p.screen = media.screen;
    if (!(await this.store.update(roomId, p))) throw new ParleyError('NOT_IN_CALL');
    await this.announce(roomId);
  }

  /** Relays an offer/answer/candidate to one participant of the same call. */
  async signal(session: StompSession, roomId: number, to: string, payload: Record<string, unknown>): Promise<void> {
    const list = await this.store.list(roomId);
    const from = list.find((x) => x.sessionId === session.id);
    if (from === undefined) throw new ParleyError('NOT_IN_CALL');
    const target = list.find((x) => x.id === to);
    if (target === undefined) throw new ParleyError('NOT_IN_CALL', 'The addressee is not in this call');
    const body = JSON.stringify({ ...payload, roomId, from: from.id, fromUser: { id: from.user.id, nickname: from.user.nickname }, to } satisfies IncomingSignal);
    this.broker.toSession(target.sessionId, SIGNAL_QUEUE, jsonFrameHeaders('signal'), body);
  }

  async snapshot(roomId: number): Promise<string> {
    const participants = (await this.store.list(roomId)).map((p) => ({
      id: p.id,
      user: { id: p.user.id, nickname: p.user.nickname },
      order: p.order,
      audio: p.audio,
      video: p.video,
      screen: p.screen,
    }));
    return JSON.stringify({ roomId, participants, maxParticipants: this.maxParticipants } satisfies CallSnapshot);
  }

  async clearRoom(roomId: number): Promise<void> {
    await this.store.clearRoom(roomId);
  }

  private async participantOf(session: StompSession, roomId: number): Promise<Participant> {
    const p = (await this.store.list(roomId)).find((x) => x.sessionId === session.id);
    if (p === undefined) throw new ParleyError('NOT_IN_CALL');
    return p;
  }

  /** Publishes the call's participants to the room. */
  async announce(roomId: number): Promise<void> {
    this.broker.publish(roomTopic(roomId), jsonFrameHeaders('call'), await this.snapshot(roomId));
  }
}

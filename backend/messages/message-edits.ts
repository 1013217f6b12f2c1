import type { AuthUser } from '../auth/auth-user.js';
import { ParleyError } from '../errors.js';
import { canModerate, type RoomAuthority } from '../rooms/room-roles.js';
import type { MessageMutation } from '../../sdk/protocol/shapes.js';
import { isMutation, type MessageRecord, type StreamEntry } from './message-repository.js';
import type { MessageService, MutationDecision } from './message-service.js';
import { messageText } from './message-text.js';
import type { RateLimit } from './rate-limiter.js';
import { toMutationJson } from './message-view.js';

/** What edits and deletes need to know about rooms. */
export interface EditableRooms {
  /** The room's owner and moderators; ROOM_NOT_FOUND when there is none. */
  get(roomId: number): Promise<RoomAuthority>;
  /** NOT_MEMBER when `user` may not read the room (a locked room they never joined). */
  assertCanRead(user: AuthUser, roomId: number): Promise<void>;
  /** BANNED while a ban of `user` in the room is in force. */
  assertNotBanned(user: AuthUser, roomId: number): Promise<void>;
}

/** MUTED while a mute of `user` in the room is in force. */
export interface MuteCheck {
  checkNotMuted(user: AuthUser, roomId: number): void | Promise<void>;
}

export interface MessageEditsOptions {
  messages: MessageService;
  rooms: EditableRooms;
  /** How long after `createdAt` its sender may edit a message (EDIT_WINDOW_S), ms. */
  editWindowMs: number;
  maxMessageChars: number;
  now: () => number;
  /** A muted member may still delete their own messages, but not edit them (docs/authorization.md). */
  mutes?: MuteCheck;
  /**
   * The chat bucket (RATE_LIMIT_PER_S per user): an edit or delete is an entry of the room's stream,
   * broadcast to everyone, like a message, so it costs the same token.
   */
  rateLimit?: RateLimit;
}

/**
 * Who may edit or delete which message (docs/protocol.md §3, docs/authorization.md). The change
 * itself is a mutation stored and broadcast by {@link MessageService.mutate}; the checks on the
 * target run inside the room's lane, on the target as it is there.
 */
export class MessageEdits {
  constructor(private readonly o: MessageEditsOptions) {}

  /** `PATCH /api/rooms/:id/messages/:seq`: the sender, within the edit window. */
  async edit(user: AuthUser, roomId: number, seq: number, rawText: unknown): Promise<MessageMutation> {
    const text = messageText(rawText, this.o.maxMessageChars);
    await this.admit(user, roomId, seq);
    await this.o.mutes?.checkNotMuted(user, roomId);
    await this.charge(user);
    const stored = await this.o.messages.mutate(roomId, seq, user, async (target): Promise<MutationDecision> => {
      const message = requireEditable(target);
      if (message.senderId !== user.id) throw new ParleyError('NOT_SENDER');
      if (message.deleted) throw new ParleyError('MESSAGE_DELETED');
      // The same text again, after an edit: a retry whose answer was lost gets the stored edit
      // rather than a second mutation that changes nothing.
      if (message.editedAt !== null && message.text === text) {
        const last = await this.o.messages.lastEdit(roomId, seq);
        if (last !== null) return { kind: 'answer', result: last };
      }
      if (this.o.now() - message.createdAt.getTime() > this.o.editWindowMs) throw new ParleyError('EDIT_WINDOW_CLOSED');
      return { kind: 'store', change: { kind: 'edit', text } };
    });
    // An edit never ends without a stored or earlier mutation: the decision above throws instead.
    if (stored === null) throw new ParleyError('MESSAGE_DELETED');
    return toMutationJson(stored.mutation, stored.target);
  }

  /**
   * `DELETE /api/rooms/:id/messages/:seq`: the sender, or the room's moderators, owner and site
   * admins. Deleting a tombstone again changes nothing and stores no mutation.
   */
  async delete(user: AuthUser, roomId: number, seq: number): Promise<void> {
    const room = await this.admit(user, roomId, seq, true);
    await this.charge(user);
    await this.o.messages.mutate(roomId, seq, user, (target): MutationDecision => {
      const message = requireEditable(target);
      if (message.senderId !== user.id && !canModerate(room, user)) throw new ParleyError('NOT_MODERATOR');
      if (message.deleted) return { kind: 'answer', result: null };
      return { kind: 'store', change: { kind: 'delete' } };
    });
  }

  private async charge(user: AuthUser): Promise<void> {
    const retryAfterMs = (await this.o.rateLimit?.takeOrWait(user.id)) ?? 0;
    if (retryAfterMs > 0) throw new ParleyError('RATE_LIMITED', undefined, { details: { retryAfterMs } });
  }

  /**
   * Edit and delete are for members, by the history rule: anyone signed in for an open room, the
   * owner and those who joined for a locked one. For a delete the sender of the message always
   * passes, even after losing access (a password change), so nobody loses the right to take back
   * what they wrote; an edit is speaking, and speaking needs access (docs/authorization.md).
   */
  private async admit(user: AuthUser, roomId: number, seq: number, ownPasses = false): Promise<RoomAuthority> {
    const room = await this.o.rooms.get(roomId);
    // A ban shuts the user out of the room entirely, their own messages included.
    await this.o.rooms.assertNotBanned(user, roomId);
    const entry = await this.o.messages.entryAt(roomId, seq);
    const own = ownPasses && entry !== null && !isMutation(entry) && entry.senderId === user.id;
    if (!own) await this.o.rooms.assertCanRead(user, roomId);
    return room;
  }
}

/** The target as a text message, or MESSAGE_NOT_FOUND (no entry, or a mutation) / NOT_EDITABLE (enter/leave). */
function requireEditable(target: StreamEntry | null): MessageRecord {
  if (target === null || isMutation(target)) throw new ParleyError('MESSAGE_NOT_FOUND');
  if (target.type !== 'text') throw new ParleyError('NOT_EDITABLE');
  return target;
}

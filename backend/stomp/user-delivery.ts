import type { PreparedMessage } from './frame.js';
import type { StompSession } from './session.js';

/**
 * Per-user delivery to `/user/queue/**`. The local implementation knows this process's
 * sessions; a Redis implementation would publish to the user's channel on every instance.
 */
export interface UserDelivery {
  add(session: StompSession): void;
  remove(session: StompSession): void;
  /** Every session of the user that subscribed to `destination` (e.g. `/user/queue/signal`). */
  toUser(userId: string, destination: string, message: PreparedMessage): void;
  /** One session only: refusals go back to the session that caused them. */
  toSession(sessionId: string, destination: string, message: PreparedMessage): void;
}

export class LocalUserDelivery implements UserDelivery {
  private readonly byUser = new Map<string, Set<StompSession>>();
  private readonly byId = new Map<string, StompSession>();

  add(session: StompSession): void {
    const user = session.user;
    if (user === undefined) return;
    this.byId.set(session.id, session);
    let set = this.byUser.get(user.id);
    if (set === undefined) {
      set = new Set();
      this.byUser.set(user.id, set);
    }
    set.add(session);
  }

  remove(session: StompSession): void {
    this.byId.delete(session.id);
    const user = session.user;
    if (user === undefined) return;
    const set = this.byUser.get(user.id);
    set?.delete(session);
    if (set?.size === 0) this.byUser.delete(user.id);
  }

  toUser(userId: string, destination: string, message: PreparedMessage): void {
    for (const session of this.byUser.get(userId) ?? []) deliverTo(session, destination, message);
  }

  toSession(sessionId: string, destination: string, message: PreparedMessage): void {
    const session = this.byId.get(sessionId);
    if (session !== undefined) deliverTo(session, destination, message);
  }
}

function deliverTo(session: StompSession, destination: string, message: PreparedMessage): void {
  for (const sub of session.subscriptionsTo(destination)) sub.deliver(message);
}

import type { AuthUser } from '../auth/auth-user.js';
import type { Broker } from '../stomp/broker.js';
import type { Clock } from '../stomp/clock.js';
import { roomTopic } from './message-view.js';
import type { TypingEvent } from '../../sdk/protocol/shapes.js';
import { jsonFrameHeaders } from '../frame-headers.js';

/**
 * Typing state other instances can see (Redis), so a send on one instance ends typing that
 * another instance started.
 */
export interface SharedTyping {
  /** The user started or refreshed typing on this instance. */
  mark(roomId: number, userId: string, ttlMs: number): void;
  /** Ends it wherever it started; true when it was on. */
  clear(roomId: number, userId: string): Promise<boolean>;
}

/** Ephemeral typing state: never stored, ended by the server when no refresh comes in time. */
export class TypingService {
  private readonly timers = new Map<string, unknown>();
  /** When each typing user's last `typing: true` went out, for coalescing refreshes. */
  private readonly lastOn = new Map<string, number>();

  /** `minIntervalMs`: a refresh sooner than this after the last broadcast one is dropped (0 = never). */
  constructor(
    private readonly broker: Broker,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly shared?: SharedTyping,
    private readonly minIntervalMs = 0,
  ) {}

  set(roomId: number, user: AuthUser, typing: boolean): void {
    const key = `${roomId}:${user.id}`;
    const was = this.timers.get(key);
    // A refresh says nothing new: while the indicator is on and was sent less than the interval
    // ago, drop it (the expiry runs from the last one sent, at most the interval early). Issue 11.
    if (typing && was !== undefined && this.clock.now() - (this.lastOn.get(key) ?? -Infinity) < this.minIntervalMs) return;
    if (was !== undefined) this.clock.clearTimeout(was);
    if (!typing) {
      this.timers.delete(key);
      this.lastOn.delete(key);
      if (was !== undefined) {
        this.publish(roomId, user, false);
        void this.shared?.clear(roomId, user.id).catch(() => undefined);
      }
      return;
    }
    this.shared?.mark(roomId, user.id, this.ttlMs);
    this.timers.set(
      key,
      this.clock.setTimeout(() => {
        this.timers.delete(key);
        this.lastOn.delete(key);
        this.publish(roomId, user, false);
      }, this.ttlMs),
    );
    this.lastOn.set(key, this.clock.now());
    this.publish(roomId, user, true);
  }

  /** Sending a message or leaving ends typing. */
  clearUser(roomId: number, user: AuthUser): void {
    if (this.timers.has(`${roomId}:${user.id}`)) {
      this.set(roomId, user, false);
      return;
    }
    // Typing may have started on another instance (another session of the user).
    this.shared?.clear(roomId, user.id).then(
      (was) => {
        if (was) this.publish(roomId, user, false);
      },
      () => undefined,
    );
  }

  clearRoom(roomId: number): void {
    const prefix = `${roomId}:`;
    for (const [key, t] of this.timers) {
      if (!key.startsWith(prefix)) continue;
      this.clock.clearTimeout(t);
      this.timers.delete(key);
      this.lastOn.delete(key);
    }
  }

  stop(): void {
    for (const t of this.timers.values()) this.clock.clearTimeout(t);
    this.timers.clear();
    this.lastOn.clear();
  }

  private publish(roomId: number, user: AuthUser, typing: boolean): void {
    this.broker.publish(
      roomTopic(roomId),
      jsonFrameHeaders('typing'),
      JSON.stringify({ user: { id: user.id, nickname: user.nickname }, typing, expiresInMs: typing ? this.ttlMs : 0 } satisfies TypingEvent),
    );
  }
}

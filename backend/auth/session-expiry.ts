import { ParleyError } from '../errors.js';
import type { Broker } from '../stomp/broker.js';
import type { Clock } from '../stomp/clock.js';
import type { StompSession } from '../stomp/session.js';
import { SESSION_REFRESH } from '../../sdk/protocol/destinations.js';
import { bearerToken, type TokenService } from './token-service.js';

/** setTimeout's longest delay; a year-long token is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A STOMP session lives as long as its token: at the token's `exp` it gets `ERROR TOKEN_EXPIRED`
 * and is closed, unless the client handed over a fresher token for the same user with
 * `SEND /app/session/refresh` (docs/protocol.md §5). Time is the injected clock's.
 */
export class SessionExpiry {
  private readonly timers = new Map<StompSession, unknown>();

  constructor(
    broker: Broker,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
  ) {
    broker.onSessionClosed((session) => this.forget(session));
    broker.onSend(SESSION_REFRESH, async ({ session, user, frame }) => {
      const token = bearerToken(frame.headers.get('Authorization') ?? frame.headers.get('authorization'));
      if (token === undefined) throw new ParleyError('UNAUTHORIZED', 'Send Authorization: Bearer <token>');
      let verified;
      try {
        verified = await this.tokens.verifyToken(token);
      } catch (e: unknown) {
        throw new ParleyError('UNAUTHORIZED', 'The new token is not valid', { cause: e });
      }
      // Another user's token would turn this connection into theirs, memberships and all.
      if (verified.user.id !== user.id) throw new ParleyError('UNAUTHORIZED', 'The new token is for another user');
      if (!session.isOpen) return;
      // The newer claims (name, picture, admin) hold from now on.
      session.user = verified.user;
      this.track(session, verified.expiresAtMs);
    });
  }

  /** Closes `session` with TOKEN_EXPIRED at `expiresAtMs` (replacing any earlier deadline). */
  track(session: StompSession, expiresAtMs: number): void {
    this.forget(session);
    const wait = (): void => {
      const left = expiresAtMs - this.clock.now();
      if (left <= 0) {
        this.timers.delete(session);
        session.fail(new ParleyError('TOKEN_EXPIRED', 'The token has expired; refresh it before exp'), undefined);
        return;
      }
      this.timers.set(session, this.clock.setTimeout(wait, Math.min(left, MAX_TIMER_MS)));
    };
    wait();
  }

  private forget(session: StompSession): void {
    const timer = this.timers.get(session);
    if (timer === undefined) return;
    this.clock.clearTimeout(timer);
    this.timers.delete(session);
  }

  /** Sessions with a pending deadline (tests check nothing leaks). */
  get size(): number {
    return this.timers.size;
  }
}

import type { AuthUser } from '../auth/auth-user.js';
import type { ParleyError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Clock } from './clock.js';
import type { Frame, PreparedMessage } from './frame.js';
import type { ParserLimits } from './parser.js';
import type { StompSession } from './session.js';
import type { Subscription } from './subscription.js';

/** The broker side of a session: authentication, routing and clean-up. */
export interface SessionHost {
  authenticate(connect: Frame, session: StompSession): Promise<AuthUser>;
  sessionOpened(session: StompSession): void;
  /** May this SEND overlap with the frames after it (its handler orders its own work)? */
  isPipelined(frame: Frame): boolean;
  /** Routes a SEND; resolves with extra RECEIPT headers. */
  send(session: StompSession, frame: Frame): Promise<Record<string, string> | void>;
  /** Registers the subscription or throws a refusal; may hold it and replay. */
  subscribe(session: StompSession, subscription: Subscription): Promise<void>;
  unsubscribe(session: StompSession, subscription: Subscription): void;
  /** A queue message the client NACKed or never acked goes back for another consumer. */
  requeue(subscription: Subscription, message: PreparedMessage): void;
  refuse(session: StompSession, error: ParleyError, frame: Frame): void;
  sessionClosed(session: StompSession): void;
  countFrame(direction: 'in' | 'out', command: string): void;
  countError(code: string): void;
}

/** What every session of a broker shares. */
export interface SessionSettings {
  clock: Clock;
  logger: Logger;
  limits: ParserLimits;
  maxSubscriptions: number;
  heartbeatOutMs: number;
  heartbeatInMs: number;
  heartbeatTolerance: number;
  slowConsumerBytes: number;
  /** A socket that sends no CONNECT within this time is closed (0 = never). */
  connectTimeoutMs: number;
  /** Frames (BEGIN included) the open transactions of one session may hold. */
  maxTxFrames: number;
  /** Octets the open transactions of one session may hold. */
  maxTxBytes: number;
  serverName: string;
}

import type { ClientErrorCode, ErrorCode, ServerErrorCode } from './protocol/errors.js';

export type { ServerErrorCode };

/**
 * Error codes raised by the SDK itself.
 *
 * - `TIMEOUT`: no answer within `requestTimeoutMs`.
 * - `DISCONNECTED`: the operation needs a connection that is gone (or the client/room was closed).
 * - `QUEUE_FULL`: more than `maxQueuedMessages` unacknowledged messages in a room.
 * - `AUTH_FAILED`: no valid token could be obtained (also a server code).
 * - `NETWORK`: the server could not be reached.
 */
export type SdkErrorCode = ClientErrorCode | 'AUTH_FAILED';

/** Every code a {@link ParleyError} may carry: the protocol's catalogue (`docs/protocol.md` §2). */
export type ParleyErrorCode = ErrorCode;

/**
 * Tells whether a value looks like a Parley error code (upper-case letters and underscores).
 * Codes the server adds later pass through unchanged, so `code` may hold a value newer than
 * this SDK's {@link ParleyErrorCode} list; the known ones never change meaning.
 * @param code - any value, typically the `code` field of a server answer
 */
export function isParleyErrorCode(code: unknown): code is ParleyErrorCode {
  return typeof code === 'string' && /^[A-Z][A-Z_]{1,63}$/.test(code);
}

/**
 * Tells whether a value is a Parley error: a {@link ParleyError} of this or of another copy of the
 * SDK on the page. Decided by shape (`name` and `code`), never by `instanceof`, because an app and a
 * widget bundle may each carry their own copy of the class.
 * @param value - anything thrown or emitted
 */
export function isParleyError(value: unknown): value is ParleyError {
  return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'ParleyError' && isParleyErrorCode((value as { code?: unknown }).code);
}

/** Optional details of a {@link ParleyError}. */
export interface ParleyErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** HTTP status of a REST answer, when the error came from REST. */
  status?: number;
  /** STOMP destination of the refused frame, when the error came from a STOMP refusal. */
  destination?: string;
  /** Milliseconds the server asked to wait before retrying (`RATE_LIMITED`). */
  retryAfterMs?: number;
}

/**
 * The one error type the SDK rejects with. Match on {@link ParleyError.code}, never on the message.
 *
 * @example
 * ```ts
 * try { await client.join(id, { password }); }
 * catch (e) { if (isParleyError(e) && e.code === 'BAD_PASSWORD') askAgain(); }
 * ```
 */
export class ParleyError extends Error {
  /** Stable, machine-readable code. */
  readonly code: ParleyErrorCode;
  /** HTTP status when the error came from a REST call. */
  readonly status: number | undefined;
  /** Destination of the refused STOMP frame, when known. */
  readonly destination: string | undefined;
  /** Milliseconds the server asked to wait before a retry (`RATE_LIMITED`), when it said. */
  readonly retryAfterMs: number | undefined;

  /**
   * @param code - stable code
   * @param message - human-readable text (not for matching)
   * @param options - cause, HTTP status, destination
   */
  constructor(code: ParleyErrorCode, message: string, options: ParleyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ParleyError';
    this.code = code;
    this.status = options.status;
    this.destination = options.destination;
    this.retryAfterMs = options.retryAfterMs;
  }

  /**
   * Builds an error from a server error body (`{"code","message"}` or `{"error": {"code","message"}}`),
   * keeping its `retryAfterMs`.
   * An unknown code becomes `INTERNAL`, keeping the original in the message.
   * @param body - parsed JSON body (any shape)
   * @param options - status/destination to record
   */
  static fromServer(body: unknown, options: ParleyErrorOptions = {}): ParleyError {
    let obj: unknown = body;
    if (obj !== null && typeof obj === 'object' && 'error' in obj) obj = (obj as { error: unknown }).error;
    const rec = (obj !== null && typeof obj === 'object' ? obj : {}) as { code?: unknown; message?: unknown; retryAfterMs?: unknown };
    const message = typeof rec.message === 'string' ? rec.message : 'Server error';
    if (typeof rec.retryAfterMs === 'number') options = { ...options, retryAfterMs: rec.retryAfterMs };
    if (isParleyErrorCode(rec.code)) return new ParleyError(rec.code, message, options);
    return new ParleyError('INTERNAL', `${String(rec.code ?? 'unknown')}: ${message}`, options);
  }

  /**
   * The operation got no answer in time.
   * @param what - what was waited for
   * @param ms - the timeout in milliseconds
   */
  static timeout(what: string, ms: number): ParleyError {
    return new ParleyError('TIMEOUT', `${what}: no answer in ${ms} ms`);
  }

  /**
   * The connection (or the room, or the client) went away before the operation completed.
   * @param reason - short explanation
   * @param cause - underlying error
   */
  static disconnected(reason = 'Not connected', cause?: unknown): ParleyError {
    return new ParleyError('DISCONNECTED', reason, { cause });
  }

  /**
   * The bounded send queue has no room left.
   * @param max - the configured bound
   */
  static queueFull(max: number): ParleyError {
    return new ParleyError('QUEUE_FULL', `Over ${max} messages queued`);
  }

  /**
   * No valid token could be obtained or the server refused it.
   * @param reason - short explanation
   * @param cause - underlying error
   */
  static authFailed(reason: string, cause?: unknown): ParleyError {
    return new ParleyError('AUTH_FAILED', reason, { cause });
  }

  /**
   * The server could not be reached.
   * @param cause - the transport error
   */
  static network(cause?: unknown): ParleyError {
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    return new ParleyError('NETWORK', `Unreachable${detail}`, { cause });
  }

  /**
   * Wraps anything thrown into a ParleyError (a ParleyError is returned unchanged).
   * @param error - any thrown value
   */
  static from(error: unknown): ParleyError {
    return isParleyError(error) ? error : ParleyError.network(error);
  }
}

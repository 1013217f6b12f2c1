/**
 * Error codes the Parley server produces (see `docs/protocol.md`, section 2 "Errors").
 * A code is never reused or renamed, so applications may match on it.
 */
export type ServerErrorCode =
  | 'VALIDATION_FAILED'
  | 'INVALID_BODY'
  | 'UNAUTHORIZED'
  | 'TOKEN_EXPIRED'
  | 'NOT_OWNER'
  | 'NOT_MEMBER'
  | 'BAD_PASSWORD'
  | 'DESTINATION_FORBIDDEN'
  | 'ROOM_NOT_FOUND'
  | 'NOT_FOUND'
  | 'UNKNOWN_DESTINATION'
  | 'ROOM_FULL'
  | 'CALL_FULL'
  | 'NOT_IN_CALL'
  | 'PAYLOAD_TOO_LARGE'
  | 'MESSAGE_TOO_LONG'
  | 'RATE_LIMITED'
  | 'INTERNAL'
  | 'UNAVAILABLE'
  | 'BAD_ESCAPE'
  | 'FRAME_TOO_LARGE'
  | 'HEADER_TOO_LONG'
  | 'TOO_MANY_HEADERS'
  | 'BAD_CONTENT_LENGTH'
  | 'MISSING_NUL'
  | 'BAD_COMMAND'
  | 'BODY_NOT_ALLOWED'
  | 'MALFORMED_HEADER'
  | 'NOT_CONNECTED'
  | 'ALREADY_CONNECTED'
  | 'UNSUPPORTED_VERSION'
  | 'MISSING_HEADER'
  | 'BAD_HEADER'
  | 'DUPLICATE_SUBSCRIPTION'
  | 'UNKNOWN_SUBSCRIPTION'
  | 'TOO_MANY_SUBSCRIPTIONS'
  | 'HEARTBEAT_TIMEOUT'
  | 'UNKNOWN_TRANSACTION'
  | 'DUPLICATE_TRANSACTION'
  | 'UNKNOWN_ACK'
  | 'AUTH_FAILED'
  | 'SLOW_CONSUMER';

/**
 * Error codes raised by the SDK itself.
 *
 * - `TIMEOUT`: no answer within `requestTimeoutMs`.
 * - `DISCONNECTED`: the operation needs a connection that is gone (or the client/room was closed).
 * - `QUEUE_FULL`: more than `maxQueuedMessages` unacknowledged messages in a room.
 * - `AUTH_FAILED`: no valid token could be obtained (also a server code).
 * - `NETWORK`: the server could not be reached.
 */
export type SdkErrorCode = 'TIMEOUT' | 'DISCONNECTED' | 'QUEUE_FULL' | 'AUTH_FAILED' | 'NETWORK';

/** Every code a {@link ParleyError} may carry. */
export type ParleyErrorCode = ServerErrorCode | SdkErrorCode;

/**
 * Tells whether a value looks like a Parley error code (upper-case letters and underscores).
 * Codes the server adds later pass through unchanged, so `code` may hold a value newer than
 * this SDK's {@link ParleyErrorCode} list; the known ones never change meaning.
 * @param code - any value, typically the `code` field of a server answer
 */
export function isParleyErrorCode(code: unknown): code is ParleyErrorCode {
  return typeof code === 'string' && /^[A-Z][A-Z_]{1,63}$/.test(code);
}

/** Optional details of a {@link ParleyError}. */
export interface ParleyErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** HTTP status of a REST answer, when the error came from REST. */
  status?: number;
  /** STOMP destination of the refused frame, when the error came from a STOMP refusal. */
  destination?: string;
}

/**
 * The one error type the SDK rejects with. Match on {@link ParleyError.code}, never on the message.
 *
 * @example
 * ```ts
 * try { await client.join(id, { password }); }
 * catch (e) { if (e instanceof ParleyError && e.code === 'BAD_PASSWORD') askAgain(); }
 * ```
 */
export class ParleyError extends Error {
  /** Stable, machine-readable code. */
  readonly code: ParleyErrorCode;
  /** HTTP status when the error came from a REST call. */
  readonly status: number | undefined;
  /** Destination of the refused STOMP frame, when known. */
  readonly destination: string | undefined;

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
  }

  /**
   * Builds an error from a server error body (`{"code","message"}` or `{"error": {"code","message"}}`).
   * An unknown code becomes `INTERNAL`, keeping the original in the message.
   * @param body - parsed JSON body (any shape)
   * @param options - status/destination to record
   */
  static fromServer(body: unknown, options: ParleyErrorOptions = {}): ParleyError {
    let obj: unknown = body;
    if (obj !== null && typeof obj === 'object' && 'error' in obj) obj = (obj as { error: unknown }).error;
    const rec = (obj !== null && typeof obj === 'object' ? obj : {}) as { code?: unknown; message?: unknown };
    const message = typeof rec.message === 'string' ? rec.message : 'Server error';
    if (isParleyErrorCode(rec.code)) return new ParleyError(rec.code, message, options);
    return new ParleyError('INTERNAL', `${String(rec.code ?? 'unknown')}: ${message}`, options);
  }

  /**
   * The operation got no answer in time.
   * @param what - what was waited for
   * @param ms - the timeout in milliseconds
   */
  static timeout(what: string, ms: number): ParleyError {
    return new ParleyError('TIMEOUT', `${what}: no answer within ${ms} ms`);
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
    return new ParleyError('QUEUE_FULL', `More than ${max} messages are waiting to be sent`);
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
    return new ParleyError('NETWORK', `The server could not be reached${detail}`, { cause });
  }

  /**
   * Wraps anything thrown into a ParleyError (a ParleyError is returned unchanged).
   * @param error - any thrown value
   */
  static from(error: unknown): ParleyError {
    return error instanceof ParleyError ? error : ParleyError.network(error);
  }
}

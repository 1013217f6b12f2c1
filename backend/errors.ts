/**
 * The one catalogue of error codes the backend produces. A code is never reused
 * or renamed: the SDK and third-party clients match on it.
 *
 * - `status` is the HTTP status a REST route answers with.
 * - `kind` says how STOMP reports it: `refusal` goes to `/user/queue/errors` and the
 *   connection stays open; `protocol` is an ERROR frame followed by close.
 */
export const ERROR_CATALOGUE = {
  // Application refusals and REST errors
  VALIDATION_FAILED: { status: 400, kind: 'refusal', message: 'The request is not valid' },
  INVALID_BODY: { status: 400, kind: 'refusal', message: 'The body is not valid JSON' },
  UNAUTHORIZED: { status: 401, kind: 'refusal', message: 'Authentication is required' },
  TOKEN_EXPIRED: { status: 401, kind: 'refusal', message: 'The token has expired' },
  NOT_OWNER: { status: 403, kind: 'refusal', message: 'Only the room owner may do this' },
  NOT_MEMBER: { status: 403, kind: 'refusal', message: 'Join the room first' },
  BAD_PASSWORD: { status: 403, kind: 'refusal', message: 'Wrong room password' },
  DESTINATION_FORBIDDEN: { status: 403, kind: 'refusal', message: 'Clients may not send to this destination' },
  ROOM_NOT_FOUND: { status: 404, kind: 'refusal', message: 'No such room' },
  NOT_FOUND: { status: 404, kind: 'refusal', message: 'Not found' },
  UNKNOWN_DESTINATION: { status: 404, kind: 'refusal', message: 'No such destination' },
  ROOM_FULL: { status: 409, kind: 'refusal', message: 'The room is full' },
  CALL_FULL: { status: 409, kind: 'refusal', message: 'The call is full' },
  NOT_IN_CALL: { status: 409, kind: 'refusal', message: 'Join the call first' },
  PAYLOAD_TOO_LARGE: { status: 413, kind: 'refusal', message: 'The body is too large' },
  MESSAGE_TOO_LONG: { status: 413, kind: 'refusal', message: 'The message is too long' },
  RATE_LIMITED: { status: 429, kind: 'refusal', message: 'Too many requests; slow down' },
  INTERNAL: { status: 500, kind: 'refusal', message: 'Internal error' },
  UNAVAILABLE: { status: 503, kind: 'refusal', message: 'The service is not ready' },

  // STOMP protocol violations: ERROR frame (header x-error-code), then close
  BAD_ESCAPE: { status: 400, kind: 'protocol', message: 'Undefined escape sequence in a header' },
  FRAME_TOO_LARGE: { status: 400, kind: 'protocol', message: 'Frame exceeds the size limit' },
  HEADER_TOO_LONG: { status: 400, kind: 'protocol', message: 'Header line exceeds the length limit' },
  TOO_MANY_HEADERS: { status: 400, kind: 'protocol', message: 'Too many headers' },
  BAD_CONTENT_LENGTH: { status: 400, kind: 'protocol', message: 'Invalid content-length' },
  MISSING_NUL: { status: 400, kind: 'protocol', message: 'Frame body is not terminated by NUL' },
  BAD_COMMAND: { status: 400, kind: 'protocol', message: 'Unknown command' },
  BODY_NOT_ALLOWED: { status: 400, kind: 'protocol', message: 'This frame may not have a body' },
  MALFORMED_HEADER: { status: 400, kind: 'protocol', message: 'Malformed header line' },
  NOT_CONNECTED: { status: 400, kind: 'protocol', message: 'CONNECT must be the first frame' },
  ALREADY_CONNECTED: { status: 400, kind: 'protocol', message: 'Already connected' },
  UNSUPPORTED_VERSION: { status: 400, kind: 'protocol', message: 'No supported protocol version in common' },
  MISSING_HEADER: { status: 400, kind: 'protocol', message: 'A required header is missing' },
  BAD_HEADER: { status: 400, kind: 'protocol', message: 'A header has an invalid value' },
  DUPLICATE_SUBSCRIPTION: { status: 400, kind: 'protocol', message: 'Subscription id already in use' },
  UNKNOWN_SUBSCRIPTION: { status: 400, kind: 'protocol', message: 'No subscription with this id' },
  TOO_MANY_SUBSCRIPTIONS: { status: 400, kind: 'protocol', message: 'Too many subscriptions on this connection' },
  HEARTBEAT_TIMEOUT: { status: 400, kind: 'protocol', message: 'No heart-beat from the client in time' },
  UNKNOWN_TRANSACTION: { status: 400, kind: 'protocol', message: 'No transaction with this id' },
  DUPLICATE_TRANSACTION: { status: 400, kind: 'protocol', message: 'Transaction id already in use' },
  UNKNOWN_ACK: { status: 400, kind: 'protocol', message: 'No pending message with this ack id' },
  AUTH_FAILED: { status: 401, kind: 'protocol', message: 'Authentication failed' },
  SLOW_CONSUMER: { status: 400, kind: 'protocol', message: 'The client is not reading its messages' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** An error with a stable code; the catalogue decides its HTTP status and STOMP handling. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  /** Extra, code-specific fields returned to the client (for example `version` on UNSUPPORTED_VERSION). */
  readonly details: Readonly<Record<string, string | number>> | undefined;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; details?: Record<string, string | number> }) {
    super(message ?? ERROR_CATALOGUE[code].message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ParleyError';
    this.code = code;
    this.details = options?.details;
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  get isProtocolError(): boolean {
    return ERROR_CATALOGUE[this.code].kind === 'protocol';
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isParleyError(e: unknown): e is ParleyError {
  return e instanceof ParleyError;
}

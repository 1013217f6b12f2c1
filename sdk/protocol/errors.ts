/**
 * The one catalogue of Parley error codes, shared by the backend, the SDK and the widget
 * (`docs/protocol.md` §2). A code is never reused or renamed: applications match on it.
 *
 * - `status`: the HTTP status a REST route answers with (0 for codes only the SDK raises).
 * - `kind`: how the code reaches a client. `refusal` goes to `/user/queue/errors` (or a REST 4xx/5xx)
 *   and the connection stays open; `protocol` is a STOMP ERROR frame followed by close; `client`
 *   is raised by the SDK itself, never sent by the server.
 * - `retryable`: the same request may succeed later without changing it (after a reconnect,
 *   or after a delay); a client may retry it by itself. Kept as the short list {@link RETRYABLE_CODES}
 *   so the SDK can classify errors without carrying the whole catalogue.
 */
export type ErrorKind = 'refusal' | 'protocol' | 'client';

/** One row of {@link ERROR_CATALOGUE}. */
export interface ErrorRow {
  /** HTTP status of a REST answer carrying this code (0 for `client` codes). */
  readonly status: number;
  /** How the code reaches a client. */
  readonly kind: ErrorKind;
}

/** Everything the protocol says about one code. */
export interface ErrorSpec extends ErrorRow {
  /** Whether retrying the same request later may succeed ({@link RETRYABLE_CODES}). */
  readonly retryable: boolean;
}

// Short constructors keep the catalogue one line a code.
const refusal = (status: number): ErrorRow => ({ status, kind: 'refusal' });
const protocol = (status = 400): ErrorRow => ({ status, kind: 'protocol' });
const client: ErrorRow = { status: 0, kind: 'client' };

/** Every error code with its HTTP status, kind and retryability. */
export const ERROR_CATALOGUE = {
  // Application refusals and REST errors
  VALIDATION_FAILED: refusal(400),
  INVALID_BODY: refusal(400),
  UNAUTHORIZED: refusal(401),
  TOKEN_EXPIRED: refusal(401),
  GUESTS_DISABLED: refusal(403),
  NOT_OWNER: refusal(403),
  NOT_MODERATOR: refusal(403),
  CANNOT_MODERATE: refusal(403),
  NOT_SENDER: refusal(403),
  EDIT_WINDOW_CLOSED: refusal(403),
  BANNED: refusal(403),
  MUTED: refusal(403),
  NOT_MEMBER: refusal(403),
  BAD_PASSWORD: refusal(403),
  DESTINATION_FORBIDDEN: refusal(403),
  ORIGIN_FORBIDDEN: refusal(403),
  ROOM_NOT_FOUND: refusal(404),
  MESSAGE_NOT_FOUND: refusal(404),
  NOT_FOUND: refusal(404),
  UNKNOWN_DESTINATION: refusal(404),
  ROOM_FULL: refusal(409),
  CALL_FULL: refusal(409),
  NOT_IN_CALL: refusal(409),
  NOT_EDITABLE: refusal(409),
  MESSAGE_DELETED: refusal(409),
  PAYLOAD_TOO_LARGE: refusal(413),
  UNSUPPORTED_MEDIA_TYPE: refusal(415),
  MESSAGE_TOO_LONG: refusal(413),
  RATE_LIMITED: refusal(429),
  TOO_MANY_ATTEMPTS: refusal(429),
  INTERNAL: refusal(500),
  UNAVAILABLE: refusal(503),

  // STOMP protocol violations: ERROR frame (header x-error-code), then close
  BAD_ESCAPE: protocol(),
  FRAME_TOO_LARGE: protocol(),
  HEADER_TOO_LONG: protocol(),
  TOO_MANY_HEADERS: protocol(),
  BAD_CONTENT_LENGTH: protocol(),
  MISSING_NUL: protocol(),
  BAD_COMMAND: protocol(),
  BODY_NOT_ALLOWED: protocol(),
  MALFORMED_HEADER: protocol(),
  NOT_CONNECTED: protocol(),
  ALREADY_CONNECTED: protocol(),
  UNSUPPORTED_VERSION: protocol(),
  MISSING_HEADER: protocol(),
  BAD_HEADER: protocol(),
  DUPLICATE_SUBSCRIPTION: protocol(),
  UNKNOWN_SUBSCRIPTION: protocol(),
  TOO_MANY_SUBSCRIPTIONS: protocol(),
  HEARTBEAT_TIMEOUT: protocol(),
  UNKNOWN_TRANSACTION: protocol(),
  DUPLICATE_TRANSACTION: protocol(),
  UNKNOWN_ACK: protocol(),
  AUTH_FAILED: protocol(401),
  SLOW_CONSUMER: protocol(),
  TRANSACTION_TOO_LARGE: protocol(),

  // Raised by the SDK, never sent by the server
  TIMEOUT: client,
  DISCONNECTED: client,
  QUEUE_FULL: client,
  NETWORK: client,
} as const satisfies Record<string, ErrorRow>;

/** Every code a Parley error may carry. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Codes the SDK raises itself (`kind: 'client'`). */
export type ClientErrorCode = 'TIMEOUT' | 'DISCONNECTED' | 'QUEUE_FULL' | 'NETWORK';

/** Codes the server sends (`AUTH_FAILED` is also raised by the SDK when no token can be had). */
export type ServerErrorCode = Exclude<ErrorCode, ClientErrorCode>;

/** Codes whose request may be retried unchanged, after a reconnect or a delay. */
export const RETRYABLE_CODES: readonly ErrorCode[] = ['RATE_LIMITED', 'UNAVAILABLE', 'TIMEOUT', 'DISCONNECTED', 'NETWORK'];

/** Whether a request refused with `code` may be retried unchanged. Unknown codes are not. */
export function isRetryable(code: string): boolean {
  return (RETRYABLE_CODES as readonly string[]).includes(code);
}

/** What the catalogue says of `code`, or undefined for a code this version does not know. */
export function errorSpec(code: string): ErrorSpec | undefined {
  if (!Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, code)) return undefined;
  return { ...ERROR_CATALOGUE[code as ErrorCode], retryable: isRetryable(code) };
}

/** The error body of REST answers and of refusals on `/user/queue/errors`. */
export interface ErrorBody {
  /** Stable code from {@link ERROR_CATALOGUE} (a newer server may send a code this version lacks). */
  readonly code: string;
  /** Human-readable text, for logs; never for matching. */
  readonly message: string;
  /** On refusals: the refused frame's `receipt` header. */
  readonly receiptId?: string;
  /** On refusals: the refused frame's destination. */
  readonly destination?: string;
}

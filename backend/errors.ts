import { ERROR_MESSAGES } from '../sdk/protocol/error-messages.js';
import { ERROR_CATALOGUE, type ServerErrorCode } from '../sdk/protocol/errors.js';

/**
 * Codes the backend produces: the protocol module's catalogue (`sdk/protocol/errors.ts`) is the one
 * source of codes, statuses and kinds; this file only gives the backend its error class.
 */
export type ErrorCode = ServerErrorCode;

/** An error with a stable code; the catalogue decides its HTTP status and STOMP handling. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  /** Extra, code-specific fields returned to the client (for example `version` on UNSUPPORTED_VERSION). */
  readonly details: Readonly<Record<string, string | number>> | undefined;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; details?: Record<string, string | number> }) {
    super(message ?? ERROR_MESSAGES[code], options?.cause === undefined ? undefined : { cause: options.cause });
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

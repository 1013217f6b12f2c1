import { isRetryable } from '../../sdk/index.js';
import type { ParleyErrorCode } from '../../sdk/index.js';
import type { Translation } from './localize.js';

/**
 * The translated text for an error shown to the user, chosen by its `code` only (never by its
 * class: the error may come from another copy of the SDK on the page).
 * @param t - the translation in use
 * @param code - the error's code
 */
export function errorText(t: Translation, code: ParleyErrorCode): string {
  switch (code) {
    case 'RATE_LIMITED':
      return t.errorRateLimited;
    case 'MESSAGE_TOO_LONG':
      return t.errorMessageTooLong;
    case 'QUEUE_FULL':
      return t.errorQueueFull;
    case 'AUTH_FAILED':
    case 'TOKEN_EXPIRED':
    case 'UNAUTHORIZED':
      return t.errorAuth;
    case 'ROOM_NOT_FOUND':
      return t.roomNotFound;
    case 'MUTED':
      return t.mutedNotice;
    case 'BANNED':
      return t.errorBanned;
    case 'EDIT_WINDOW_CLOSED':
      return t.errorEditWindow;
    case 'NOT_MODERATOR':
    case 'CANNOT_MODERATE':
    case 'NOT_SENDER':
    case 'NOT_OWNER':
    case 'NOT_EDITABLE':
      return t.errorNotAllowed;
  }
  // Transient failures, as the protocol lists them (network, timeout, unavailable, disconnected),
  // read as "could not reach the server"; anything else is not the user's to fix.
  return isRetryable(code) ? t.errorNetwork : t.errorGeneric;
}

import { ParleyError } from '../errors.js';
import { invalid } from '../validation.js';

/**
 * The text of a chat message, as sent or as edited (docs/protocol.md: 1–`MAX_MESSAGE_CHARS` code
 * points after trimming trailing whitespace). Throws VALIDATION_FAILED or MESSAGE_TOO_LONG.
 */
export function messageText(value: unknown, maxChars: number): string {
  const text = typeof value === 'string' ? value.replace(/\s+$/u, '') : undefined;
  if (text === undefined || text.length === 0) throw invalid('text must be a non-empty string');
  if ([...text].length > maxChars) throw new ParleyError('MESSAGE_TOO_LONG', `Messages may have at most ${maxChars} characters`);
  return text;
}

import { ParleyError } from './errors.js';

/** Parses a JSON body from a STOMP frame or REST; anything but an object is INVALID_BODY. */
export function parseJsonObject(body: Buffer | string, { allowEmpty = false } = {}): Record<string, unknown> {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') {
    if (allowEmpty) return {};
    throw new ParleyError('INVALID_BODY', 'The body must be a JSON object');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ParleyError('INVALID_BODY', 'The body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ParleyError('INVALID_BODY', 'The body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

const CONTROL = /\p{Cc}/u;

/** Trimmed text of min..max code points (Korean counts one per syllable), no control characters. */
export function requireText(value: unknown, field: string, min: number, max: number): string {
  if (typeof value !== 'string') throw invalid(`${field} must be a string`);
  const text = value.trim();
  const length = [...text].length;
  if (length < min) throw invalid(`${field} must have at least ${min} character${min === 1 ? '' : 's'}`);
  if (length > max) throw invalid(`${field} must have at most ${max} characters`);
  if (CONTROL.test(text)) throw invalid(`${field} must not contain control characters`);
  return text;
}

export function requireInt(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(`${field} must be an integer`);
  if (value < min || value > max) throw invalid(`${field} must be between ${min} and ${max}`);
  return value;
}

/** A non-negative integer from a query string or header. */
export function parseSeq(raw: string | undefined, field: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw invalid(`${field} must be a non-negative integer`);
  return Number(raw);
}

export function parseRoomId(raw: string | undefined): number {
  if (raw === undefined || !/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) {
    throw new ParleyError('ROOM_NOT_FOUND', 'No such room');
  }
  return Number(raw);
}

export function invalid(message: string): ParleyError {
  return new ParleyError('VALIDATION_FAILED', message);
}

import type { Request } from 'express';
import { ParleyError } from '../errors.js';
import { invalid } from '../validation.js';

/**
 * The request's JSON body as an object, or 400 INVALID_BODY. With `known`, a field outside it is
 * 400 VALIDATION_FAILED (a typo such as `duration` must not silently mean "no end").
 */
export function objectBody(req: Request, known?: readonly string[]): Record<string, unknown> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ParleyError('INVALID_BODY', 'The body must be a JSON object');
  if (known !== undefined) {
    const unknown = Object.keys(body).filter((k) => !known.includes(k));
    if (unknown.length > 0) throw invalid(`Unknown field: ${unknown.join(', ')}`);
  }
  return body as Record<string, unknown>;
}

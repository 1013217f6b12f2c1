import { ParleyError } from '../errors.js';
import type { Frame } from './frame.js';
import { negotiateVersion } from './version.js';

/** Whether the frames after this CONNECT escape their headers; an unusable CONNECT fails on its own turn. */
export function escapesHeaders(connect: Frame): boolean {
  try {
    return negotiateVersion(connect) !== '1.0';
  } catch {
    return true;
  }
}

/** The header `name` of `frame`; MISSING_HEADER (a protocol error) when absent. */
export function required(frame: Frame, name: string): string {
  const v = frame.headers.get(name);
  if (v === undefined) throw new ParleyError('MISSING_HEADER', `${frame.command} needs a "${name}" header`);
  return v;
}

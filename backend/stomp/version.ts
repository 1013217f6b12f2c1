import { ParleyError } from '../errors.js';
import type { Frame } from './frame.js';

export const SUPPORTED_VERSIONS = ['1.0', '1.1', '1.2'] as const;
export type StompVersion = (typeof SUPPORTED_VERSIONS)[number];

/**
 * The highest version both sides speak; no `accept-version` means 1.0. With none in common the
 * CONNECT fails with a `version` header listing ours.
 * https://stomp.github.io/stomp-specification-1.2.html#Protocol_Negotiation
 */
export function negotiateVersion(connect: Frame): StompVersion {
  const accepted = (connect.headers.get('accept-version') ?? '1.0').split(',').map((v) => v.trim());
  const version = [...SUPPORTED_VERSIONS].reverse().find((v) => accepted.includes(v));
  if (version === undefined) {
    throw new ParleyError('UNSUPPORTED_VERSION', `Supported versions are ${SUPPORTED_VERSIONS.join(',')}`, {
      details: { version: SUPPORTED_VERSIONS.join(',') },
    });
  }
  return version;
}

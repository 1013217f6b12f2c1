import { requireName } from '../names.js';

/** A guest's nickname or a host token's `name`: the same rules for both. */
export function validateNickname(value: unknown): string {
  return requireName(value, 'nickname', 1, 32);
}

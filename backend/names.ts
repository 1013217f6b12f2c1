import { invalid, requireText } from './validation.js';

/**
 * Bidirectional formatting characters: they reorder what follows them, so `admin\u202Egnp.exe`
 * reads "adminexe.png". Unicode TR #9 §2 (explicit directional embeddings, overrides, isolates and
 * the implicit marks LRM, RLM, ALM).
 */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;

/**
 * Characters that draw nothing on their own: white space, format characters, default-ignorables
 * (which include the Hangul fillers U+3164, U+115F, U+1160, U+FFA0 and U+200B–200D, U+2060, U+FEFF),
 * combining marks without a base, and the blank braille pattern.
 */
const INVISIBLE_ONLY = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cf}\p{M}\u2800]*$/u;

/**
 * A name people see next to what someone says (a nickname, a room name): NFC-normalised, trimmed,
 * `min..max` code points, no control or bidi characters, and at least one visible character.
 */
export function requireName(value: unknown, field: string, min: number, max: number): string {
  const text = requireText(typeof value === 'string' ? value.normalize('NFC') : value, field, min, max);
  if (BIDI_CONTROL.test(text)) throw invalid(`${field} must not contain bidirectional control characters`);
  if (INVISIBLE_ONLY.test(text)) throw invalid(`${field} must contain a visible character`);
  return text;
}

export function optionalName(value: unknown, field: string, min: number, max: number): string | undefined {
  return value === undefined ? undefined : requireName(value, field, min, max);
}

import { describe, expect, it } from 'vitest';
import type { LocalMediaIssue } from '../../../sdk/call/types.js';
import { callTranslationFor, registerCallTranslation } from '../../../widget/localize/localize.js';
import type { CallTranslation } from '../../../widget/localize/localize.js';
import en from '../../../widget/localize/translations/call-en.js';
import ko from '../../../widget/localize/translations/call-ko.js';

const ISSUES: LocalMediaIssue[] = ['permission-denied', 'camera-denied', 'no-camera', 'no-microphone', 'no-devices'];

/** Every entry as text; `callIssue` once per issue. */
function rendered(t: CallTranslation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(t)) {
    if (typeof value === 'string') out[key] = value;
    else if (key === 'callIssue') for (const i of ISSUES) out[`${key}:${i}`] = t.callIssue(i);
    else if (key === 'callParticipants') out[key] = t.callParticipants(3, 4);
    else if (key === 'callFull') out[key] = t.callFull(4);
    else throw new Error(`no sample for ${key}`);
  }
  return out;
}

describe('call panel translations', () => {
  it('Korean has exactly the keys of English, every text is non-empty and actually translated', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    const enText = rendered(en);
    for (const [key, value] of Object.entries(rendered(ko))) {
      expect(value.trim(), key).not.toBe('');
      if (!key.startsWith('$') && /[A-Za-z]{3}/.test(value)) expect(value, key).not.toBe(enText[key]);
    }
    expect(ko.callFull(4)).toContain('4');
    expect(ko.callParticipants(3, 4)).toMatch(/4.*3|3.*4/);
  });

  it('falls back from a regional tag to its language, then to English', () => {
    registerCallTranslation(en, ko);
    expect(callTranslationFor('ko-KR')?.$code).toBe('ko');
    expect(callTranslationFor('fr')?.$code).toBe('en');
  });
});

import { describe, expect, it } from 'vitest';
import { registerTranslation, translationFor } from '../../../widget/localize/localize.js';
import type { Translation } from '../../../widget/localize/localize.js';
import en from '../../../widget/localize/translations/en.js';
import ko from '../../../widget/localize/translations/ko.js';

type FunctionKeys = { [K in keyof Translation]: Translation[K] extends (...args: never[]) => string ? K : never }[keyof Translation];

/** Arguments to render each function entry with; the compiler requires one row per function key. */
const SAMPLES: { [K in FunctionKeys]: Parameters<Translation[K]> } = {
  roomUsers: [3, 10],
  roomUsersLabel: [3, 10],
  roomKind: ['video'],
  joinRoom: ['스터디'],
  nameTooLong: [100],
  maxUsersRange: [2, 1000],
  passwordTooLong: [64],
  passwordHeading: ['스터디'],
  roomFullHeading: ['스터디'],
  pendingCount: [2],
  newMessages: [3],
  entered: ['민수'],
  left: ['민수'],
  enteredGroup: [['민수', 'Alex', '지영']],
  leftGroup: [['민수']],
  announce: ['민수', '안녕하세요'],
  sentAt: ['14:05'],
  typing: [['민수', 'Alex']],
  membersHeading: [2],
  unread: [4],
  callJoinCount: [2],
  messageActions: ['민수'],
  kickUser: ['민수'],
  muteUser: ['민수'],
  banUser: ['민수'],
  bannedUntil: ['2026-12-02 09:00'],
};

/** Every entry as text: strings as they are, functions called with their sample arguments. */
function rendered(t: Translation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(t)) {
    if (typeof value === 'string') out[key] = value;
    else {
      const args = (SAMPLES as Record<string, unknown[]>)[key];
      expect(args, `sample arguments for ${key}`).toBeDefined();
      out[key] = (value as (...a: unknown[]) => string)(...args!);
    }
  }
  return out;
}

describe('translations', () => {
  it('Korean has exactly the keys of English, and every value is non-empty', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    for (const t of [en, ko]) {
      for (const [key, value] of Object.entries(rendered(t))) expect(value.trim(), `${t.$code}.${key}`).not.toBe('');
    }
  });

  it('Korean is actually translated (no English text left in it)', () => {
    const enText = rendered(en);
    const same = Object.entries(rendered(ko)).filter(([k, v]) => !k.startsWith('$') && v === enText[k] && /[A-Za-z]{3}/.test(v));
    expect(same).toEqual([]);
  });

  it('each entry has the same kind (text or function) in both languages', () => {
    for (const key of Object.keys(en) as Array<keyof Translation>) expect(typeof ko[key], key).toBe(typeof en[key]);
  });

  it('picks the exact tag, then the primary language, then English', () => {
    registerTranslation(en, ko);
    expect(translationFor('ko').$code).toBe('ko');
    expect(translationFor('ko-KR').$code).toBe('ko');
    expect(translationFor('EN-gb').$code).toBe('en');
    expect(translationFor('fr').$code).toBe('en');
    expect(translationFor('').$code).toBe('en');
  });

  it('pluralises and lists names', () => {
    expect(en.newMessages(1)).toBe('1 new message');
    expect(en.newMessages(3)).toBe('3 new messages');
    expect(en.typing(['Alex'])).toBe('Alex is typing…');
    expect(en.typing(['Alex', '민수'])).toBe('Alex and 민수 are typing…');
    expect(ko.typing(['민수'])).toBe('민수 님이 입력 중…');
  });
});

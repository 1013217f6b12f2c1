import { describe, expect, it } from 'vitest';
import type { Message } from '../../../sdk/types.js';
import { groupNotices, isNotice } from '../../../widget/model/notice-groups.js';
import en from '../../../widget/localize/translations/en.js';
import ko from '../../../widget/localize/translations/ko.js';

let seq = 0;
function notice(type: 'enter' | 'leave' | 'text', id: string, nickname = id): Message {
  seq++;
  return { id: seq, seq, roomId: 1, type, sender: { id, nickname }, text: '', clientMsgId: null, createdAt: new Date(2026, 10, 25, 9, seq).toISOString(), editedAt: null, deleted: false };
}

describe('groupNotices', () => {
  it('lists each person once, in order, under what they did last', () => {
    const run = [notice('enter', 'u1', '민수'), notice('enter', 'u2', 'Alex'), notice('leave', 'u3', '지영'), notice('enter', 'u4', 'Kim')];
    expect(groupNotices(run)).toEqual({ joined: ['민수', 'Alex', 'Kim'], left: ['지영'] });
  });

  it('counts a leave then a re-join of one person as joined only, and the reverse as left only', () => {
    expect(groupNotices([notice('leave', 'u1', '민수'), notice('enter', 'u1', '민수')])).toEqual({ joined: ['민수'], left: [] });
    expect(groupNotices([notice('enter', 'u1', '민수'), notice('leave', 'u1', '민수')])).toEqual({ joined: [], left: ['민수'] });
  });

  it('keeps two people who share a nickname apart (keyed by user id)', () => {
    expect(groupNotices([notice('enter', 'u1', 'Sam'), notice('enter', 'u2', 'Sam')]).joined).toEqual(['Sam', 'Sam']);
  });

  it('treats only enter and leave as notices', () => {
    expect(isNotice(notice('enter', 'a'))).toBe(true);
    expect(isNotice(notice('leave', 'a'))).toBe(true);
    expect(isNotice(notice('text', 'a'))).toBe(false);
    expect(groupNotices([notice('text', 'a')])).toEqual({ joined: [], left: [] });
  });
});

describe('grouped notice text', () => {
  it('says one, two, or the first name and how many others, in English and Korean', () => {
    expect(en.enteredGroup(['민수'])).toBe('민수 joined');
    expect(en.enteredGroup(['민수', 'Alex'])).toBe('민수 and Alex joined');
    expect(en.enteredGroup(['민수', 'Alex', '지영'])).toBe('민수 and 2 others joined');
    expect(en.leftGroup(['민수', 'Alex', '지영', 'Kim'])).toBe('민수 and 3 others left');
    expect(ko.enteredGroup(['민수'])).toBe('민수 님이 들어왔습니다');
    expect(ko.enteredGroup(['민수', 'Alex', '지영'])).toBe('민수 님 외 2명이 들어왔습니다');
    expect(ko.leftGroup(['민수', 'Alex'])).toBe('민수 님, Alex 님이 나갔습니다');
  });
});

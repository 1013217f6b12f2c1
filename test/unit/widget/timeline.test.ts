import { describe, expect, it } from 'vitest';
import type { Message } from '../../../sdk/types.js';
import { GROUP_GAP_MS, dayLabel, timelineFlags } from '../../../widget/model/timeline.js';

function msg(seq: number, sender: string, at: Date, type: Message['type'] = 'text'): Message {
  return { id: seq, seq, roomId: 1, type, sender: { id: sender, nickname: sender }, text: type === 'text' ? `m${seq}` : '', clientMsgId: null, createdAt: at.toISOString(), editedAt: null, deleted: false };
}
const at = (h: number, m: number, day = 25): Date => new Date(2026, 10, day, h, m);

describe('timelineFlags', () => {
  it('starts a day and a group with the first message', () => {
    expect(timelineFlags(undefined, msg(1, 'a', at(9, 0)))).toEqual({ newDay: true, groupStart: true });
  });

  it('groups consecutive messages of one sender within five minutes', () => {
    const a1 = msg(1, 'a', at(9, 0));
    expect(timelineFlags(a1, msg(2, 'a', at(9, 4)))).toEqual({ newDay: false, groupStart: false });
    expect(timelineFlags(a1, msg(2, 'b', at(9, 1))).groupStart).toBe(true);
    expect(timelineFlags(a1, msg(2, 'a', new Date(at(9, 0).getTime() + GROUP_GAP_MS + 1))).groupStart).toBe(true);
  });

  it('never groups enter/leave notices, nor a message right after one', () => {
    const enter = msg(1, 'a', at(9, 0), 'enter');
    expect(timelineFlags(enter, msg(2, 'a', at(9, 0))).groupStart).toBe(true);
    expect(timelineFlags(msg(1, 'a', at(9, 0)), msg(2, 'a', at(9, 0), 'leave')).groupStart).toBe(true);
  });

  it('puts a day separator between messages on different local days, and starts a new group there', () => {
    const late = msg(1, 'a', at(23, 58, 25));
    const early = msg(2, 'a', at(0, 1, 26));
    expect(timelineFlags(late, early)).toEqual({ newDay: true, groupStart: true });
  });
});

describe('dayLabel', () => {
  const now = at(15, 0, 25);
  it('says today, yesterday, or the date', () => {
    expect(dayLabel(at(0, 5, 25), now)).toEqual({ kind: 'today' });
    expect(dayLabel(at(23, 59, 24), now)).toEqual({ kind: 'yesterday' });
    expect(dayLabel(at(12, 0, 20), now)).toMatchObject({ kind: 'date' });
  });
});

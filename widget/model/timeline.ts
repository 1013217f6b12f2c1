import type { Message } from '../../sdk/index.js';

/** Consecutive messages of one sender closer than this are drawn as one group. */
export const GROUP_GAP_MS = 5 * 60_000;

/** How a message sits in the timeline relative to the one before it. */
export interface TimelineFlags {
  /** A day separator goes before this message (first message, or a new local day). */
  readonly newDay: boolean;
  /** This message starts a group: its sender's name is shown. */
  readonly groupStart: boolean;
}

/** `YYYY-M-D` of a date in the viewer's local time zone. */
export function localDayKey(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

/**
 * Whether `current` starts a new day and/or a new group after `previous`.
 * A group is a run of text messages by one sender on one day with gaps under {@link GROUP_GAP_MS};
 * enter/leave notices never group.
 * @param previous - the message drawn just before (undefined for the first)
 * @param current - the message to place
 */
export function timelineFlags(previous: Message | undefined, current: Message): TimelineFlags {
  const at = new Date(current.createdAt);
  if (previous === undefined) return { newDay: true, groupStart: true };
  const before = new Date(previous.createdAt);
  const newDay = localDayKey(at) !== localDayKey(before);
  const groupStart =
    newDay ||
    current.type !== 'text' ||
    previous.type !== 'text' ||
    previous.sender.id !== current.sender.id ||
    at.getTime() - before.getTime() > GROUP_GAP_MS;
  return { newDay, groupStart };
}

/** Which day label to show: today, yesterday, or a date. */
export type DayLabel = { readonly kind: 'today' } | { readonly kind: 'yesterday' } | { readonly kind: 'date'; readonly date: Date };

/**
 * The label of a day separator.
 * @param date - a time on that day
 * @param now - the viewer's current time
 */
export function dayLabel(date: Date, now: Date): DayLabel {
  const key = localDayKey(date);
  if (key === localDayKey(now)) return { kind: 'today' };
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1, 12);
  if (key === localDayKey(yesterday)) return { kind: 'yesterday' };
  return { kind: 'date', date };
}

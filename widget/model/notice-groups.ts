import type { Message } from '../../sdk/index.js';

/**
 * A run of consecutive enter/leave notices, drawn as one line ("민수 and 2 others joined").
 * Each person is counted once, by what they did last in the run: someone who left and came
 * back (a reload after the grace period) is listed as joined, not as both.
 */
export interface NoticeGroup {
  /** Nicknames of those whose last notice in the run is "joined", in order of that notice. */
  readonly joined: readonly string[];
  /** Nicknames of those whose last notice in the run is "left", in order of that notice. */
  readonly left: readonly string[];
}

/** Whether a message is an enter/leave notice (the kinds that group). */
export const isNotice = (m: Message): boolean => m.type === 'enter' || m.type === 'leave';

/**
 * Summarises a run of notices: who is in it as joined, who as left.
 * @param run - enter/leave messages, ascending by seq (other types are ignored)
 */
export function groupNotices(run: readonly Message[]): NoticeGroup {
  // Keyed by user id, not nickname: two people may share a nickname. A Map keeps insertion
  // order, so deleting before setting moves a person to the position of their last notice.
  const last = new Map<string, { name: string; joined: boolean }>();
  for (const m of run) {
    if (!isNotice(m)) continue;
    last.delete(m.sender.id);
    last.set(m.sender.id, { name: m.sender.nickname, joined: m.type === 'enter' });
  }
  const joined: string[] = [];
  const left: string[] = [];
  for (const { name, joined: j } of last.values()) (j ? joined : left).push(name);
  return { joined, left };
}

/**
 * Members of an instance's `owned` set: what it holds in shared state, so a survivor can
 * clean up after it. JSON arrays, so ids may hold any character.
 */
export type Owned =
  | { kind: 'session'; roomId: number; sessionId: string; userId: string }
  | { kind: 'grace'; roomId: number; userId: string }
  | { kind: 'participant'; roomId: number; participantId: string };

export function ownedMember(o: Owned): string {
  switch (o.kind) {
    case 'session':
      return JSON.stringify(['s', o.roomId, o.sessionId, o.userId]);
    case 'grace':
      return JSON.stringify(['g', o.roomId, o.userId]);
    case 'participant':
      return JSON.stringify(['c', o.roomId, o.participantId]);
  }
}

/** null for anything this version does not understand. */
export function parseOwned(member: string): Owned | null {
  try {
    const a: unknown = JSON.parse(member);
    if (!Array.isArray(a) || typeof a[1] !== 'number') return null;
    if (a[0] === 's' && typeof a[2] === 'string' && typeof a[3] === 'string') return { kind: 'session', roomId: a[1], sessionId: a[2], userId: a[3] };
    if (a[0] === 'g' && typeof a[2] === 'string') return { kind: 'grace', roomId: a[1], userId: a[2] };
    if (a[0] === 'c' && typeof a[2] === 'string') return { kind: 'participant', roomId: a[1], participantId: a[2] };
    return null;
  } catch {
    return null;
  }
}

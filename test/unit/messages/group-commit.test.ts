import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../backend/messages/group-commit.js';
import { BatchConflictError, DuplicateMessageError, type MessageRecord, type MessageRepository, type NewMessage } from '../../../backend/messages/message-repository.js';

type Repo = Pick<MessageRepository, 'insert' | 'insertMany' | 'insertRooms'>;

const stored = (m: NewMessage): MessageRecord => ({ ...m, id: m.roomId * 1000 + m.seq, createdAt: new Date(0), editedAt: null, deleted: false, targetSeq: null });
const row = (roomId: number, seq: number, clientMsgId: string | null = null): NewMessage => ({ roomId, seq, type: 'text', senderId: 'u', senderNickname: 'n', text: `${roomId}/${seq}`, clientMsgId });

/** A repository that records each statement and fails the way `fail` says. */
function recordingRepo(fail?: (rows: readonly NewMessage[]) => unknown): { repo: Repo; statements: number[][] } {
  const statements: number[][] = [];
  const write = async (rows: readonly NewMessage[]): Promise<MessageRecord[]> => {
    statements.push(rows.map((r) => r.roomId));
    const error = fail?.(rows);
    if (error !== undefined) throw error;
    return rows.map(stored);
  };
  return {
    statements,
    repo: {
      insert: async (m) => (await write([m]))[0]!,
      insertMany: (rows) => write(rows),
      async insertRooms(groups) {
        const all = await write(groups.flat());
        let k = 0;
        return groups.map((g) => g.map(() => all[k++]!));
      },
    },
  };
}

/** A scheduler the test runs by hand. */
function manualSchedule(): { schedule: (flush: () => void) => void; run(): void } {
  let due: (() => void)[] = [];
  return {
    schedule: (flush) => void due.push(flush),
    run() {
      const now = due;
      due = [];
      for (const f of now) f();
    },
  };
}

const settle = async <T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> => p.then((value) => ({ value }), (error: unknown) => ({ error }));

describe('GroupCommit', () => {
  it('stores the rows of every room handed over before the flush in one statement, and answers each room with its own', async () => {
    const { repo, statements } = recordingRepo();
    const turn = manualSchedule();
    const commits: [number, number][] = [];
    const gc = new GroupCommit({ repository: repo, schedule: turn.schedule, onCommit: (rooms, rows) => commits.push([rooms, rows]) });
    const a = gc.insert([row(1, 5), row(1, 6)]);
    const b = gc.insert([row(2, 1)]);
    const c = gc.insert([row(3, 9)]);
    turn.run();
    expect((await a).map((m) => m.seq)).toEqual([5, 6]);
    expect((await b).map((m) => m.roomId)).toEqual([2]);
    expect((await c).map((m) => m.id)).toEqual([3009]);
    expect(statements).toEqual([[1, 1, 2, 3]]);
    expect(commits).toEqual([[3, 4]]);
  });

  it('holds what arrives during a write for the next, larger statement', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { repo, statements } = recordingRepo();
    const slow: Repo = { ...repo, insert: async (m) => (await gate, repo.insert(m)) };
    const turn = manualSchedule();
    const gc = new GroupCommit({ repository: slow, schedule: turn.schedule });
    const first = gc.insert([row(1, 1)]);
    turn.run();
    const later = [gc.insert([row(2, 1)]), gc.insert([row(3, 1)])];
    turn.run(); // nothing is scheduled while the first write is in flight
    expect(statements).toEqual([]);
    release();
    await first;
    await Promise.all(later);
    expect(statements).toEqual([[1], [2, 3]]);
  });

  it('writes each room alone after a constraint refused the shared statement, so only the conflicting room is refused', async () => {
    const duplicate = new DuplicateMessageError(2, 'u', 'again');
    const { repo, statements } = recordingRepo((rows) => (rows.length > 1 ? new BatchConflictError() : rows[0]!.roomId === 2 ? duplicate : undefined));
    const turn = manualSchedule();
    const gc = new GroupCommit({ repository: repo, schedule: turn.schedule });
    const answers = [settle(gc.insert([row(1, 1)])), settle(gc.insert([row(2, 1, 'again')])), settle(gc.insert([row(3, 1)]))];
    turn.run();
    const [a, b, c] = await Promise.all(answers);
    expect(a!.value?.[0]?.roomId).toBe(1);
    expect(b!.error).toBe(duplicate);
    expect(c!.value?.[0]?.roomId).toBe(3);
    expect(statements).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('refuses exactly the batch when the database fails, and writes the next batch normally', async () => {
    const down = new Error('database closed');
    let failing = true;
    const { repo, statements } = recordingRepo(() => (failing ? down : undefined));
    const turn = manualSchedule();
    const gc = new GroupCommit({ repository: repo, schedule: turn.schedule });
    const batch = [settle(gc.insert([row(1, 1)])), settle(gc.insert([row(2, 1)]))];
    turn.run();
    expect((await Promise.all(batch)).map((r) => r.error)).toEqual([down, down]);
    failing = false;
    const next = gc.insert([row(3, 1)]);
    turn.run();
    expect((await next)[0]!.roomId).toBe(3);
    // No retry of the failed batch on its own: one statement for it, one for the next.
    expect(statements).toEqual([[1, 2], [3]]);
  });

  it('splits a turn larger than maxRows into several statements, oldest rooms first', async () => {
    const { repo, statements } = recordingRepo();
    const turn = manualSchedule();
    const gc = new GroupCommit({ repository: repo, schedule: turn.schedule, maxRows: 3 });
    const all = [gc.insert([row(1, 1), row(1, 2)]), gc.insert([row(2, 1)]), gc.insert([row(3, 1), row(3, 2)]), gc.insert([row(4, 1)])];
    turn.run();
    await Promise.all(all);
    expect(statements).toEqual([[1, 1, 2], [3, 3, 4]]);
    expect(() => new GroupCommit({ repository: repo, maxRows: 0 })).toThrow(RangeError);
  });
});

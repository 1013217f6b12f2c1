import { BatchConflictError, type MessageRecord, type MessageRepository, type NewMessage } from './message-repository.js';

/** Schedules the next write; the default, `setImmediate`, gathers what one event-loop turn read. */
export type CommitScheduler = (flush: () => void) => void;

export interface GroupCommitOptions {
  repository: Pick<MessageRepository, 'insert' | 'insertMany' | 'insertRooms'>;
  /** Default `setImmediate`. */
  schedule?: CommitScheduler;
  /** Most rows one multi-room INSERT carries (8 bound values each); default 1,000. */
  maxRows?: number;
  /** Called once per multi-room statement that succeeded (metrics, tests). */
  onCommit?: (rooms: number, rows: number) => void;
}

interface Request {
  rows: readonly NewMessage[];
  resolve: (stored: MessageRecord[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Cross-room group commit (issue 12): the rooms' lanes each hand over their next rows (one room
 * at most once at a time, since a lane waits for its write), and the rows of every room that
 * arrived in the same event-loop turn, or while the previous write was in flight, go to the
 * database as one multi-row INSERT, which is one transaction on SQLite and on InnoDB. A room's
 * promise settles only after that statement: nothing is answered before it is durable.
 *
 * A constraint that refuses the shared statement (a retried clientMsgId, a seq another instance
 * took) says nothing about which room caused it, so each room is then written alone and gets its
 * own answer, exactly as without this class. Any other failure (the database is gone) refuses
 * every room of the batch, and only those.
 */
export class GroupCommit {
  private pending: Request[] = [];
  private scheduled = false;
  private writing = false;
  private readonly schedule: CommitScheduler;
  private readonly maxRows: number;

  constructor(private readonly o: GroupCommitOptions) {
    this.schedule = o.schedule ?? ((flush) => void setImmediate(flush));
    this.maxRows = o.maxRows ?? 1_000;
    if (!Number.isSafeInteger(this.maxRows) || this.maxRows < 1) throw new RangeError(`maxRows must be a positive integer, got ${this.maxRows}`);
  }

  /** Stores the rows of one room (consecutive seqs the caller assigned); resolves with them as stored. */
  insert(rows: readonly NewMessage[]): Promise<MessageRecord[]> {
    return new Promise<MessageRecord[]>((resolve, reject) => {
      this.pending.push({ rows, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    // One write at a time: what arrives meanwhile waits and goes in the next, larger statement.
    if (this.scheduled || this.writing || this.pending.length === 0) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.take();
        await this.write(batch);
      }
    } finally {
      this.writing = false;
      this.kick();
    }
  }

  /** The oldest requests up to `maxRows` rows (always at least one). */
  private take(): Request[] {
    let rows = 0;
    let n = 0;
    while (n < this.pending.length && (n === 0 || rows + this.pending[n]!.rows.length <= this.maxRows)) {
      rows += this.pending[n]!.rows.length;
      n++;
    }
    return this.pending.splice(0, n);
  }

  private async write(batch: readonly Request[]): Promise<void> {
    if (batch.length === 1) return this.writeAlone(batch[0]!);
    let stored: MessageRecord[][];
    try {
      stored = await this.o.repository.insertRooms(batch.map((r) => r.rows));
    } catch (e: unknown) {
      if (!(e instanceof BatchConflictError)) {
        for (const r of batch) r.reject(e);
        return;
      }
      for (const r of batch) await this.writeAlone(r);
      return;
    }
    this.o.onCommit?.(batch.length, stored.reduce((n, rows) => n + rows.length, 0));
    batch.forEach((r, i) => r.resolve(stored[i]!));
  }

  private async writeAlone(r: Request): Promise<void> {
    try {
      r.resolve(r.rows.length === 1 ? [await this.o.repository.insert(r.rows[0]!)] : await this.o.repository.insertMany(r.rows));
    } catch (e: unknown) {
      r.reject(e);
    }
  }
}

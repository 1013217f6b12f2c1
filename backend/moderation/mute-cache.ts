/**
 * Who is muted, per room, in memory: the send path is hot, and a database query per SEND (or typing
 * mark, or signal) would cost more than the send itself. A room's mutes are read in one query the first
 * time they are needed (joining warms it), then answered synchronously, so pipelined sends keep their
 * order. Mutes and unmutes invalidate the room on every instance over the cluster bus
 * (moderation-bus.ts); because Redis pub/sub may drop a message, an entry older than `maxAgeMs` is
 * also re-read in the background (the stale answer is used meanwhile).
 */
export interface MuteCacheOptions {
  /** The room's mutes in force: user id → end in ms since the epoch. */
  load(roomId: number): Promise<Map<string, number>>;
  now(): number;
  /** How old an entry may get before it is re-read in the background. */
  maxAgeMs: number;
  /** A failed background re-read is reported here (the old entry stays). */
  onError(error: unknown, roomId: number): void;
}

interface Entry {
  readonly mutes: Map<string, number>;
  readonly loadedAt: number;
}

export class MuteCache {
  private readonly entries = new Map<number, Entry>();
  private readonly loads = new Map<number, { generation: number; promise: Promise<Entry> }>();
  /** Bumped by every invalidation, so a read that started before it never stores its stale answer. */
  private readonly generations = new Map<number, number>();

  constructor(private readonly o: MuteCacheOptions) {}

  /** Synchronous whenever the room is cached (the usual case for a joined member). */
  isMuted(roomId: number, userId: string): boolean | Promise<boolean> {
    const entry = this.entries.get(roomId);
    if (entry === undefined) return this.read(roomId).then((e) => this.check(e, userId));
    if (this.o.now() - entry.loadedAt > this.o.maxAgeMs) this.read(roomId).catch((e: unknown) => this.o.onError(e, roomId));
    return this.check(entry, userId);
  }

  /** Reads the room's mutes if they are not cached yet. */
  async warm(roomId: number): Promise<void> {
    if (!this.entries.has(roomId)) await this.read(roomId);
  }

  /** The room's mutes changed (here or on another instance). */
  invalidate(roomId: number): void {
    this.generations.set(roomId, (this.generations.get(roomId) ?? 0) + 1);
    this.entries.delete(roomId);
    this.loads.delete(roomId);
  }

  /** A deleted room. */
  forget(roomId: number): void {
    this.entries.delete(roomId);
    this.loads.delete(roomId);
    this.generations.delete(roomId);
  }

  private check(entry: Entry, userId: string): boolean {
    const until = entry.mutes.get(userId);
    return until !== undefined && until > this.o.now();
  }

  private read(roomId: number): Promise<Entry> {
    const generation = this.generations.get(roomId) ?? 0;
    const running = this.loads.get(roomId);
    if (running !== undefined && running.generation === generation) return running.promise;
    const promise = this.o.load(roomId).then((mutes) => {
      const entry: Entry = { mutes, loadedAt: this.o.now() };
      if ((this.generations.get(roomId) ?? 0) === generation) this.entries.set(roomId, entry);
      return entry;
    });
    this.loads.set(roomId, { generation, promise });
    const done = (): void => {
      if (this.loads.get(roomId)?.promise === promise) this.loads.delete(roomId);
    };
    promise.then(done, done);
    return promise;
  }
}

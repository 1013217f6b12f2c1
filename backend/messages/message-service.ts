import type { AuthUser } from '../auth/auth-user.js';
import { ParleyError } from '../errors.js';
import type { Broker } from '../stomp/broker.js';
import type { PreparedMessage } from '../stomp/frame.js';
import type { Subscription } from '../stomp/subscription.js';
import { KeyedLane } from './lane.js';
import { GroupCommit, type CommitScheduler } from './group-commit.js';
import {
  DuplicateMessageError,
  SeqTakenError,
  isMutation,
  type MessageRecord,
  type MessageRepository,
  type MessageType,
  type MutationRecord,
  type NewMutation,
  type StreamEntry,
} from './message-repository.js';
import { messageHeaders, messageSeq, mutationHeaders, roomTopic, toMessageJson, toMutationJson } from './message-view.js';
import { HEADER_LAST_SEQ, HEADER_RESUME_TRUNCATED } from '../../sdk/protocol/frames.js';
import { jsonFrameHeaders } from '../frame-headers.js';
import type { HistoryPage, Message, MessageMutation, ResumeBody } from '../../sdk/protocol/shapes.js';

export interface SendResult {
  message: MessageRecord;
  duplicate: boolean;
}

/** A mutation and the message it changed, as it is after the change. */
export interface StoredMutation {
  mutation: MutationRecord;
  target: MessageRecord;
}

/**
 * What a mutation asks of its target, decided inside the room's lane with the target read there
 * (so two changes to one message on one instance are checked one after the other). `store`
 * makes the change; `answer` ends without a new entry (a retry answered with what was stored).
 * Throwing refuses the change.
 */
export type MutationDecision = { kind: 'store'; change: NewMutation['change'] } | { kind: 'answer'; result: StoredMutation | null };

/** A stream entry ready to show: a message, or a mutation with its message as it is now. */
type EntryView = { mutation?: undefined; message: MessageRecord } | { mutation: MutationRecord; message: MessageRecord };

/** Most messages one INSERT stores. */
const MAX_BATCH = 200;
/**
 * Most times one store re-reads the last seq after another instance took the seq it tried.
 * Each clash costs one failed INSERT and one MAX(seq) read; past this the send is refused
 * UNAVAILABLE (the client retries with the same clientMsgId).
 */
const MAX_SEQ_ATTEMPTS = 25;

interface Draft {
  user: AuthUser;
  type: MessageType;
  text: string;
  clientMsgId: string | null;
}

interface PendingSend {
  user: AuthUser;
  text: string;
  clientMsgId: string | null;
  resolve: (result: SendResult) => void;
  reject: (error: unknown) => void;
}

export interface MessageServiceOptions {
  repository: MessageRepository;
  broker: Broker;
  resumeMaxMessages: number;
  now: () => number;
  onStored: () => void;
  /** Another instance took the seq this one tried (metrics). */
  onSeqClash?: () => void;
  /** When gathered writes go to the database (default `setImmediate`: one event-loop turn). */
  commitSchedule?: CommitScheduler;
  /** One multi-room INSERT stored `rows` messages of `rooms` rooms (metrics, tests). */
  onGroupCommit?: (rooms: number, rows: number) => void;
}

/**
 * Stores then broadcasts, one room at a time: the seq is the cached last seq + 1 inside the
 * room's lane, so two senders can never get the same seq and the topic sees seqs in order.
 * The rooms' writes meet in one {@link GroupCommit}, so busy rooms share INSERTs.
 */
export class MessageService {
  private readonly lane = new KeyedLane<number>();
  private readonly lastSeqCache = new Map<number, number>();
  private readonly batches = new Map<number, PendingSend[]>();
  private readonly commits: GroupCommit;

  constructor(private readonly o: MessageServiceOptions) {
    this.commits = new GroupCommit({
      repository: o.repository,
      ...(o.commitSchedule === undefined ? {} : { schedule: o.commitSchedule }),
      ...(o.onGroupCommit === undefined ? {} : { onCommit: o.onGroupCommit }),
    });
  }

  /**
   * Sends that arrive while the room's lane is busy are stored together in one INSERT (group
   * commit), then broadcast in seq order. A batch that hits a retried clientMsgId falls back to
   * one INSERT per message so the retry resolves to the original.
   */
  send(roomId: number, user: AuthUser, text: string, clientMsgId: string | null): Promise<SendResult> {
    return new Promise<SendResult>((resolve, reject) => {
      let batch = this.batches.get(roomId);
      if (batch === undefined) {
        batch = [];
        this.batches.set(roomId, batch);
        void this.lane.run(roomId, () => this.flush(roomId));
      }
      batch.push({ user, text, clientMsgId, resolve, reject });
    });
  }

  appendSystem(roomId: number, user: AuthUser, type: Exclude<MessageType, 'text'>): Promise<MessageRecord> {
    return this.lane.run(roomId, () => this.append(roomId, user, type, '', null));
  }

  /**
   * Resume: the subscription is held (live frames buffered) before this runs. Replays
   * (sinceSeq, lastSeq] from the database unless that is over the cap, says how it went, then
   * releases the live frames it did not already cover.
   */
  async replay(sub: Subscription, roomId: number, sinceSeq: number): Promise<void> {
    let lastSeq = sinceSeq;
    try {
      lastSeq = await this.o.repository.lastSeq(roomId);
      const missed = lastSeq - sinceSeq;
      const truncated = missed > this.o.resumeMaxMessages;
      if (!truncated && missed > 0) {
        // Pages keep memory flat when the cap is large.
        let from = sinceSeq;
        while (from < lastSeq) {
          const upTo = Math.min(lastSeq, from + 500);
          for (const m of await this.preparedRange(roomId, from, upTo)) sub.deliverNow(m);
          from = upTo;
        }
      }
      sub.deliverNow(
        this.o.broker.prepare(
          roomTopic(roomId),
          jsonFrameHeaders('resume', { [HEADER_LAST_SEQ]: String(lastSeq), [HEADER_RESUME_TRUNCATED]: String(truncated) }),
          JSON.stringify({ sinceSeq, lastSeq, truncated } satisfies ResumeBody),
        ),
      );
    } finally {
      sub.release(
        (m) => isCoveredMessage(m, lastSeq),
        // Seqs arrive in order, so the first message past the replay ends the check.
        (m) => (isCoveredMessage(m, lastSeq) ? true : messageSeq(m) !== undefined ? 'stop' : false),
      );
    }
  }

  /**
   * One page of the stream: `limit` entries before or after a seq, split into messages and
   * mutations, each in the current state of its message. `lastSeq` is read first, so every
   * entry up to it is in the database and the page has no hole below it.
   */
  async historyPage(roomId: number, query: { before?: number; after?: number; limit: number }): Promise<HistoryPage> {
    const lastSeq = await this.o.repository.lastSeq(roomId);
    const entries =
      query.after !== undefined
        ? await this.o.repository.listAfter(roomId, query.after, query.limit)
        : await this.o.repository.listBefore(roomId, query.before ?? Number.MAX_SAFE_INTEGER, query.limit);
    const messages: Message[] = [];
    const mutations: MessageMutation[] = [];
    for (const item of await this.withTargets(roomId, entries)) {
      if (item.mutation === undefined) messages.push(toMessageJson(item.message));
      else mutations.push(toMutationJson(item.mutation, item.message));
    }
    return { messages, mutations, lastSeq: Math.max(lastSeq, entries.at(-1)?.seq ?? 0) };
  }

  /** The entry at `seq` in the room, message or mutation, or null. */
  entryAt(roomId: number, seq: number): Promise<StreamEntry | null> {
    return this.o.repository.findBySeq(roomId, seq);
  }

  /**
   * Stores a change to the message at `targetSeq` as a new entry with the next seq (the same lane
   * and seq rule as a message), then broadcasts it. `decide` sees the target as it is inside the
   * lane. Resolves null when nothing was stored and there is nothing to answer with (a delete of a
   * tombstone).
   */
  mutate(
    roomId: number,
    targetSeq: number,
    actor: AuthUser,
    decide: (target: StreamEntry | null) => MutationDecision | Promise<MutationDecision>,
  ): Promise<StoredMutation | null> {
    return this.lane.run(roomId, async () => {
      const decision = await decide(await this.o.repository.findBySeq(roomId, targetSeq));
      if (decision.kind === 'answer') return decision.result;
      const createdAt = new Date(this.o.now());
      const stored = await this.withNextSeq(roomId, async (last) => {
        const result = await this.o.repository.mutate({
          roomId,
          seq: last + 1,
          targetSeq,
          actor: { id: actor.id, nickname: actor.nickname },
          createdAt,
          change: decision.change,
        });
        return { value: result, used: result === 'deleted' ? 0 : 1 };
      });
      if (stored === 'deleted') {
        // Another instance made it a tombstone between the read and the write: decide again on
        // what is there now (an edit is refused, a delete has nothing left to do).
        const again = await decide(await this.o.repository.findBySeq(roomId, targetSeq));
        return again.kind === 'answer' ? again.result : null;
      }
      this.o.broker.publishPrepared(this.prepareMutation(stored.mutation, stored.target));
      return stored;
    });
  }

  /** The newest edit of the message at `targetSeq`, with the message as it is now. */
  async lastEdit(roomId: number, targetSeq: number): Promise<StoredMutation | null> {
    const mutation = await this.o.repository.lastEdit(roomId, targetSeq);
    if (mutation === null) return null;
    const [target] = await this.o.repository.findMessages(roomId, [targetSeq]);
    return target === undefined ? null : { mutation, target };
  }

  /** The message `user` already stored in the room under `clientMsgId`, if any (a retry's original). */
  findStored(roomId: number, user: AuthUser, clientMsgId: string): Promise<MessageRecord | null> {
    return this.o.repository.findByClientMsgId(roomId, user.id, clientMsgId);
  }

  lastSeq(roomId: number): Promise<number> {
    return this.o.repository.lastSeq(roomId);
  }

  /**
   * Stored entries afterSeq < seq ≤ upToSeq as room-topic frames (resume, and a receiving
   * instance filling a gap): messages as they are now, mutations carrying their target as it is now.
   */
  async preparedRange(roomId: number, afterSeq: number, upToSeq: number): Promise<PreparedMessage[]> {
    const entries = await this.o.repository.range(roomId, afterSeq, upToSeq);
    return (await this.withTargets(roomId, entries)).map(({ mutation, message }) =>
      mutation === undefined ? this.prepare(message) : this.prepareMutation(mutation, message),
    );
  }

  forgetRoom(roomId: number): void {
    this.lastSeqCache.delete(roomId);
  }

  drain(): Promise<void> {
    return this.lane.drain();
  }

  private async flush(roomId: number): Promise<void> {
    const all = this.batches.get(roomId) ?? [];
    this.batches.delete(roomId);
    for (let i = 0; i < all.length; i += MAX_BATCH) {
      const batch = all.slice(i, i + MAX_BATCH);
      try {
        const stored = await this.store(roomId, batch.map((p) => ({ user: p.user, type: 'text' as const, text: p.text, clientMsgId: p.clientMsgId })));
        stored.forEach((message, k) => batch[k]!.resolve({ message, duplicate: false }));
      } catch (e: unknown) {
        if (!(e instanceof DuplicateMessageError)) {
          for (const p of batch) p.reject(e);
          continue;
        }
        for (const p of batch) {
          await this.sendOne(roomId, p).then(p.resolve, p.reject);
        }
      }
    }
  }

  private async sendOne(roomId: number, p: PendingSend): Promise<SendResult> {
    try {
      return { message: await this.append(roomId, p.user, 'text', p.text, p.clientMsgId), duplicate: false };
    } catch (e: unknown) {
      if (!(e instanceof DuplicateMessageError) || p.clientMsgId === null) throw e;
      const existing = await this.o.repository.findByClientMsgId(roomId, p.user.id, p.clientMsgId);
      if (existing === null) throw e;
      return { message: existing, duplicate: true };
    }
  }

  private prepare(m: MessageRecord): PreparedMessage {
    return this.o.broker.prepare(roomTopic(m.roomId), messageHeaders(m), JSON.stringify(toMessageJson(m)));
  }

  private prepareMutation(m: MutationRecord, target: MessageRecord): PreparedMessage {
    return this.o.broker.prepare(roomTopic(m.roomId), mutationHeaders(m), JSON.stringify(toMutationJson(m, target)));
  }

  /**
   * Pairs each mutation with its target's current state, read in one query (targets in the same
   * range are taken from it: they were read at the same moment). A mutation whose target is gone
   * cannot happen (rows are only ever deleted with their room) and is dropped.
   */
  private async withTargets(roomId: number, entries: readonly StreamEntry[]): Promise<EntryView[]> {
    const bySeq = new Map<number, MessageRecord>();
    for (const e of entries) if (!isMutation(e)) bySeq.set(e.seq, e);
    const missing = entries.filter(isMutation).map((m) => m.targetSeq).filter((seq) => !bySeq.has(seq));
    for (const m of await this.o.repository.findMessages(roomId, missing)) bySeq.set(m.seq, m);
    const out: EntryView[] = [];
    for (const entry of entries) {
      if (!isMutation(entry)) out.push({ message: entry });
      else {
        const target = bySeq.get(entry.targetSeq);
        if (target !== undefined) out.push({ mutation: entry, message: target });
      }
    }
    return out;
  }

  private async append(roomId: number, user: AuthUser, type: MessageType, text: string, clientMsgId: string | null): Promise<MessageRecord> {
    const [message] = await this.store(roomId, [{ user, type, text, clientMsgId }]);
    return message!;
  }

  /**
   * Stores messages with the next seqs (in one statement, shared with the other rooms writing in
   * the same turn), then broadcasts them in order. Runs inside the room's lane.
   */
  private async store(roomId: number, drafts: readonly Draft[]): Promise<MessageRecord[]> {
    return this.withNextSeq(roomId, async (last) => {
      const stored = await this.storeAt(roomId, drafts, last);
      return { value: stored, used: stored.length };
    });
  }

  /**
   * Runs `write` with the room's last seq; it stores entries from last + 1 and says how many it
   * used. Runs inside the room's lane. The lane orders one instance's writers; between instances
   * the unique (room_id, seq) key decides, and the loser re-reads the last seq and tries the next
   * one, so a clash is never the client's problem. Messages and mutations share this one rule, so
   * seqs stay gap-free whatever mix of them several instances write.
   */
  private async withNextSeq<T>(roomId: number, write: (last: number) => Promise<{ value: T; used: number }>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const last = this.lastSeqCache.get(roomId) ?? (await this.o.repository.lastSeq(roomId));
        const { value, used } = await write(last);
        this.lastSeqCache.set(roomId, last + used);
        return value;
      } catch (e: unknown) {
        // A retried clientMsgId used no seq; anything else may mean another instance wrote
        // meanwhile, so re-read the truth next time.
        if (e instanceof DuplicateMessageError || (e instanceof ParleyError && e.code !== 'UNAVAILABLE')) throw e;
        this.lastSeqCache.delete(roomId);
        if (e instanceof SeqTakenError && attempt < MAX_SEQ_ATTEMPTS) {
          this.o.onSeqClash?.();
          continue;
        }
        if (e instanceof ParleyError) throw e;
        throw new ParleyError('UNAVAILABLE', 'The message could not be stored', { cause: e });
      }
    }
  }

  private async storeAt(roomId: number, drafts: readonly Draft[], last: number): Promise<MessageRecord[]> {
    const createdAt = new Date(this.o.now());
    const rows = drafts.map((d, k) => ({
      roomId,
      seq: last + 1 + k,
      type: d.type,
      senderId: d.user.id,
      senderNickname: d.user.nickname,
      text: d.text,
      clientMsgId: d.clientMsgId,
      createdAt,
    }));
    const stored = await this.commits.insert(rows);
    for (const message of stored) {
      this.o.onStored();
      this.o.broker.publishPrepared(this.prepare(message));
    }
    return stored;
  }
}

function isCoveredMessage(m: PreparedMessage, lastSeq: number): boolean {
  const seq = messageSeq(m);
  return seq !== undefined && seq <= lastSeq;
}

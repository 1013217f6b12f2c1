import type { AuthUser } from '../auth/auth-user.js';
import { ParleyError } from '../errors.js';
import type { Broker } from '../stomp/broker.js';
import type { PreparedMessage } from '../stomp/frame.js';
import type { Subscription } from '../stomp/subscription.js';
import { KeyedLane } from './lane.js';
import { DuplicateMessageError, SeqTakenError, type MessageRecord, type MessageRepository, type MessageType } from './message-repository.js';
import { messageHeaders, messageSeq, roomTopic, toMessageJson } from './message-view.js';
import { HEADER_LAST_SEQ, HEADER_RESUME_TRUNCATED } from '../../sdk/protocol/frames.js';
import { jsonFrameHeaders } from '../frame-headers.js';
import type { ResumeBody } from '../../sdk/protocol/shapes.js';

export interface SendResult {
  message: MessageRecord;
  duplicate: boolean;
}

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
}

/**
 * Stores then broadcasts, one room at a time: the seq is the cached last seq + 1 inside the
 * room's lane, so two senders can never get the same seq and the topic sees seqs in order.
 */
export class MessageService {
  private readonly lane = new KeyedLane<number>();
  private readonly lastSeqCache = new Map<number, number>();
  private readonly batches = new Map<number, PendingSend[]>();

  constructor(private readonly o: MessageServiceOptions) {}

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
          for (const m of await this.o.repository.range(roomId, from, upTo)) sub.deliverNow(this.prepare(m));
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

  history(roomId: number, query: { before?: number; after?: number; limit: number }): Promise<MessageRecord[]> {
    if (query.after !== undefined) return this.o.repository.listAfter(roomId, query.after, query.limit);
    return this.o.repository.listBefore(roomId, query.before ?? Number.MAX_SAFE_INTEGER, query.limit);
  }

  /** The message `user` already stored in the room under `clientMsgId`, if any (a retry's original). */
  findStored(roomId: number, user: AuthUser, clientMsgId: string): Promise<MessageRecord | null> {
    return this.o.repository.findByClientMsgId(roomId, user.id, clientMsgId);
  }

  lastSeq(roomId: number): Promise<number> {
    return this.o.repository.lastSeq(roomId);
  }

  /** Stored messages afterSeq < seq ≤ upToSeq as room-topic frames (a receiving instance fills a gap). */
  async preparedRange(roomId: number, afterSeq: number, upToSeq: number): Promise<PreparedMessage[]> {
    return (await this.o.repository.range(roomId, afterSeq, upToSeq)).map((m) => this.prepare(m));
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

  private async append(roomId: number, user: AuthUser, type: MessageType, text: string, clientMsgId: string | null): Promise<MessageRecord> {
    const [message] = await this.store(roomId, [{ user, type, text, clientMsgId }]);
    return message!;
  }

  /**
   * Stores messages with the next seqs (one INSERT for one, one multi-row INSERT for several),
   * then broadcasts them in order. Runs inside the room's lane. The lane orders one instance's
   * writers; between instances the unique (room_id, seq) key decides, and the loser re-reads
   * the last seq and tries the next one, so a clash is never the client's problem.
   */
  private async store(roomId: number, drafts: readonly Draft[]): Promise<MessageRecord[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.storeAt(roomId, drafts, this.lastSeqCache.get(roomId) ?? (await this.o.repository.lastSeq(roomId)));
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
    const stored = rows.length === 1 ? [await this.o.repository.insert(rows[0]!)] : await this.o.repository.insertMany(rows);
    this.lastSeqCache.set(roomId, last + rows.length);
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

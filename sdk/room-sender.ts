import { ParleyError } from './errors.js';
import { roomAction } from './protocol/destinations.js';
import { isRetryable } from './protocol/errors.js';
import { HEADER_SEQ } from './protocol/frames.js';
import { sendPacer } from './send-pacer.js';
import { SendQueue } from './send-queue.js';
import type { QueuedSend } from './send-queue.js';
import type { StompConnection } from './stomp-connection.js';
import type { Message, PendingMessage } from './types.js';
import type { MessageBuffer } from './message-buffer.js';
import type { RoomHost } from './room-host.js';

/** A room's outgoing messages: the queue and its transmission on the joined connection. @internal */
export interface RoomSender {
  readonly queue: SendQueue;
  /** Queues a text (see `RoomHandle.send`) and sends it when joined. */
  send(text: string, clientMsgId?: string): Promise<Message>;
  /** Transmits every queued message not yet sent on the joined connection, in order. */
  pump(): void;
  /** A delivered message: settles the send it belongs to. */
  delivered(message: Message): void;
  /** Settles sends whose RECEIPT named a seq already delivered. */
  settle(): void;
  /** The connection is gone: forget the attempt counts and any wait the server asked for. */
  reset(): void;
}

/** Attempts on one connection before a send fails with its last error. */
const MAX_ATTEMPTS_ON_ONE_CONNECTION = 3;

/**
 * Creates the sender of one room. Every attempt of a message carries the same clientMsgId, so
 * the server stores it once however often it goes out. The queue goes out in order, paced by
 * `send-pacer.ts`: a window of sends in flight, and a wait when the server asks for one.
 * @param host - the room's client (`maxQueuedMessages`, ids, clock, user)
 * @param roomId - the room
 * @param buffer - the room's delivered messages
 * @param joinedOn - the connection the room is joined on, when it is
 * @param changed - reports every change of a pending message
 * @internal
 */
export function roomSender(
  host: RoomHost,
  roomId: number,
  buffer: MessageBuffer,
  joinedOn: () => StompConnection | undefined,
  changed: (message: PendingMessage) => void,
): RoomSender {
  const queue = new SendQueue({
    roomId,
    maxQueuedMessages: host.maxQueuedMessages,
    newId: host.newId,
    now: () => host.clock.now(),
    onChange: changed,
  });
  const attempts = new Map<string, number>();
  const pacer = sendPacer(host.clock, () => pump());

  const pump = (): void => {
    const conn = joinedOn();
    if (!queue.size) pacer.idle();
    if (conn?.isOpen) for (const e of queue.takeForSend(conn, pacer.window())) transmit(conn, e);
  };

  const settle = (): void => {
    // A RECEIPT may name a seq that is already behind us (a duplicate of a message delivered
    // before this client knew it was its own): settle it from memory.
    for (const e of queue.sentUpTo(buffer.lastSeq)) {
      const m = e.seq !== undefined ? buffer.bySeq(e.seq) : undefined;
      queue.complete(e.clientMsgId, m ?? synthesize(e));
    }
  };

  const synthesize = (e: QueuedSend): Message => ({
    id: 0,
    seq: e.seq ?? 0,
    roomId: roomId,
    type: 'text',
    sender: { id: host.userId() ?? '', nickname: '' },
    text: e.text,
    clientMsgId: e.clientMsgId,
    createdAt: new Date(e.createdAt).toISOString(),
    editedAt: null,
    deleted: false,
  });

  const transmit = (conn: StompConnection, e: QueuedSend): void => {
    const id = e.clientMsgId;
    conn.request(roomAction(roomId, 'messages'), JSON.stringify({ text: e.text, clientMsgId: id })).then(
      (receipt) => {
        const seq = Number(receipt.headers[HEADER_SEQ]);
        attempts.delete(id);
        if (queue.get(id) && Number.isSafeInteger(seq)) {
          queue.markSent(id, seq);
          // Normally the message was already delivered (broadcast precedes the RECEIPT).
          if (seq <= buffer.lastSeq) settle();
        }
        pump(); // a place in the window is free
      },
      (error: unknown) => {
        const err = ParleyError.from(error);
        const e = queue.get(id);
        if (e?.state !== 'pending') return;
        if (!isRetryable(err.code)) {
          queue.fail(id, err);
          return pump();
        }
        // Never a second message: the retry carries the same clientMsgId.
        queue.release(id);
        if (err.code === 'RATE_LIMITED' || err.code === 'UNAVAILABLE') {
          // The server asks to wait: the whole queue waits, then resends in order (the pacer calls
          // pump), until `sendRetryTimeoutMs` after send() — then the app hears the last error.
          const ms = pacer.wait(err.retryAfterMs);
          if (host.clock.now() + ms - e.createdAt > host.sendRetryTimeoutMs) queue.fail(id, err);
          return;
        }
        if (!conn.isOpen || conn !== joinedOn()) return;
        const n = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, n);
        if (n < MAX_ATTEMPTS_ON_ONE_CONNECTION) return pump();
        attempts.delete(id);
        queue.fail(id, err);
      },
    );
  };

  return {
    queue,
    // Async: a full queue (QUEUE_FULL) rejects the returned promise instead of throwing.
    async send(text, clientMsgId) {
      const { done } = queue.add(text, clientMsgId);
      pump();
      return done;
    },
    pump,
    delivered: (m) => void (m.clientMsgId && queue.complete(m.clientMsgId, m)),
    settle,
    reset: () => {
      attempts.clear();
      pacer.reset();
    },
  };
}

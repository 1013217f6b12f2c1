import type { CallService } from '../calls/call-service.js';
import { ParleyError } from '../errors.js';
import type { MessageService } from '../messages/message-service.js';
import type { MessageRecord } from '../messages/message-repository.js';
import type { RateLimit } from '../messages/rate-limiter.js';
import type { TypingService } from '../messages/typing-service.js';
import type { ModerationService } from '../moderation/moderation-service.js';
import type { Broker, SendGuard } from '../stomp/broker.js';
import { invalid, parseJsonObject, parseRoomId, parseSeq } from '../validation.js';
import type { RoomService } from './room-service.js';
import { LOBBY_TOPIC } from './room-view.js';
import { roomAction, roomTopic } from '../../sdk/protocol/destinations.js';
import { HEADER_DUPLICATE, HEADER_MESSAGE_ID, HEADER_SEQ, HEADER_SINCE_SEQ } from '../../sdk/protocol/frames.js';
import { jsonFrameHeaders } from '../frame-headers.js';

const CLIENT_MSG_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface RoomDestinationDeps {
  broker: Broker;
  rooms: RoomService;
  messages: MessageService;
  typing: TypingService;
  calls: CallService;
  rateLimiter: RateLimit;
  maxMessageChars: number;
  /** Mutes refuse sending, typing, joining the call and signalling with MUTED. */
  moderation: ModerationService;
}

const ROOM_ACTION_ID = /^\/app\/rooms\/([^/]+)\//;

function sendReceipt(message: MessageRecord, duplicate: boolean): Record<string, string> {
  const receipt: Record<string, string> = { [HEADER_SEQ]: String(message.seq), [HEADER_MESSAGE_ID]: String(message.id) };
  if (duplicate) receipt[HEADER_DUPLICATE] = 'true';
  return receipt;
}

/** The `/app/rooms/**` handlers and the guards on `/topic/rooms/{id}` and `/topic/lobby`. */
export function registerRoomDestinations(d: RoomDestinationDeps): void {
  const { broker, rooms, messages, typing } = d;

  broker.onSend(roomAction('{id}', 'join'), async ({ session, user, params, frame }) => {
    const body = parseJsonObject(frame.body, { allowEmpty: true });
    const password = body['password'];
    if (password !== undefined && password !== null && typeof password !== 'string') throw invalid('password must be a string');
    const roomId = parseRoomId(params['id']);
    await rooms.join(session, user, roomId, typeof password === 'string' ? password : undefined);
    // A member's sends then find the room's mutes cached and are checked without waiting.
    await d.moderation.warmMutes(roomId);
  });

  broker.onSend(roomAction('{id}', 'leave'), async ({ session, user, params }) => {
    await rooms.leave(session, user, parseRoomId(params['id']));
  });

  broker.onSend(roomAction('{id}', 'messages'), async ({ session, user, params, frame }) => {
    const roomId = parseRoomId(params['id']);
    if (!rooms.isJoined(session, roomId)) throw new ParleyError('NOT_MEMBER');
    // Synchronous while the room's mutes are cached, so pipelined sends keep their order.
    const muted = d.moderation.checkNotMuted(user, roomId);
    if (muted !== undefined) await muted;
    const body = parseJsonObject(frame.body);
    const text = typeof body['text'] === 'string' ? body['text'].replace(/\s+$/u, '') : undefined;
    if (text === undefined || text.length === 0) throw invalid('text must be a non-empty string');
    if ([...text].length > d.maxMessageChars) throw new ParleyError('MESSAGE_TOO_LONG', `Messages may have at most ${d.maxMessageChars} characters`);
    const clientMsgId = body['clientMsgId'];
    if (clientMsgId !== undefined && clientMsgId !== null && (typeof clientMsgId !== 'string' || !CLIENT_MSG_ID.test(clientMsgId))) {
      throw invalid('clientMsgId must be 1-64 characters of A-Z a-z 0-9 _ -');
    }
    const id = typeof clientMsgId === 'string' ? clientMsgId : null;
    // The token is taken synchronously, before any lookup, so sends enter the room lane in frame
    // order (pipelined). Only a refused send pays for the lookup: a retry of a message already
    // stored is answered with the original, never refused (issue 11, item 13).
    const wait = d.rateLimiter.takeOrWait(user.id);
    const retryAfterMs = typeof wait === 'number' ? wait : await wait;
    if (retryAfterMs > 0) {
      const stored = id === null ? null : await messages.findStored(roomId, user, id);
      if (stored === null) throw new ParleyError('RATE_LIMITED', undefined, { details: { retryAfterMs } });
      return sendReceipt(stored, true);
    }
    const { message, duplicate } = await messages.send(roomId, user, text, id);
    typing.clearUser(roomId, user);
    return sendReceipt(message, duplicate);
  }, { pipelined: true });

  broker.onSend(roomAction('{id}', 'typing'), async ({ session, user, params, frame }) => {
    const roomId = parseRoomId(params['id']);
    if (!rooms.isJoined(session, roomId)) throw new ParleyError('NOT_MEMBER');
    await d.moderation.checkNotMuted(user, roomId);
    const body = parseJsonObject(frame.body);
    if (typeof body['typing'] !== 'boolean') throw invalid('typing must be true or false');
    typing.set(roomId, user, body['typing']);
  });

  // The call's handlers (backend/calls) know nothing of mutes: they are checked here, before them,
  // for joined members only (a non-member gets the handler's NOT_MEMBER).
  const notMuted: SendGuard = async ({ session, user, destination }) => {
    const raw = ROOM_ACTION_ID.exec(destination)?.[1];
    if (raw === undefined) return;
    const roomId = parseRoomId(raw);
    if (rooms.isJoined(session, roomId)) await d.moderation.checkNotMuted(user, roomId);
  };
  broker.guardSend(roomAction('{id}', 'call/join'), notMuted);
  broker.guardSend(roomAction('{id}', 'signal'), notMuted);

  broker.onTopic(roomTopic('{id}'), {
    authorize: async ({ session, user, params, subscription }) => {
      const roomId = parseRoomId(params['id']);
      await rooms.assertNotBanned(user, roomId);
      if (!rooms.isJoined(session, roomId)) throw new ParleyError('NOT_MEMBER');
      const since = parseSeq(subscription.headers.get(HEADER_SINCE_SEQ), HEADER_SINCE_SEQ);
      if (since !== undefined) subscription.hold();
    },
    afterRegistered: async ({ params, subscription }) => {
      const roomId = parseRoomId(params['id']);
      const [presence, call] = await Promise.all([rooms.presenceSnapshot(roomId), d.calls.snapshot(roomId)]);
      subscription.deliverNow(broker.prepare(subscription.destination, jsonFrameHeaders('presence'), presence));
      subscription.deliverNow(broker.prepare(subscription.destination, jsonFrameHeaders('call'), call));
      const since = parseSeq(subscription.headers.get(HEADER_SINCE_SEQ), HEADER_SINCE_SEQ);
      if (since !== undefined) await messages.replay(subscription, roomId, since);
    },
  });

  broker.onTopic(LOBBY_TOPIC, { authorize: async () => undefined });

  broker.onSessionClosed((session) => rooms.sessionClosed(session));
}

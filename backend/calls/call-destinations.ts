import { ParleyError } from '../errors.js';
import type { RoomService } from '../rooms/room-service.js';
import type { Broker } from '../stomp/broker.js';
import { invalid, parseJsonObject, parseRoomId } from '../validation.js';
import type { CallService, MediaState } from './call-service.js';
import { roomAction } from '../../sdk/protocol/destinations.js';
import { HEADER_ORDER, HEADER_PARTICIPANT_ID } from '../../sdk/protocol/frames.js';

const SIGNAL_FIELDS = ['description', 'candidate', 'kind'] as const;

/** `/app/rooms/{id}/call/*` and `/app/rooms/{id}/signal`; see docs/protocol.md "Calls". */
export function registerCallDestinations(broker: Broker, rooms: RoomService, calls: CallService): void {
  broker.onSend(roomAction('{id}', 'call/join'), async ({ session, user, params, frame }) => {
    const roomId = parseRoomId(params['id']);
    if (!rooms.isJoined(session, roomId)) throw new ParleyError('NOT_MEMBER');
    const body = parseJsonObject(frame.body, { allowEmpty: true });
    const p = await calls.join(session, user, roomId, { audio: flag(body, 'audio') ?? true, video: flag(body, 'video') ?? true, screen: false });
    return { [HEADER_PARTICIPANT_ID]: p.id, [HEADER_ORDER]: String(p.order) };
  });

  broker.onSend(roomAction('{id}', 'call/leave'), async ({ session, params }) => {
    if (!(await calls.leave(session, parseRoomId(params['id'])))) throw new ParleyError('NOT_IN_CALL');
  });

  broker.onSend(roomAction('{id}', 'call/media'), async ({ session, params, frame }) => {
    const body = parseJsonObject(frame.body);
    const media: Partial<MediaState> = {};
    for (const k of ['audio', 'video', 'screen'] as const) {
      const v = flag(body, k);
      if (v !== undefined) media[k] = v;
    }
    await calls.setMedia(session, parseRoomId(params['id']), media);
  });

  broker.onSend(roomAction('{id}', 'signal'), async ({ session, params, frame }) => {
    const body = parseJsonObject(frame.body);
    const to = body['to'];
    if (typeof to !== 'string' || to.length === 0 || to.length > 64) throw invalid('to must be a participant id');
    const payload: Record<string, unknown> = {};
    for (const k of SIGNAL_FIELDS) if (body[k] !== undefined) payload[k] = body[k];
    if (payload['description'] === undefined && payload['candidate'] === undefined && payload['kind'] === undefined) {
      throw invalid('A signal carries description, candidate or kind');
    }
    await calls.signal(session, parseRoomId(params['id']), to, payload);
  });

  broker.onSessionClosed((session) => {
    // A store failure (Redis down) leaves the participant behind; the instance's reconciliation
    // after the reconnect removes it, so there is nothing more to do here.
    calls.sessionClosed(session).catch(() => undefined);
  });
}

function flag(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw invalid(`${key} must be true or false`);
  return v;
}

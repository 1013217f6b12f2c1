import { Router } from 'express';
import type { TokenService } from '../auth/token-service.js';
import { ParleyError } from '../errors.js';
import type { MessageEdits } from '../messages/message-edits.js';
import type { MessageService } from '../messages/message-service.js';
import type { RoomService } from '../rooms/room-service.js';
import { invalid, parseRoomId, parseSeq, requireInt } from '../validation.js';
import { requireUser } from './authenticate.js';
import { objectBody } from './json-body.js';

/** The seq in a message URL: a positive integer; anything else names no message. */
function parseMessageSeq(raw: string | undefined): number {
  if (raw === undefined || !/^[1-9]\d{0,14}$/.test(raw)) throw new ParleyError('MESSAGE_NOT_FOUND');
  return Number(raw);
}

/** `/api/rooms/:id/messages`: history (messages and mutations), and editing or deleting one message. */
export function messageRoutes(tokens: TokenService, rooms: RoomService, messages: MessageService, edits: MessageEdits): Router {
  const router = Router();

  router.get('/api/rooms/:id/messages', async (req, res) => {
    const user = await requireUser(tokens, req);
    const roomId = parseRoomId(req.params['id']);
    await rooms.assertCanRead(user, roomId);
    const q = req.query;
    const before = parseSeq(queryString(q['before'], 'before'), 'before');
    const after = parseSeq(queryString(q['after'], 'after'), 'after');
    if (before !== undefined && after !== undefined) throw invalid('Give before or after, not both');
    const limitRaw = parseSeq(queryString(q['limit'], 'limit'), 'limit');
    const limit = limitRaw === undefined ? 50 : requireInt(limitRaw, 'limit', 1, 200);
    const query: { before?: number; after?: number; limit: number } = { limit };
    if (before !== undefined) query.before = before;
    if (after !== undefined) query.after = after;
    res.json(await messages.historyPage(roomId, query));
  });

  router.patch('/api/rooms/:id/messages/:seq', async (req, res) => {
    const user = await requireUser(tokens, req);
    const roomId = parseRoomId(req.params['id']);
    const seq = parseMessageSeq(req.params['seq']);
    const body = objectBody(req);
    const unknown = Object.keys(body).filter((k) => k !== 'text');
    if (unknown.length > 0) throw invalid(`Unknown field: ${unknown.join(', ')}`);
    res.json(await edits.edit(user, roomId, seq, body['text']));
  });

  router.delete('/api/rooms/:id/messages/:seq', async (req, res) => {
    const user = await requireUser(tokens, req);
    await edits.delete(user, parseRoomId(req.params['id']), parseMessageSeq(req.params['seq']));
    res.status(204).end();
  });

  return router;
}


function queryString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`${field} must be given once`);
  return value;
}

import { Router, type Request } from 'express';
import type { TokenService } from '../auth/token-service.js';
import type { Limits } from '../limits/limits.js';
import type { RoomKind } from '../rooms/room-repository.js';
import type { RoomService } from '../rooms/room-service.js';
import { optionalName, requireName } from '../names.js';
import { invalid, parseRoomId, parseSeq, requireInt } from '../validation.js';
import { requireUser } from './authenticate.js';
import { objectBody } from './json-body.js';

const KINDS: readonly RoomKind[] = ['chat', 'video'];

export function roomRoutes(tokens: TokenService, rooms: RoomService, limits: Limits, addressOf: (req: Request) => string): Router {
  const router = Router();

  // Paged by id (issue 11): without `cursor` the first page, so `{rooms}` readers keep working.
  router.get('/api/rooms', async (req, res) => {
    const limitRaw = parseSeq(queryString(req.query['limit'], 'limit'), 'limit');
    const limit = limitRaw === undefined ? 50 : requireInt(limitRaw, 'limit', 1, 200);
    const afterId = parseCursor(queryString(req.query['cursor'], 'cursor'));
    const page = await rooms.list({ afterId, limit });
    res.json({ rooms: page.rooms, nextCursor: page.nextAfterId === null ? null : encodeCursor(page.nextAfterId) });
  });

  router.post('/api/rooms', async (req, res) => {
    const user = await requireUser(tokens, req);
    await limits.check('room-user', user.id);
    await limits.check('room-address', addressOf(req));
    const body = objectBody(req);
    const kind = body['kind'] ?? 'chat';
    if (!KINDS.includes(kind as RoomKind)) throw invalid('kind must be "chat" or "video"');
    const room = await rooms.create(user, {
      name: requireName(body['name'], 'name', 1, 100),
      kind: kind as RoomKind,
      maxUsers: body['maxUsers'] === undefined ? 100 : requireInt(body['maxUsers'], 'maxUsers', 2, 1000),
      password: body['password'] === undefined || body['password'] === null ? undefined : password(body['password']),
    });
    res.status(201).json(room);
  });

  router.get('/api/rooms/:id', async (req, res) => {
    res.json(await rooms.get(parseRoomId(req.params['id'])));
  });

  router.patch('/api/rooms/:id', async (req, res) => {
    const user = await requireUser(tokens, req);
    const body = objectBody(req);
    const known = new Set(['name', 'maxUsers', 'password']);
    const unknown = Object.keys(body).filter((k) => !known.has(k));
    if (unknown.length > 0) throw invalid(`Unknown field: ${unknown.join(', ')}`);
    const patch: { name?: string; maxUsers?: number; password?: string | null } = {};
    const name = optionalName(body['name'], 'name', 1, 100);
    if (name !== undefined) patch.name = name;
    if (body['maxUsers'] !== undefined) patch.maxUsers = requireInt(body['maxUsers'], 'maxUsers', 2, 1000);
    if (body['password'] === null) patch.password = null;
    else if (body['password'] !== undefined) patch.password = password(body['password']);
    res.json(await rooms.update(user, parseRoomId(req.params['id']), patch));
  });

  router.delete('/api/rooms/:id', async (req, res) => {
    const user = await requireUser(tokens, req);
    await rooms.delete(user, parseRoomId(req.params['id']));
    res.status(204).end();
  });

  return router;
}


function password(value: unknown): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > 64) throw invalid('password must be 1-64 characters');
  return value;
}

/** Opaque to clients: base64url of `r<last id>`, so nobody builds one by hand and expects it to last. */
function encodeCursor(afterId: number): string {
  return Buffer.from(`r${afterId}`).toString('base64url');
}

function parseCursor(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const m = /^r(\d{1,15})$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (m === null) throw invalid('cursor is not one this server handed out');
  return Number(m[1]);
}

function queryString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`${field} must be given once`);
  return value;
}

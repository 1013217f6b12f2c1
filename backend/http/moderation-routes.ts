import { Router, type Request } from 'express';
import type { TokenService } from '../auth/token-service.js';
import type { ModerationService } from '../moderation/moderation-service.js';
import type { RestrictionKind } from '../moderation/restriction-repository.js';
import type { RoomService } from '../rooms/room-service.js';
import { invalid, parseRoomId, requireInt } from '../validation.js';
import { requireUser } from './authenticate.js';
import { objectBody } from './json-body.js';
import type { RestrictionListBody } from '../../sdk/protocol/shapes.js';

/** `u_<id>` (guests) or `h_<sub>` (host users, `sub` 1–64 characters), no control characters. */
const USER_ID = /^[uh]_[^\p{Cc}]{1,64}$/u;
/** A year, the longest ban or mute with an end. */
const MAX_DURATION_S = 31_536_000;

/** Moderators, kicks, bans and mutes: docs/protocol.md §3, who may what in docs/authorization.md. */
export function moderationRoutes(tokens: TokenService, rooms: RoomService, moderation: ModerationService): Router {
  const router = Router();

  router.put('/api/rooms/:id/moderators/:userId', async (req, res) => {
    const user = await requireUser(tokens, req);
    res.json(await rooms.setModerator(user, parseRoomId(req.params['id']), userIdParam(req), true));
  });

  router.delete('/api/rooms/:id/moderators/:userId', async (req, res) => {
    const user = await requireUser(tokens, req);
    res.json(await rooms.setModerator(user, parseRoomId(req.params['id']), userIdParam(req), false));
  });

  router.post('/api/rooms/:id/kick', async (req, res) => {
    const user = await requireUser(tokens, req);
    const body = objectBody(req, ['userId']);
    await moderation.kick(user, parseRoomId(req.params['id']), userId(body['userId']));
    res.status(204).end();
  });

  for (const [path, kind] of [['bans', 'ban'], ['mutes', 'mute']] as const) {
    router.post(`/api/rooms/:id/${path}`, async (req, res) => {
      const user = await requireUser(tokens, req);
      const body = objectBody(req, ['userId', 'durationS']);
      const target = userId(body['userId']);
      const roomId = parseRoomId(req.params['id']);
      // A ban may be for good; a mute always ends.
      const durationS = body['durationS'] === undefined && kind === 'ban' ? undefined : requireInt(body['durationS'], 'durationS', 1, MAX_DURATION_S);
      const restriction = kind === 'ban' ? await moderation.ban(user, roomId, target, durationS) : await moderation.mute(user, roomId, target, durationS!);
      res.status(201).json(restriction);
    });

    router.delete(`/api/rooms/:id/${path}/:userId`, async (req, res) => {
      const user = await requireUser(tokens, req);
      await moderation.lift(user, parseRoomId(req.params['id']), kind satisfies RestrictionKind, userIdParam(req));
      res.status(204).end();
    });

    router.get(`/api/rooms/:id/${path}`, async (req, res) => {
      const user = await requireUser(tokens, req);
      res.json({ items: await moderation.list(user, parseRoomId(req.params['id']), kind) } satisfies RestrictionListBody);
    });
  }

  return router;
}

function userId(value: unknown): string {
  if (typeof value !== 'string' || value.length > 66 || !USER_ID.test(value)) throw invalid('userId must be a user id (u_… or h_…)');
  return value;
}

function userIdParam(req: Request): string {
  return userId(req.params['userId']);
}


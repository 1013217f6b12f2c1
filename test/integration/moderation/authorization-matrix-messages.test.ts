/**
 * Runs every cell of the "Messages" matrix in docs/authorization.md (editing and deleting
 * messages) against a real server on SQLite and on MySQL, like authorization-matrix.test.ts does
 * for the room matrix. The routes it calls (PATCH/DELETE /api/rooms/:id/messages/:seq,
 * docs/protocol.md §3) come with the message editing part of issue 10: this file passes once that
 * part and the moderation part are merged.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../helpers/databases.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { guest, startTestServer, type TestServer } from '../../helpers/server.js';
import { Peers, createRoom, type RoomJson, type User } from '../stomp/support.js';
import { roomAction } from '../../../sdk/protocol/destinations.js';
import { HEADER_SEQ } from '../../../sdk/protocol/frames.js';
import { ACTORS, adminUser, itEachCell, attempt, readMatrix, restOutcome, stompSession, type ActorName, type Outcome } from './support.js';

const PASSWORD = 'room-pw';
const matrix = readMatrix('messages');
const peers = new Peers();
afterEach(() => peers.closeAll());

interface Cell {
  server: TestServer;
  owner: User;
  room: RoomJson;
  /** Seq of a message a plain member sent. */
  othersSeq: number;
}

/** An actor and the seq of a message of their own (for the non-authenticated: someone else's). */
interface Actor {
  token: string | undefined;
  ownSeq: number;
}

const json = { 'content-type': 'application/json' };

/** Joins (with the password unless `password` is false), sends one message, leaves; resolves with its seq. */
async function postOne(cell: Cell, who: User, password = true): Promise<number> {
  const s = await stompSession(peers, cell.server, who.token);
  if (!('peer' in s)) throw new Error(`connect refused ${s.refused}`);
  const join = await attempt(s.peer, 'SEND', { destination: roomAction(cell.room.id, 'join'), ...json }, password ? JSON.stringify({ password: PASSWORD }) : '');
  expect(join, 'join').toBe('ok');
  let seq = 0;
  expect(await attempt(s.peer, 'SEND', { destination: roomAction(cell.room.id, 'messages'), ...json }, '{"text":"mine"}', (h) => (seq = Number(h.get(HEADER_SEQ)))), 'send').toBe('ok');
  expect(await attempt(s.peer, 'SEND', { destination: roomAction(cell.room.id, 'leave') }), 'leave').toBe('ok');
  s.peer.close();
  return seq;
}

async function ok(outcome: Promise<Outcome>, what: string): Promise<void> {
  expect(await outcome, what).toBe('ok');
}

const actors: Record<ActorName, (cell: Cell) => Promise<Actor>> = {
  guest: async (cell) => {
    // A former member: the password changed while they were away.
    const u = await guest(cell.server, 'guest');
    const ownSeq = await postOne(cell, u);
    await ok(restOutcome(cell.server, 'PATCH', `/api/rooms/${cell.room.id}`, cell.owner.token, { password: 'changed' }), 'password change');
    return { token: u.token, ownSeq };
  },
  member: async (cell) => {
    const u = await guest(cell.server, 'member');
    return { token: u.token, ownSeq: await postOne(cell, u) };
  },
  'muted member': async (cell) => {
    const u = await guest(cell.server, 'muted');
    const ownSeq = await postOne(cell, u);
    await ok(restOutcome(cell.server, 'POST', `/api/rooms/${cell.room.id}/mutes`, cell.owner.token, { userId: u.user.id, durationS: 600 }), 'mute');
    return { token: u.token, ownSeq };
  },
  'banned user': async (cell) => {
    const u = await guest(cell.server, 'banned');
    const ownSeq = await postOne(cell, u);
    await ok(restOutcome(cell.server, 'POST', `/api/rooms/${cell.room.id}/bans`, cell.owner.token, { userId: u.user.id, durationS: 600 }), 'ban');
    return { token: u.token, ownSeq };
  },
  moderator: async (cell) => {
    const u = await guest(cell.server, 'moderator');
    await ok(restOutcome(cell.server, 'PUT', `/api/rooms/${cell.room.id}/moderators/${u.user.id}`, cell.owner.token), 'appoint');
    return { token: u.token, ownSeq: await postOne(cell, u, false) };
  },
  owner: async (cell) => ({ token: cell.owner.token, ownSeq: await postOne(cell, cell.owner, false) }),
  admin: async (cell) => {
    const u = await adminUser();
    return { token: u.token, ownSeq: await postOne(cell, u, false) };
  },
  'non-authenticated': async (cell) => ({ token: undefined, ownSeq: cell.othersSeq }),
};

const actions: Record<string, (cell: Cell, actor: Actor) => Promise<Outcome>> = {
  'edit (own msg)': (cell, actor) => restOutcome(cell.server, 'PATCH', `/api/rooms/${cell.room.id}/messages/${actor.ownSeq}`, actor.token, { text: 'edited' }),
  'delete (own msg)': (cell, actor) => restOutcome(cell.server, 'DELETE', `/api/rooms/${cell.room.id}/messages/${actor.ownSeq}`, actor.token),
  "delete (another's msg)": (cell, actor) => restOutcome(cell.server, 'DELETE', `/api/rooms/${cell.room.id}/messages/${cell.othersSeq}`, actor.token),
};

describe.each(databaseBackends())('docs/authorization.md "Messages", cell by cell, on $name', (db) => {
  let server: TestServer;
  let owner: User;
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db });
    owner = await guest(server, 'owner');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('lists every actor, in order, and only actions this suite can perform', () => {
    expect([...matrix.cells.keys()]).toEqual([...ACTORS]);
    expect(matrix.actions.filter((a) => actions[a] === undefined)).toEqual([]);
  });

  itEachCell(matrix, actors, actions, async () => {
    const room = await createRoom(server, owner.token, { name: 'matrix', password: PASSWORD });
    const cell: Cell = { server, owner, room, othersSeq: 0 };
    cell.othersSeq = await postOne(cell, await guest(server, 'author'));
    return cell;
  });
});

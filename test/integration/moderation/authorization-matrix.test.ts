/**
 * Runs every cell of the "Room and moderation" matrix in docs/authorization.md against a real
 * server over real sockets, on SQLite and on MySQL. The table is parsed, not copied: one function
 * per actor sets that actor up in a fresh locked room, one function per action performs it and
 * answers 'ok' or the refusal's code, and each cell is one test comparing that with the doc.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../helpers/databases.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { guest, startTestServer, type TestServer } from '../../helpers/server.js';
import type { RawStomp } from '../../helpers/raw-stomp.js';
import { Peers, createRoom, type RoomJson, type User } from '../stomp/support.js';
import { roomAction, roomTopic } from '../../../sdk/protocol/destinations.js';
import { HEADER_PARTICIPANT_ID } from '../../../sdk/protocol/frames.js';
import { ACTORS, adminUser, itEachCell, attempt, readMatrix, restOutcome, stompSession, type ActorName, type Outcome } from './support.js';

const PASSWORD = 'room-pw';
const matrix = readMatrix('room');
const peers = new Peers();
afterEach(() => peers.closeAll());

/** One cell's world: a fresh locked room of `owner`'s. */
interface Cell {
  server: TestServer;
  owner: User;
  room: RoomJson;
}

/** An actor: `token` undefined for the non-authenticated one. */
interface Actor {
  token: string | undefined;
}

const json = { 'content-type': 'application/json' };

async function expectOk(outcome: Promise<Outcome>, what: string): Promise<void> {
  expect(await outcome, what).toBe('ok');
}

/** A user who passed the password once and then left: a member, not joined. */
async function formerlyJoined(cell: Cell, nickname: string): Promise<User> {
  const u = await guest(cell.server, nickname);
  const s = await stompSession(peers, cell.server, u.token);
  if (!('peer' in s)) throw new Error(`connect refused ${s.refused}`);
  await expectOk(attempt(s.peer, 'SEND', { destination: roomAction(cell.room.id, 'join'), ...json }, JSON.stringify({ password: PASSWORD })), 'member join');
  await expectOk(attempt(s.peer, 'SEND', { destination: roomAction(cell.room.id, 'leave') }), 'member leave');
  s.peer.close();
  return u;
}

/** A plain member who is joined now (the target of kick, ban, mute). */
async function joinedMember(cell: Cell): Promise<User> {
  const u = await guest(cell.server, 'target');
  const s = await stompSession(peers, cell.server, u.token);
  if (!('peer' in s)) throw new Error(`connect refused ${s.refused}`);
  await expectOk(attempt(s.peer, 'SEND', { destination: roomAction(cell.room.id, 'join'), ...json }, JSON.stringify({ password: PASSWORD })), 'target join');
  return u;
}

const actors: Record<ActorName, (cell: Cell) => Promise<Actor>> = {
  guest: async (cell) => guest(cell.server, 'guest'),
  member: async (cell) => formerlyJoined(cell, 'member'),
  'muted member': async (cell) => {
    const u = await formerlyJoined(cell, 'muted');
    await expectOk(restOutcome(cell.server, 'POST', `/api/rooms/${cell.room.id}/mutes`, cell.owner.token, { userId: u.user.id, durationS: 600 }), 'mute');
    return u;
  },
  'banned user': async (cell) => {
    const u = await formerlyJoined(cell, 'banned');
    await expectOk(restOutcome(cell.server, 'POST', `/api/rooms/${cell.room.id}/bans`, cell.owner.token, { userId: u.user.id, durationS: 600 }), 'ban');
    return u;
  },
  moderator: async (cell) => {
    const u = await guest(cell.server, 'moderator');
    await expectOk(restOutcome(cell.server, 'PUT', `/api/rooms/${cell.room.id}/moderators/${u.user.id}`, cell.owner.token), 'appoint');
    return u;
  },
  owner: async (cell) => cell.owner,
  admin: async () => adminUser(),
  'non-authenticated': async () => ({ token: undefined }),
};

/** Connects as `actor` (a refused CONNECT is the outcome), joins without a password, then runs `then`. */
async function afterJoin(cell: Cell, actor: Actor, then: (peer: RawStomp) => Promise<Outcome>): Promise<Outcome> {
  const s = await stompSession(peers, cell.server, actor.token);
  if (!('peer' in s)) return s.refused;
  await attempt(s.peer, 'SEND', { destination: roomAction(cell.room.id, 'join') });
  return then(s.peer);
}

/** The owner in the room's call, on a connection of their own; resolves with their participant id. */
async function ownerInCall(cell: Cell): Promise<string> {
  const s = await stompSession(peers, cell.server, cell.owner.token);
  if (!('peer' in s)) throw new Error(`connect refused ${s.refused}`);
  await expectOk(attempt(s.peer, 'SEND', { destination: roomAction(cell.room.id, 'join') }), 'owner join');
  let id = '';
  await expectOk(attempt(s.peer, 'SEND', { destination: roomAction(cell.room.id, 'call/join'), ...json }, '{"audio":false,"video":false}', (h) => (id = h.get(HEADER_PARTICIPANT_ID) ?? '')), 'owner call join');
  return id;
}

const actions: Record<string, (cell: Cell, actor: Actor) => Promise<Outcome>> = {
  join: async (cell, actor) => {
    const s = await stompSession(peers, cell.server, actor.token);
    if (!('peer' in s)) return s.refused;
    return attempt(s.peer, 'SEND', { destination: roomAction(cell.room.id, 'join') });
  },
  subscribe: (cell, actor) => afterJoin(cell, actor, (peer) => attempt(peer, 'SUBSCRIBE', { id: 'room', destination: roomTopic(cell.room.id) })),
  send: (cell, actor) => afterJoin(cell, actor, (peer) => attempt(peer, 'SEND', { destination: roomAction(cell.room.id, 'messages'), ...json }, '{"text":"hello"}')),
  typing: (cell, actor) => afterJoin(cell, actor, (peer) => attempt(peer, 'SEND', { destination: roomAction(cell.room.id, 'typing'), ...json }, '{"typing":true}')),
  call: (cell, actor) => afterJoin(cell, actor, (peer) => attempt(peer, 'SEND', { destination: roomAction(cell.room.id, 'call/join'), ...json }, '{"audio":false,"video":false}')),
  signal: async (cell, actor) => {
    const to = await ownerInCall(cell);
    return afterJoin(cell, actor, async (peer) => {
      await attempt(peer, 'SEND', { destination: roomAction(cell.room.id, 'call/join'), ...json }, '{"audio":false,"video":false}');
      return attempt(peer, 'SEND', { destination: roomAction(cell.room.id, 'signal'), ...json }, JSON.stringify({ to, candidate: null }));
    });
  },
  'read history': (cell, actor) => restOutcome(cell.server, 'GET', `/api/rooms/${cell.room.id}/messages`, actor.token),
  kick: async (cell, actor) => restOutcome(cell.server, 'POST', `/api/rooms/${cell.room.id}/kick`, actor.token, { userId: (await joinedMember(cell)).user.id }),
  ban: async (cell, actor) => restOutcome(cell.server, 'POST', `/api/rooms/${cell.room.id}/bans`, actor.token, { userId: (await joinedMember(cell)).user.id, durationS: 600 }),
  mute: async (cell, actor) => restOutcome(cell.server, 'POST', `/api/rooms/${cell.room.id}/mutes`, actor.token, { userId: (await joinedMember(cell)).user.id, durationS: 600 }),
  'set moderators': async (cell, actor) => restOutcome(cell.server, 'PUT', `/api/rooms/${cell.room.id}/moderators/${(await guest(cell.server, 'to-appoint')).user.id}`, actor.token),
  'patch room': (cell, actor) => restOutcome(cell.server, 'PATCH', `/api/rooms/${cell.room.id}`, actor.token, { name: 'renamed' }),
  'delete room': (cell, actor) => restOutcome(cell.server, 'DELETE', `/api/rooms/${cell.room.id}`, actor.token),
};

describe.each(databaseBackends())('docs/authorization.md "Room and moderation", cell by cell, on $name', (db) => {
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
    expect(new Set(matrix.actions).size).toBe(matrix.actions.length);
  });

  itEachCell(matrix, actors, actions, async (): Promise<Cell> => ({
    server,
    owner,
    room: await createRoom(server, owner.token, { name: 'matrix', kind: 'video', password: PASSWORD }),
  }));
});

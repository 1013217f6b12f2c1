/**
 * Cross-room group commit (issue 12): messages of many rooms that reach the server together are
 * stored by shared INSERTs, with every per-room guarantee of a lone write.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../backend/db/database.js';
import type { Frame } from '../../../backend/stomp/frame.js';
import { RawStomp } from '../../helpers/raw-stomp.js';
import { databaseBackends } from '../../helpers/databases.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';
import { range } from './support.js';

const ROOMS = 30;
const WAIT_MS = 20_000;

interface Writer {
  peer: RawStomp;
  token: string;
  roomIds: number[];
}

/** One connection joined to `n` new rooms, with the error queue subscribed. */
async function writerInRooms(server: TestServer, nickname: string, n: number, subscribe: boolean): Promise<Writer> {
  const g = await guest(server, nickname);
  const roomIds: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await api<{ id: number }>(server, 'POST', '/api/rooms', g.token, { name: `${nickname} ${i}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    roomIds.push(res.body.id);
  }
  const peer = await RawStomp.ws(`${server.url.replace('http', 'ws')}/ws`);
  await peer.connect(g.token);
  peer.send('SUBSCRIBE', { destination: '/user/queue/errors', id: 'errors' });
  for (const roomId of roomIds) {
    peer.send('SEND', { destination: `/app/rooms/${roomId}/join`, receipt: `join-${roomId}` }, '');
    if (subscribe) peer.send('SUBSCRIBE', { destination: `/topic/rooms/${roomId}`, id: `room-${roomId}` });
  }
  for (const roomId of roomIds) await peer.receipt(`join-${roomId}`, WAIT_MS);
  return { peer, token: g.token, roomIds };
}

/** Quotes, a backslash and non-ASCII text: the rows of a shared INSERT are escaped, not bound, on SQLite. */
const textOf = (clientMsgId: string): string => `${clientMsgId} it's \\ 한국어 👋`;

function sendTo(peer: RawStomp, roomId: number, receipt: string, clientMsgId: string): void {
  peer.send('SEND', { destination: `/app/rooms/${roomId}/messages`, receipt }, JSON.stringify({ text: textOf(clientMsgId), clientMsgId }));
}

/** The RECEIPT or the refusal (on the error queue) answering `receipt`. */
function answer(peer: RawStomp, receipt: string): Promise<Frame> {
  return peer.next((f) => f.headers.get('receipt-id') === receipt && (f.command === 'RECEIPT' || f.headers.get('subscription') === 'errors'), WAIT_MS);
}

describe.each(databaseBackends())('messages of many rooms stored together on $name', (db) => {
  let server: TestServer;
  let writer: Writer;
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db });
    writer = await writerInRooms(server, 'many', ROOMS, true);
  });
  afterAll(async () => {
    writer?.peer.close();
    await server?.stop();
  });

  it('gives each room its seqs in order without holes, receipts them once stored, and keeps each history apart', async () => {
    const before = server.app.metrics.groupCommits();
    // Rounds interleave the rooms, so every INSERT that carries more than one room mixes them.
    for (const round of range(0, 2)) for (const roomId of writer.roomIds) sendTo(writer.peer, roomId, `r${roomId}-${round}`, `c${roomId}-${round}`);
    for (const roomId of writer.roomIds) {
      const seqs: number[] = [];
      for (const round of range(0, 2)) {
        const f = await answer(writer.peer, `r${roomId}-${round}`);
        expect(f.command, JSON.stringify(Object.fromEntries(f.headers))).toBe('RECEIPT');
        seqs.push(Number(f.headers.get('x-seq')));
      }
      expect(seqs).toEqual([2, 3, 4]); // seq 1 is the enter message
    }
    // The room topics carried each room's own messages, in seq order.
    const live = new Map<number, { id: number; seq: number; text: string }[]>();
    for (const roomId of writer.roomIds) {
      const seen: { id: number; seq: number; text: string }[] = [];
      while (seen.length < 3) {
        const f = await writer.peer.next((x) => x.command === 'MESSAGE' && x.headers.get('subscription') === `room-${roomId}` && x.headers.get('x-type') === 'message', WAIT_MS);
        const body = JSON.parse(f.body.toString('utf8')) as { id: number; seq: number; text: string; type: string };
        if (body.type === 'text') seen.push({ id: body.id, seq: body.seq, text: body.text });
      }
      expect(seen.map(({ seq, text }) => ({ seq, text }))).toEqual(range(0, 2).map((round) => ({ seq: round + 2, text: textOf(`c${roomId}-${round}`) })));
      live.set(roomId, seen);
    }
    // History has the same rows, under the ids the live messages carried.
    const reader = (await guest(server, 'reader')).token;
    for (const roomId of writer.roomIds) {
      const history = await api<{ messages: { seq: number; text: string; roomId: number; id: number }[] }>(server, 'GET', `/api/rooms/${roomId}/messages?after=1`, reader);
      expect(history.body.messages.map((m) => [m.id, m.seq, m.text, m.roomId])).toEqual(live.get(roomId)!.map((m) => [m.id, m.seq, m.text, roomId]));
    }
    // Ninety writes from one socket, one INSERT in flight at a time: rooms did share statements.
    const after = server.app.metrics.groupCommits();
    expect(after.statements).toBeGreaterThan(before.statements);
    expect(after.rooms - before.rooms).toBeGreaterThan(after.statements - before.statements);
  });

  it('answers a retried clientMsgId with its original while the other rooms of the same burst are stored', async () => {
    const retried = writer.roomIds[5]!;
    for (const roomId of writer.roomIds) sendTo(writer.peer, roomId, `again-${roomId}`, roomId === retried ? `c${roomId}-0` : `d${roomId}`);
    for (const roomId of writer.roomIds) {
      const f = await answer(writer.peer, `again-${roomId}`);
      expect(f.command).toBe('RECEIPT');
      if (roomId === retried) {
        expect(f.headers.get('x-seq')).toBe('2');
        expect(f.headers.get('x-duplicate')).toBe('true');
      } else {
        expect(f.headers.get('x-seq')).toBe('5');
        expect(f.headers.get('x-duplicate')).toBeUndefined();
      }
    }
    // The retry used no seq: the room's next message takes 5.
    sendTo(writer.peer, retried, 'after-retry', 'after-retry');
    expect((await answer(writer.peer, 'after-retry')).headers.get('x-seq')).toBe('5');
  });
});

describe.each(databaseBackends())('a batch the database fails on $name', (db) => {
  let server: TestServer;
  let writer: Writer;
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db });
    writer = await writerInRooms(server, 'doomed', ROOMS, false);
  });
  afterAll(async () => {
    writer?.peer.close();
    await server?.stop();
  });

  it('refuses exactly its frames with UNAVAILABLE and loses nothing that was receipted', async () => {
    for (const roomId of writer.roomIds) sendTo(writer.peer, roomId, `kept-${roomId}`, `kept-${roomId}`);
    for (const roomId of writer.roomIds) expect((await answer(writer.peer, `kept-${roomId}`)).command).toBe('RECEIPT');

    // The database goes away underneath the running server.
    await server.database.close();
    for (const roomId of writer.roomIds) sendTo(writer.peer, roomId, `lost-${roomId}`, `lost-${roomId}`);
    for (const roomId of writer.roomIds) {
      const f = await answer(writer.peer, `lost-${roomId}`);
      expect(f.command).toBe('MESSAGE');
      expect(f.headers.get('x-error-code')).toBe('UNAVAILABLE');
    }
    expect(writer.peer.frames.some((f) => f.command === 'RECEIPT' && f.headers.get('receipt-id')?.startsWith('lost-'))).toBe(false);

    // Read back from the same database with a connection of our own.
    const check = await openDatabase(server.databaseUrl);
    try {
      for (const roomId of writer.roomIds) {
        const stored = await check.messages.listAfter(roomId, 0, 100);
        expect(stored.map((m) => [m.seq, m.type, m.text])).toEqual([
          [1, 'enter', ''],
          [2, 'text', textOf(`kept-${roomId}`)],
        ]);
      }
    } finally {
      await check.close();
    }
  });
});

/**
 * Per-room seq and resume (`x-since-seq`) with concurrent senders, the truncation cap, and a
 * server restart, all observed by raw STOMP peers and REST, on SQLite and on MySQL.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../../backend/stomp/frame.js';
import { databaseBackends } from '../../helpers/databases.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { guest, startTestServer, type TestServer } from '../../helpers/server.js';
import {
  Peers,
  connectAs,
  createRoom,
  eventually,
  history,
  isRoomFrame,
  joinRoom,
  json,
  roomCount,
  say,
  sendRefused,
  sleep,
  subscribeRoom,
  type Client,
  type MessageJson,
} from '../stomp/support.js';

const peers = new Peers();
afterEach(() => peers.closeAll());

/** The room-topic frames a peer has received so far (not consumed), message and resume only. */
function stream(c: Client, roomId: number, subscription?: string): Frame[] {
  return c.peer.frames.filter(
    (f) =>
      (isRoomFrame(roomId, 'message')(f) || isRoomFrame(roomId, 'resume')(f)) &&
      (subscription === undefined || f.headers.get('subscription') === subscription),
  );
}

function seqOf(f: Frame): number {
  const header = Number(f.headers.get('x-seq'));
  expect(json<MessageJson>(f).seq).toBe(header);
  return header;
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

/**
 * Checks a resumed subscription: replayed messages, exactly one resume frame, then live ones;
 * every seq in (sinceSeq, upTo] exactly once, in order. Returns the resume frame.
 */
function checkResumed(frames: Frame[], sinceSeq: number, upTo: number, truncated = false): Frame {
  const resumeAt = frames.findIndex((f) => f.headers.get('x-type') === 'resume');
  expect(resumeAt, 'a resume frame').toBeGreaterThanOrEqual(0);
  expect(frames.filter((f) => f.headers.get('x-type') === 'resume')).toHaveLength(1);
  const resume = frames[resumeAt]!;
  const lastSeq = Number(resume.headers.get('x-last-seq'));
  expect(resume.headers.get('x-resume-truncated')).toBe(String(truncated));
  expect(json(resume)).toEqual({ sinceSeq, lastSeq, truncated });
  const before = frames.slice(0, resumeAt).map(seqOf);
  const after = frames.slice(resumeAt + 1).map(seqOf);
  if (truncated) {
    expect(before).toEqual([]);
    expect(after).toEqual(range(lastSeq + 1, upTo));
  } else {
    expect(before).toEqual(range(sinceSeq + 1, lastSeq));
    expect(after).toEqual(range(lastSeq + 1, upTo));
  }
  return resume;
}

describe.each(databaseBackends())('seq and resume on $name (default cap)', (db) => {
  let server: TestServer;
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db });
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function senders(roomId: number, names: string[]): Promise<Client[]> {
    const out: Client[] = [];
    for (const n of names) {
      const c = await connectAs(peers, server, n);
      await joinRoom(c, roomId);
      out.push(c);
    }
    return out;
  }

  /** Every sender writes `count` SENDs without waiting; resolves with each sender's RECEIPT x-seqs in order. */
  async function blast(clients: Client[], roomId: number, count: number, tag: string): Promise<number[][]> {
    for (let i = 0; i < count; i++) {
      for (const [k, c] of clients.entries()) {
        c.peer.send('SEND', { destination: `/app/rooms/${roomId}/messages`, receipt: `${tag}-${k}-${i}` }, JSON.stringify({ text: `${tag} ${k} ${i}`, clientMsgId: `${tag}-${k}-${i}` }));
      }
    }
    return Promise.all(
      clients.map(async (c, k) => {
        const seqs: number[] = [];
        for (let i = 0; i < count; i++) seqs.push(Number((await c.peer.receipt(`${tag}-${k}-${i}`, 20_000)).headers.get('x-seq')));
        return seqs;
      }),
    );
  }

  it('three concurrent senders × 100: seqs 1..N strictly increasing without holes, as a subscriber sees them', async () => {
    const owner = await guest(server, 'seq-owner');
    const room = await createRoom(server, owner.token);
    const watcher = await connectAs(peers, server, owner);
    await joinRoom(watcher, room.id); // seq 1
    await subscribeRoom(watcher, room.id, 'all', { 'x-since-seq': '0' });
    const clients = await senders(room.id, ['s-a', 's-b', 's-c']); // seqs 2..4
    const receipts = await blast(clients, room.id, 100, 'c');
    const N = 4 + 300;

    // Each sender's RECEIPTs come in frame order with increasing seqs; together they are 5..N.
    for (const seqs of receipts) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(receipts.flat().sort((a, b) => a - b)).toEqual(range(5, N));

    await eventually(async () => stream(watcher, room.id).length, (n) => n >= N + 1, 10_000);
    await sleep(100);
    const frames = stream(watcher, room.id);
    checkResumed(frames, 0, N);
    // Each sender's messages appear in the order it sent them.
    const texts = frames.filter((f) => f.headers.get('x-type') === 'message').map((f) => json<MessageJson>(f).text).filter((t) => t.startsWith('c '));
    for (const k of [0, 1, 2]) {
      const mine = texts.filter((t) => t.startsWith(`c ${k} `)).map((t) => Number(t.split(' ')[2]));
      expect(mine).toEqual(range(0, 99));
    }
    const h = await history(server, owner.token, room.id, '?limit=200');
    expect(h.lastSeq).toBe(N);
    expect(h.messages.map((m) => m.seq)).toEqual(range(N - 199, N));
  });

  it('a subscriber resuming with x-since-seq while others keep sending gets every later seq exactly once, in order, with the resume frame between replay and live', async () => {
    const owner = await guest(server, 'resume-owner');
    const room = await createRoom(server, owner.token);
    const watcher = await connectAs(peers, server, owner);
    await joinRoom(watcher, room.id);
    await subscribeRoom(watcher, room.id, 'w');
    const clients = await senders(room.id, ['r-a', 'r-b', 'r-c']);
    const late = await connectAs(peers, server, 'late');

    // Each sender keeps up to 10 SENDs in flight without waiting between them, until told to stop
    // (and at least 100 each): the late SUBSCRIBE always lands in the middle of the traffic.
    let stop = false;
    const pumps = clients.map(async (c, k) => {
      let sent = 0;
      while (!stop || sent < 100) {
        for (let j = 0; j < 10; j++, sent++) {
          c.peer.send('SEND', { destination: `/app/rooms/${room.id}/messages`, receipt: `p-${k}-${sent}` }, JSON.stringify({ text: `p ${k} ${sent}` }));
        }
        await c.peer.receipt(`p-${k}-${sent - 1}`, 20_000);
      }
      return sent;
    });
    const watched = async (): Promise<number> => stream(watcher, room.id).map(seqOf).at(-1) ?? 0;

    // Once the room is well under way, the late client joins and resumes from seq 30.
    await eventually(watched, (s) => s >= 60, 10_000, 2);
    await joinRoom(late, room.id);
    // Everything the watcher has seen was stored before the late SUBSCRIBE was sent.
    const midway = await watched();
    await subscribeRoom(late, room.id, 'resumed', { 'x-since-seq': '30' });
    const resumeFrame = late.peer.frames.find(isRoomFrame(room.id, 'resume'));
    expect(resumeFrame, 'the resume frame precedes the SUBSCRIBE RECEIPT').toBeDefined();
    const lastSeq = Number(resumeFrame!.headers.get('x-last-seq'));
    // Let live traffic flow past the resume point before stopping the senders.
    await eventually(watched, (s) => s >= lastSeq + 60, 10_000, 2);
    stop = true;
    const texts = (await Promise.all(pumps)).reduce((a, b) => a + b, 0);

    const final = Number((await say(clients[0]!, room.id, 'the very last')).headers.get('x-seq'));
    expect(final).toBe(4 + texts + 1 + 1); // 4 enters, the texts, late's enter, the last one
    await eventually(async () => stream(late, room.id).map((f) => Number(f.headers.get('x-seq') ?? 0)).at(-1) ?? 0, (s) => s >= final, 10_000);
    await sleep(100);
    checkResumed(stream(late, room.id, 'resumed'), 30, final);
    expect(lastSeq).toBeGreaterThanOrEqual(midway);
    expect(lastSeq).toBeLessThan(final - 60);
    // The watcher, never resumed, saw everything from its subscription on with no hole or repeat.
    const w = stream(watcher, room.id).map(seqOf);
    expect(w).toEqual(range(w[0]!, final));
  });

  it('without x-since-seq there is no replay and no resume frame; x-since-seq at lastSeq replays nothing; a bad value is refused', async () => {
    const u = await guest(server, 'plain');
    const room = await createRoom(server, u.token);
    const c = await connectAs(peers, server, u);
    await joinRoom(c, room.id);
    for (let i = 0; i < 3; i++) await say(c, room.id, `m${i}`); // seqs 1..4
    await subscribeRoom(c, room.id, 'plain');
    await subscribeRoom(c, room.id, 'at-last', { 'x-since-seq': '4' });
    await subscribeRoom(c, room.id, 'ahead', { 'x-since-seq': '99' });
    await sleep(100);
    expect(stream(c, room.id, 'plain')).toHaveLength(0);
    const atLast = stream(c, room.id, 'at-last');
    expect(atLast.map((f) => f.headers.get('x-type'))).toEqual(['resume']);
    expect(json(atLast[0]!)).toEqual({ sinceSeq: 4, lastSeq: 4, truncated: false });
    expect(stream(c, room.id, 'ahead').map((f) => f.headers.get('x-type'))).toEqual(['resume']);
    await say(c, room.id, 'live');
    await sleep(100);
    for (const id of ['plain', 'at-last', 'ahead']) {
      expect(stream(c, room.id, id).filter((f) => f.headers.get('x-type') === 'message').map(seqOf), id).toEqual([5]);
    }
    for (const bad of ['abc', '-1', '1.5', '']) {
      const r = await sendRefused(c.peer, 'SUBSCRIBE', { id: `bad-${bad}`, destination: `/topic/rooms/${room.id}`, 'x-since-seq': bad });
      expect(r.body['code'], bad).toBe('VALIDATION_FAILED');
    }
  });
});

describe.each(databaseBackends())('resume cap on $name (RESUME_MAX_MESSAGES=10)', (db) => {
  let server: TestServer;
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db, env: { RESUME_MAX_MESSAGES: '10' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a gap over the cap gets x-resume-truncated: true and no replay, then live frames; a gap of exactly the cap is replayed', async () => {
    const u = await guest(server, 'cap');
    const room = await createRoom(server, u.token);
    const a = await connectAs(peers, server, u);
    await joinRoom(a, room.id); // seq 1
    for (let i = 2; i <= 30; i++) await say(a, room.id, `m${i}`);
    const r = await connectAs(peers, server, 'returning');
    await joinRoom(r, room.id); // seq 31
    await subscribeRoom(r, room.id, 'far', { 'x-since-seq': '5' });
    await subscribeRoom(r, room.id, 'exact', { 'x-since-seq': '21' });
    await subscribeRoom(r, room.id, 'one-over', { 'x-since-seq': '20' });
    const live = Number((await say(a, room.id, 'live')).headers.get('x-seq'));
    expect(live).toBe(32);
    await eventually(async () => stream(r, room.id, 'far').length, (n) => n >= 2, 3000);
    await sleep(100);

    const far = checkResumed(stream(r, room.id, 'far'), 5, 32, true);
    expect(far.headers.get('x-last-seq')).toBe('31');
    checkResumed(stream(r, room.id, 'exact'), 21, 32, false);
    checkResumed(stream(r, room.id, 'one-over'), 20, 32, true);

    // What a truncated client does instead: page REST from sinceSeq up to lastSeq.
    const page = await history(server, r.token, room.id, '?after=5&limit=200');
    expect(page.messages.map((m) => m.seq)).toEqual(range(6, 32));
  });
});

describe.each(databaseBackends())('restart on $name', (db) => {
  let server: TestServer;
  // One clock across the restart: a timer the old instance left behind would still fire on it.
  const clock = new FakeClock();
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db, clock, env: { LEAVE_GRACE_MS: '200' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps rooms and history across a restart; seq continues where it was; nobody is counted afterwards', async () => {
    const u = await guest(server, 'survivor');
    const room = await createRoom(server, u.token, { name: '재시작', password: 'pw' });
    const c = await connectAs(peers, server, u);
    await joinRoom(c, room.id); // seq 1
    for (let i = 2; i <= 6; i++) await say(c, room.id, `before ${i}`);
    expect(await roomCount(server, room.id)).toBe(1);

    await server.restart();
    await c.peer.waitClosed();
    // The old instance armed a leave grace for c as it closed; it must cancel it, or it would
    // write a leave into the restarted server's database. The new one has nothing to time yet.
    expect(clock.pendingTimers).toBe(0);
    clock.advance(1_000);

    const after = await history(server, u.token, room.id);
    expect(after.lastSeq).toBe(6);
    expect(after.messages.map((m) => m.seq)).toEqual(range(1, 6));
    expect(after.messages.at(-1)).toMatchObject({ text: 'before 6', sender: { id: u.user.id, nickname: 'survivor' } });
    expect(await roomCount(server, room.id)).toBe(0);

    const again = await connectAs(peers, server, u); // same token: the signing secret survived too
    await joinRoom(again, room.id); // a member: no password needed; enter = seq 7
    await subscribeRoom(again, room.id, 'resumed', { 'x-since-seq': '5' });
    const next = await say(again, room.id, 'after restart');
    expect(next.headers.get('x-seq')).toBe('8');
    await eventually(async () => stream(again, room.id, 'resumed').length, (n) => n >= 4, 3000);
    checkResumed(stream(again, room.id, 'resumed'), 5, 8);
    const h = await history(server, u.token, room.id);
    expect(h.messages.map((m) => `${m.seq}:${m.type}`)).toEqual(['1:enter', '2:text', '3:text', '4:text', '5:text', '6:text', '7:enter', '8:text']);
  });
});

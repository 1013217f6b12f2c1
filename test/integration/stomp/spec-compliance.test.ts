/**
 * STOMP 1.2 compliance over real sockets against the real server: every point of
 * /work/shared/STOMP-1.2-NOTES.md, observed from the wire (WebSocket, and TCP where it matters).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Frame } from '../../../backend/stomp/frame.js';
import type { RawStomp } from '../../helpers/raw-stomp.js';
import { SignJWT } from 'jose';
import { FakeClock } from '../../helpers/fake-clock.js';
import { TEST_SECRET, api, guest, startTestServer, type TestServer } from '../../helpers/server.js';
import {
  ERRORS,
  Peers,
  connectAs,
  eventually,
  expectErrorThenClose,
  flush,
  headersOf,
  sendOk,
  sendRefused,
  sleep,
  type Client,
} from './support.js';

const NUL = '\0';

/** A frame written by hand: `lines` are the command and header lines, joined with `eol`. */
function raw(lines: string[], body: string | Buffer = '', eol = '\n'): Buffer {
  return Buffer.concat([Buffer.from(lines.join(eol) + eol + eol, 'utf8'), typeof body === 'string' ? Buffer.from(body, 'utf8') : body, Buffer.from(NUL)]);
}

function isMessageOn(destination: string): (f: Frame) => boolean {
  return (f) => f.command === 'MESSAGE' && f.headers.get('destination') === destination;
}

let topicCounter = 0;
const freshTopic = (): string => `/topic/spec-${++topicCounter}`;
const freshQueue = (name = 'jobs'): string => `/queue/${name}-${++topicCounter}`;

const peers = new Peers();
afterEach(() => peers.closeAll());

describe('STOMP 1.2 over WebSocket and TCP (default limits, open destinations)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { STOMP_TCP_PORT: '0' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const connect = (nick = 'spec'): Promise<Client> => connectAs(peers, server, nick);

  /** A subscriber on `destination` with SUBSCRIBE id `id`, RECEIPT awaited. */
  async function subscriber(destination: string, id = 'sub-1', extra: Record<string, string> = {}): Promise<Client> {
    const c = await connect('sub');
    await sendOk(c.peer, 'SUBSCRIBE', { id, destination, ...extra });
    return c;
  }

  // --- connecting -----------------------------------------------------------

  describe('connecting', () => {
    it('CONNECTED carries version, heart-beat, server, a per-connection session and user-name = the user id', async () => {
      const u = await guest(server, '민수');
      const a = await connectAs(peers, server, u);
      const b = await connectAs(peers, server, u);
      const h = headersOf(a.connected);
      expect(h['version']).toBe('1.2');
      expect(h['heart-beat']).toBe('0,0');
      expect(h['server']).toMatch(/^parley\/\d+\.\d+\.\d+/);
      expect(h['session']).toMatch(/.+/);
      expect(h['user-name']).toBe(u.user.id);
      expect(b.connected.headers.get('session')).not.toBe(h['session']);
    });

    it('STOMP is handled exactly like CONNECT (token as passcode)', async () => {
      const u = await guest(server, 'stomp-cmd');
      const p = await peers.ws(server);
      p.sendRaw(raw(['STOMP', 'accept-version:1.2', 'host:localhost', 'login:any', `passcode:${u.token}`]));
      const f = await p.next();
      expect(f.command).toBe('CONNECTED');
      expect(f.headers.get('version')).toBe('1.2');
      expect(f.headers.get('user-name')).toBe(u.user.id);
    });

    it('no accept-version means 1.0; otherwise the highest common version is picked; host may be absent', async () => {
      const u = await guest(server, 'versions');
      const p10 = await peers.ws(server);
      p10.sendRaw(raw(['CONNECT', `passcode:${u.token}`]));
      const f10 = await p10.next();
      expect(f10.command).toBe('CONNECTED');
      expect(f10.headers.get('version')).toBe('1.0');

      const p11 = await peers.ws(server);
      p11.sendRaw(raw(['CONNECT', 'accept-version:1.0,1.1', `passcode:${u.token}`]));
      const f11 = await p11.next();
      expect(f11.command).toBe('CONNECTED');
      expect(f11.headers.get('version')).toBe('1.1');
    });

    it('accept-version with no version in common gets ERROR with a version header listing 1.0,1.1,1.2, then close', async () => {
      const u = await guest(server, 'v2');
      const p = await peers.ws(server);
      p.sendRaw(raw(['CONNECT', 'accept-version:2.0', 'host:localhost', `passcode:${u.token}`]));
      const f = await expectErrorThenClose(p, 'UNSUPPORTED_VERSION');
      expect(f.headers.get('version')?.split(',').sort()).toEqual(['1.0', '1.1', '1.2']);
      expect(p.frames.filter((x) => x.command === 'CONNECTED')).toHaveLength(0);
    });

    it('CONNECT headers are not unescaped: a backslash in login or passcode is no escape error', async () => {
      const u = await guest(server, 'esc');
      const ok = await peers.ws(server);
      ok.sendRaw(raw(['CONNECT', 'accept-version:1.2', 'host:localhost', 'login:domain\\tuser\\q', `passcode:${u.token}`]));
      const f = await ok.next();
      expect(f.command, JSON.stringify(headersOf(f))).toBe('CONNECTED');

      const bad = await peers.ws(server);
      bad.sendRaw(raw(['CONNECT', 'accept-version:1.2', 'host:localhost', 'passcode:not\\ta\\token']));
      await expectErrorThenClose(bad, 'AUTH_FAILED');
    });

    it('a bad or missing token gets ERROR AUTH_FAILED, then close', async () => {
      const bad = await peers.ws(server);
      bad.send('CONNECT', { 'accept-version': '1.2', host: 'localhost', Authorization: 'Bearer not-a-jwt' });
      await expectErrorThenClose(bad, 'AUTH_FAILED');

      const none = await peers.ws(server);
      none.send('CONNECT', { 'accept-version': '1.2', host: 'localhost' });
      await expectErrorThenClose(none, 'AUTH_FAILED');

      // A token signed with another secret is as bad as garbage.
      const forged = await peers.ws(server);
      const u = await guest(server, 'forge');
      const [h, p] = u.token.split('.');
      forged.send('CONNECT', { 'accept-version': '1.2', host: 'localhost', passcode: `${h}.${p}.${'A'.repeat(43)}` });
      await expectErrorThenClose(forged, 'AUTH_FAILED');
    });

    it('an expired token gets ERROR TOKEN_EXPIRED, then close', async () => {
      const nowS = Math.floor(Date.now() / 1000);
      const expired = await new SignJWT({ nick: 'old' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject('u_expired')
        .setIssuedAt(nowS - 7200)
        .setExpirationTime(nowS - 3600)
        .sign(new TextEncoder().encode(TEST_SECRET));
      const p = await peers.ws(server);
      p.send('CONNECT', { 'accept-version': '1.2', host: 'localhost', Authorization: `Bearer ${expired}` });
      await expectErrorThenClose(p, 'TOKEN_EXPIRED', 3000);
      // REST says the same with 401.
      const rest = await api<{ error: { code: string } }>(server, 'POST', '/api/rooms', expired, { name: 'x' });
      expect(rest.status).toBe(401);
      expect(rest.body.error.code).toBe('TOKEN_EXPIRED');
    });

    it('frames before CONNECT get ERROR NOT_CONNECTED (with receipt-id), then close', async () => {
      const p = await peers.ws(server);
      p.send('SUBSCRIBE', { id: '1', destination: '/topic/x', receipt: 'early-1' });
      const f = await expectErrorThenClose(p, 'NOT_CONNECTED');
      expect(f.headers.get('receipt-id')).toBe('early-1');
    });

    it('a second CONNECT on a connected session is a protocol error', async () => {
      const c = await connect();
      c.peer.send('CONNECT', { 'accept-version': '1.2', host: 'localhost', passcode: c.token });
      await expectErrorThenClose(c.peer, 'ALREADY_CONNECTED');
    });
  });

  // --- framing --------------------------------------------------------------

  describe('framing', () => {
    it('WebSocket messages holding only EOLs are heart-beats, before and after CONNECT', async () => {
      const u = await guest(server, 'eol');
      const p = await peers.ws(server);
      p.sendRaw('\n');
      p.sendRaw('\r\n');
      await p.connect(u.token);
      for (const beat of ['\n', '\r\n', '\n\n\r\n', '\r', '\n']) p.sendRaw(beat);
      await sendOk(p, 'SUBSCRIBE', { id: 'after-beats', destination: freshTopic() });
      expect(p.closed).toBe(false);
      expect(p.frames.filter((f) => f.command === 'ERROR')).toHaveLength(0);
    });

    it('accepts CRLF line endings everywhere, and CR is not part of any header value', async () => {
      const u = await guest(server, 'crlf');
      const topic = freshTopic();
      const p = await peers.ws(server);
      p.sendRaw(raw(['CONNECT', 'accept-version:1.2', 'host:localhost', 'heart-beat:0,0', `passcode:${u.token}`], '', '\r\n'));
      expect((await p.next()).command).toBe('CONNECTED');
      p.sendRaw(raw(['SUBSCRIBE', 'id:crlf', `destination:${topic}`, 'receipt:c1'], '', '\r\n'));
      expect((await p.receipt('c1')).headers.get('receipt-id')).toBe('c1');
      p.sendRaw(raw(['SEND', `destination:${topic}`, 'x-k:v', 'content-type:text/plain', 'receipt:c2'], 'line1\r\nline2', '\r\n'));
      await p.receipt('c2');
      const m = await p.next(isMessageOn(topic));
      expect(m.headers.get('subscription')).toBe('crlf');
      expect(m.headers.get('x-k')).toBe('v');
      expect(m.body.toString('utf8')).toBe('line1\r\nline2');
    });

    it('parses a byte stream: one frame over many WebSocket messages, several frames in one', async () => {
      const c = await connect('stream');
      const topic = freshTopic();
      await sendOk(c.peer, 'SUBSCRIBE', { id: 's', destination: topic });
      // One SEND, one byte per WebSocket message (the Korean text splits inside UTF-8 sequences).
      const frame = raw([`SEND`, `destination:${topic}`, 'receipt:split'], '안녕 byte by byte');
      for (const byte of frame) c.peer.sendRaw(Buffer.from([byte]));
      await c.peer.receipt('split');
      expect((await c.peer.next(isMessageOn(topic))).body.toString('utf8')).toBe('안녕 byte by byte');

      // Three frames plus heart-beat EOLs in one WebSocket message.
      const many = Buffer.concat([
        raw(['SEND', `destination:${topic}`, 'receipt:m1'], 'one'),
        Buffer.from('\n\r\n'),
        raw(['SEND', `destination:${topic}`, 'receipt:m2'], 'two'),
        raw(['SEND', `destination:${topic}`, 'receipt:m3'], 'three'),
      ]);
      c.peer.sendRaw(many);
      await c.peer.receipt('m3');
      const bodies = [];
      for (let i = 0; i < 3; i++) bodies.push((await c.peer.next(isMessageOn(topic))).body.toString());
      expect(bodies).toEqual(['one', 'two', 'three']);
      // The earlier receipts were sent too, before m3.
      await c.peer.receipt('m1', 100);
      await c.peer.receipt('m2', 100);
    });

    it('never trims header values: SUBSCRIBE "id: X" gives MESSAGE "subscription: X" and needs UNSUBSCRIBE "id: X"', async () => {
      const c = await connect('trim');
      const topic = freshTopic();
      c.peer.sendRaw(raw(['SUBSCRIBE', 'id: X', `destination:${topic}`, 'receipt:t1']));
      await c.peer.receipt('t1');
      c.peer.sendRaw(raw(['SEND', `destination:${topic}`, 'x-pad:  padded  ', 'receipt:t2'], 'hi'));
      const m = await c.peer.next(isMessageOn(topic));
      expect(m.headers.get('subscription')).toBe(' X');
      expect(m.headers.get('x-pad')).toBe('  padded  ');
      // "X" is another id than " X".
      c.peer.sendRaw(raw(['UNSUBSCRIBE', 'id:X', 'receipt:t3']));
      const e = await expectErrorThenClose(c.peer, 'UNKNOWN_SUBSCRIPTION');
      expect(e.headers.get('receipt-id')).toBe('t3');
    });

    it('UNSUBSCRIBE with the untrimmed id works', async () => {
      const c = await connect('trim2');
      const topic = freshTopic();
      c.peer.sendRaw(raw(['SUBSCRIBE', 'id: Y ', `destination:${topic}`, 'receipt:u1']));
      await c.peer.receipt('u1');
      c.peer.sendRaw(raw(['UNSUBSCRIBE', 'id: Y ', 'receipt:u2']));
      await c.peer.receipt('u2');
      await sendOk(c.peer, 'SEND', { destination: topic }, 'nobody listens');
      await sleep(100);
      expect(c.peer.frames.filter(isMessageOn(topic))).toHaveLength(0);
    });

    it('a repeated header: the first value wins (destination and user headers)', async () => {
      const a = freshTopic();
      const b = freshTopic();
      const subA = await subscriber(a, 'A');
      const subB = await subscriber(b, 'B');
      const c = await connect('repeat');
      c.peer.sendRaw(raw(['SEND', `destination:${a}`, `destination:${b}`, 'x-dup:first', 'x-dup:second', 'receipt:rp'], 'which?'));
      await c.peer.receipt('rp');
      const m = await subA.peer.next(isMessageOn(a));
      expect(m.headers.get('x-dup')).toBe('first');
      expect(m.rawHeaders.filter(([k]) => k === 'destination').map(([, v]) => v)).toEqual([a]);
      await sleep(100);
      expect(subB.peer.frames.filter(isMessageOn(b))).toHaveLength(0);
    });

    it('decodes \\r \\n \\c \\\\ in header values and encodes them again on MESSAGE', async () => {
      const topic = freshTopic();
      const sub = await subscriber(topic);
      const c = await connect('escapes');
      c.peer.sendRaw(raw(['SEND', `destination:${topic}`, 'x-esc:a\\cb\\nc\\rd\\\\e', 'receipt:e1'], 'x'));
      await c.peer.receipt('e1');
      const m = await sub.peer.next(isMessageOn(topic));
      expect(m.headers.get('x-esc')).toBe('a:b\nc\rd\\e');
      // On the wire the value is escaped again (the raw bytes hold no bare CR/LF inside the header).
      const wire = Buffer.concat(sub.peer.chunks).toString('utf8');
      expect(wire).toContain('x-esc:a\\cb\\nc\\rd\\\\e\n');
    });

    it('an undefined escape (\\t) is fatal: ERROR BAD_ESCAPE, then close', async () => {
      const c = await connect('badesc');
      c.peer.sendRaw(raw(['SEND', `destination:${freshTopic()}`, 'x-h:a\\tb'], 'x'));
      await expectErrorThenClose(c.peer, 'BAD_ESCAPE');
    });

    it('content-length counts octets: a body with NULs and multi-byte text round-trips byte-exact (WebSocket)', async () => {
      const topic = freshTopic();
      const sub = await subscriber(topic);
      const c = await connect('octets');
      const body = Buffer.concat([Buffer.from('한글\0', 'utf8'), Buffer.from([0, 0]), Buffer.from('\n\nafter NULs\0😀', 'utf8')]);
      expect(body.length).not.toBe(body.toString('utf8').length);
      c.peer.sendRaw(raw(['SEND', `destination:${topic}`, `content-length:${body.length}`, 'content-type:application/octet-stream', 'receipt:o1'], body));
      await c.peer.receipt('o1');
      const m = await sub.peer.next(isMessageOn(topic));
      expect(m.headers.get('content-length')).toBe(String(body.length));
      expect(m.body.equals(body)).toBe(true);
      expect(m.headers.get('content-type')).toBe('application/octet-stream');
    });

    it('content-length counts octets: arbitrary binary round-trips byte-exact over TCP', async () => {
      const topic = freshTopic();
      const u = await guest(server, 'tcp-octets');
      const tcpSub = await peers.tcp(server);
      expect((await tcpSub.connect(u.token)).command).toBe('CONNECTED');
      await sendOk(tcpSub, 'SUBSCRIBE', { id: 'bin', destination: topic });
      const pub = await peers.tcp(server);
      expect((await pub.connect(u.token)).command).toBe('CONNECTED');
      const body = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256));
      pub.sendRaw(raw(['SEND', `destination:${topic}`, `content-length:${body.length}`, 'receipt:b1'], body));
      await pub.receipt('b1');
      const m = await tcpSub.next(isMessageOn(topic));
      expect(m.headers.get('content-length')).toBe('300');
      expect(m.body.equals(body)).toBe(true);
    });

    it('a non-UTF-8 body published over TCP reaches a WebSocket subscriber byte-exact (binary WebSocket frame, no 1007 close)', async () => {
      const topic = freshTopic();
      const sub = await subscriber(topic);
      const u = await guest(server, 'bin-pub');
      const pub = await peers.tcp(server);
      expect((await pub.connect(u.token)).command).toBe('CONNECTED');
      const body = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x00, 0x41]);
      pub.sendRaw(raw(['SEND', `destination:${topic}`, `content-length:${body.length}`, 'receipt:nb'], body));
      await pub.receipt('nb');
      const m = await sub.peer.next(isMessageOn(topic));
      expect(m.body.equals(body)).toBe(true);
      expect(sub.peer.closed).toBe(false);
    });

    it('a body without content-length ends at the first NUL', async () => {
      const topic = freshTopic();
      const sub = await subscriber(topic);
      const c = await connect('to-nul');
      c.peer.sendRaw(raw(['SEND', `destination:${topic}`, 'receipt:n1'], 'up to here'));
      await c.peer.receipt('n1');
      const m = await sub.peer.next(isMessageOn(topic));
      expect(m.body.toString()).toBe('up to here');
      expect(m.headers.get('content-length')).toBe('10');
    });

    it('only SEND, MESSAGE and ERROR may have a body: SUBSCRIBE with a body gets ERROR BODY_NOT_ALLOWED, then close', async () => {
      const c = await connect('body');
      c.peer.sendRaw(raw(['SUBSCRIBE', 'id:1', `destination:${freshTopic()}`], 'not allowed'));
      await expectErrorThenClose(c.peer, 'BODY_NOT_ALLOWED');

      const d = await connect('body2');
      d.peer.sendRaw(raw(['UNSUBSCRIBE', 'id:1', 'content-length:3'], 'abc'));
      await expectErrorThenClose(d.peer, 'BODY_NOT_ALLOWED');
    });

    it('an unknown or lower-case command is ERROR BAD_COMMAND, then close (commands are case-sensitive)', async () => {
      const c = await connect('cmd');
      c.peer.sendRaw(raw(['send', `destination:${freshTopic()}`], 'x'));
      await expectErrorThenClose(c.peer, 'BAD_COMMAND');
    });

    it('a frame whose content-length body is not followed by NUL is ERROR MISSING_NUL', async () => {
      const c = await connect('nonul');
      c.peer.sendRaw(Buffer.from(`SEND\ndestination:${freshTopic()}\ncontent-length:2\n\nabX\0`));
      await expectErrorThenClose(c.peer, 'MISSING_NUL');
    });
  });

  // --- receipts and errors --------------------------------------------------

  describe('receipts and errors', () => {
    it('RECEIPTs go out in frame order for a burst of SUBSCRIBE/SEND/UNSUBSCRIBE sent without waiting', async () => {
      const c = await connect('burst');
      const topic = freshTopic();
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const r = `burst-${i}`;
        ids.push(r);
        if (i % 4 === 0) c.peer.send('SUBSCRIBE', { id: `b${i}`, destination: topic, receipt: r });
        else if (i % 4 === 3) c.peer.send('UNSUBSCRIBE', { id: `b${i - 3}`, receipt: r });
        else c.peer.send('SEND', { destination: topic, receipt: r }, `m${i}`);
      }
      await c.peer.receipt('burst-39');
      const seen = [...c.peer.chunks.join('').matchAll(/receipt-id:(burst-\d+)/g)].map((m) => m[1]);
      expect(seen).toEqual(ids);
      // Every SEND between a SUBSCRIBE and its UNSUBSCRIBE reached that subscription: 2 per window.
      expect(c.peer.frames.filter(isMessageOn(topic))).toHaveLength(20);
    });

    it('RECEIPTs stay in order when /app frames (database work) and broker frames are mixed', async () => {
      const c = await connect('mixed');
      const room = await api<{ id: number }>(server, 'POST', '/api/rooms', c.token, { name: 'mixed order' });
      expect(room.status).toBe(201);
      const id = room.body.id;
      const topic = freshTopic();
      const frames: [string, Record<string, string>, string?][] = [
        ['SEND', { destination: `/app/rooms/${id}/join` }, ''],
        ['SUBSCRIBE', { id: 'room', destination: `/topic/rooms/${id}` }],
        ['SEND', { destination: `/app/rooms/${id}/messages` }, JSON.stringify({ text: 'one' })],
        ['SUBSCRIBE', { id: 'plain', destination: topic }],
        ['SEND', { destination: topic }, 'plain'],
        ['SEND', { destination: `/app/rooms/${id}/messages` }, JSON.stringify({ text: 'two' })],
        ['UNSUBSCRIBE', { id: 'plain' }],
        ['SEND', { destination: `/app/rooms/${id}/typing` }, JSON.stringify({ typing: true })],
        ['SEND', { destination: `/app/rooms/${id}/messages` }, JSON.stringify({ text: 'three' })],
      ];
      frames.forEach(([cmd, h, body], i) => c.peer.send(cmd as 'SEND', { ...h, receipt: `mx-${i}` }, body));
      await c.peer.receipt(`mx-${frames.length - 1}`);
      const seen = [...c.peer.chunks.join('').matchAll(/receipt-id:(mx-\d+)/g)].map((m) => m[1]);
      expect(seen).toEqual(frames.map((_, i) => `mx-${i}`));
    });

    it('ERROR carries receipt-id when the offending frame had a receipt', async () => {
      const c = await connect('err-receipt');
      c.peer.send('SUBSCRIBE', { destination: freshTopic(), receipt: 'needs-id' });
      const e = await expectErrorThenClose(c.peer, 'MISSING_HEADER');
      expect(e.headers.get('receipt-id')).toBe('needs-id');
      expect(e.headers.get('content-length')).toBe(String(e.body.length));
    });

    it('frames received before a fatal frame are still processed and confirmed before the ERROR', async () => {
      const c = await connect('before-fatal');
      const topic = freshTopic();
      const sub = await subscriber(topic);
      // Separate WebSocket messages, written back to back.
      c.peer.send('SEND', { destination: topic, receipt: 'pre-1' }, 'before the bad frame');
      c.peer.sendRaw(raw(['SEND', `destination:${topic}`, 'x-h:\\t'], 'bad'));
      await c.peer.waitClosed();
      const order = c.peer.frames.map((f) => `${f.command}${f.headers.has('receipt-id') ? ':' + f.headers.get('receipt-id') : ''}`);
      expect(order).toEqual(['RECEIPT:pre-1', 'ERROR']);
      expect((await sub.peer.next(isMessageOn(topic))).body.toString()).toBe('before the bad frame');
    });

    it('chat SENDs received before a fatal frame are stored and confirmed before the ERROR', async () => {
      const c = await connect('chat-before-fatal');
      const room = await api<{ id: number }>(server, 'POST', '/api/rooms', c.token, { name: 'fatal order' });
      await sendOk(c.peer, 'SEND', { destination: `/app/rooms/${room.body.id}/join` }, '');
      for (let i = 0; i < 5; i++) c.peer.send('SEND', { destination: `/app/rooms/${room.body.id}/messages`, receipt: `chat-${i}` }, JSON.stringify({ text: `m${i}` }));
      c.peer.sendRaw(raw(['SEND', 'destination:/topic/x', 'x-h:\\q'], 'bad'));
      await c.peer.waitClosed();
      const order = c.peer.frames.filter((f) => f.command !== 'MESSAGE').map((f) => `${f.command}${f.headers.has('receipt-id') ? ':' + f.headers.get('receipt-id') : ''}`);
      expect(order).toEqual(['RECEIPT:chat-0', 'RECEIPT:chat-1', 'RECEIPT:chat-2', 'RECEIPT:chat-3', 'RECEIPT:chat-4', 'ERROR']);
      const seqs = c.peer.frames.filter((f) => f.command === 'RECEIPT').map((f) => Number(f.headers.get('x-seq')));
      expect(seqs).toEqual([2, 3, 4, 5, 6]);
    });

    it('DISCONNECT with receipt: RECEIPT, then the server closes', async () => {
      const c = await connect('bye');
      c.peer.send('DISCONNECT', { receipt: 'bye-1' });
      const r = await c.peer.receipt('bye-1');
      expect(r.command).toBe('RECEIPT');
      await c.peer.waitClosed(3000);
      expect(c.peer.frames.filter((f) => f.command === 'ERROR')).toHaveLength(0);
    });
  });

  // --- subscriptions and messages ---------------------------------------------

  describe('subscriptions', () => {
    it('SUBSCRIBE without id is ERROR MISSING_HEADER; without destination too', async () => {
      const a = await connect('noid');
      a.peer.send('SUBSCRIBE', { destination: freshTopic() });
      await expectErrorThenClose(a.peer, 'MISSING_HEADER');
      const b = await connect('nodest');
      b.peer.send('SUBSCRIBE', { id: 'x' });
      await expectErrorThenClose(b.peer, 'MISSING_HEADER');
    });

    it('a duplicate subscription id is ERROR DUPLICATE_SUBSCRIPTION', async () => {
      const c = await connect('dup');
      await sendOk(c.peer, 'SUBSCRIBE', { id: 'same', destination: freshTopic() });
      c.peer.send('SUBSCRIBE', { id: 'same', destination: freshTopic(), receipt: 'dup-2' });
      const e = await expectErrorThenClose(c.peer, 'DUPLICATE_SUBSCRIPTION');
      expect(e.headers.get('receipt-id')).toBe('dup-2');
    });

    it('UNSUBSCRIBE of an unknown id is ERROR UNKNOWN_SUBSCRIPTION', async () => {
      const c = await connect('unsub');
      c.peer.send('UNSUBSCRIBE', { id: 'never' });
      await expectErrorThenClose(c.peer, 'UNKNOWN_SUBSCRIPTION');
    });

    it('UNSUBSCRIBE stops delivery; the id may be reused afterwards', async () => {
      const c = await connect('reuse');
      const t1 = freshTopic();
      const t2 = freshTopic();
      await sendOk(c.peer, 'SUBSCRIBE', { id: 'r', destination: t1 });
      await sendOk(c.peer, 'UNSUBSCRIBE', { id: 'r' });
      await sendOk(c.peer, 'SUBSCRIBE', { id: 'r', destination: t2 });
      await sendOk(c.peer, 'SEND', { destination: t1 }, 'old');
      await sendOk(c.peer, 'SEND', { destination: t2 }, 'new');
      const m = await c.peer.next((f) => f.command === 'MESSAGE' && f.headers.get('destination') !== ERRORS);
      expect(m.headers.get('destination')).toBe(t2);
      expect(m.body.toString()).toBe('new');
    });

    it('MESSAGE carries destination, subscription and a unique message-id; user headers pass, frame-control headers do not', async () => {
      const topic = freshTopic();
      const s1 = await subscriber(topic, 'first');
      const s2 = await subscriber(topic, 'second');
      const c = await connect('headers');
      for (let i = 0; i < 3; i++) {
        c.peer.send('SEND', { destination: topic, 'content-type': 'text/plain', 'x-trace': `t${i}`, 'x-empty': '', receipt: `h${i}` }, `m${i}`);
      }
      await c.peer.receipt('h2');
      const ids = new Set<string>();
      for (const [s, subId] of [[s1, 'first'], [s2, 'second']] as const) {
        for (let i = 0; i < 3; i++) {
          const m = await s.peer.next(isMessageOn(topic));
          expect(m.headers.get('destination')).toBe(topic);
          expect(m.headers.get('subscription')).toBe(subId);
          expect(m.headers.get('x-trace')).toBe(`t${i}`);
          expect(m.headers.get('x-empty')).toBe('');
          expect(m.headers.get('content-type')).toBe('text/plain');
          expect(m.headers.has('receipt')).toBe(false);
          expect(m.headers.has('ack')).toBe(false);
          expect(m.body.toString()).toBe(`m${i}`);
          ids.add(m.headers.get('message-id')!);
        }
      }
      expect(ids.size).toBe(6);
    });

    it('SEND to /topic/rooms/{id} and /topic/lobby is refused with DESTINATION_FORBIDDEN; the connection stays open', async () => {
      const c = await connect('forbidden');
      const r = await sendRefused(c.peer, 'SEND', { destination: '/topic/rooms/1' }, '{}');
      expect(r.frame.headers.get('x-error-code')).toBe('DESTINATION_FORBIDDEN');
      expect(r.frame.headers.get('receipt-id')).toBe(r.receipt);
      expect(r.body).toMatchObject({ code: 'DESTINATION_FORBIDDEN', receiptId: r.receipt, destination: '/topic/rooms/1' });
      const lobby = await sendRefused(c.peer, 'SEND', { destination: '/topic/lobby' }, '{}');
      expect(lobby.body['code']).toBe('DESTINATION_FORBIDDEN');
      const user = await sendRefused(c.peer, 'SEND', { destination: '/user/queue/errors' }, '{}');
      expect(user.body['code']).toBe('DESTINATION_FORBIDDEN');
      // Still open, still working, and no RECEIPT was ever sent for the refused frames.
      await sendOk(c.peer, 'SUBSCRIBE', { id: 'still-open', destination: freshTopic() });
      expect(c.peer.closed).toBe(false);
      expect(c.peer.frames.filter((f) => f.command === 'RECEIPT' && f.headers.get('receipt-id')?.startsWith('refuse'))).toHaveLength(0);
    });

    it('only /topic/lobby itself is reserved: /topic/lobby-news is an ordinary open topic', async () => {
      const topic = '/topic/lobby-news';
      const sub = await subscriber(topic, 'news');
      const c = await connect('lobbyist');
      await sendOk(c.peer, 'SEND', { destination: topic }, 'extra');
      expect((await sub.peer.next(isMessageOn(topic))).body.toString()).toBe('extra');
    });

    it('a refusal goes only to the session whose frame was refused', async () => {
      const u = await guest(server, 'two-tabs');
      const a = await connectAs(peers, server, u);
      const b = await connectAs(peers, server, u);
      await sendRefused(a.peer, 'SEND', { destination: '/topic/rooms/1' }, '{}');
      await sleep(100);
      expect(b.peer.frames.filter(isMessageOn(ERRORS))).toHaveLength(0);
    });
  });

  // --- acks and queues --------------------------------------------------------

  describe('ack modes and /queue/**', () => {
    async function queueMessages(consumer: Client, queue: string, n: number): Promise<Frame[]> {
      const out: Frame[] = [];
      for (let i = 0; i < n; i++) out.push(await consumer.peer.next(isMessageOn(queue)));
      return out;
    }

    it('client-individual: MESSAGE carries ack; an ACK covers only its message; un-acked ones go to another consumer on close', async () => {
      const queue = freshQueue();
      const c1 = await subscriber(queue, 'c1', { ack: 'client-individual' });
      const producer = await connect('producer');
      for (const body of ['j1', 'j2', 'j3']) await sendOk(producer.peer, 'SEND', { destination: queue }, body);
      const got = await queueMessages(c1, queue, 3);
      expect(got.map((m) => m.body.toString())).toEqual(['j1', 'j2', 'j3']);
      for (const m of got) expect(m.headers.get('ack')).toMatch(/.+/);
      expect(new Set(got.map((m) => m.headers.get('ack'))).size).toBe(3);
      await sendOk(c1.peer, 'ACK', { id: got[1]!.headers.get('ack')! });

      const c2 = await subscriber(queue, 'c2');
      await sleep(50);
      expect(c2.peer.frames.filter(isMessageOn(queue))).toHaveLength(0);
      c1.peer.close(); // abrupt: j1 and j3 were never acked
      const redelivered = await queueMessages(c2, queue, 2);
      expect(redelivered.map((m) => m.body.toString()).sort()).toEqual(['j1', 'j3']);
      await sleep(100);
      expect(c2.peer.frames.filter(isMessageOn(queue))).toHaveLength(0);
    });

    it('un-acked messages of a closing connection never go back to another subscription of that same connection', async () => {
      const queue = freshQueue('self');
      const c1 = await subscriber(queue, 'ci', { ack: 'client-individual' });
      const producer = await connect('producer');
      await sendOk(producer.peer, 'SEND', { destination: queue }, 'q1');
      await sendOk(producer.peer, 'SEND', { destination: queue }, 'q2');
      await queueMessages(c1, queue, 2);
      // The same connection also consumes the queue in auto mode, and so does another one.
      await sendOk(c1.peer, 'SUBSCRIBE', { id: 'auto', destination: queue });
      const c2 = await subscriber(queue, 'other');
      c1.peer.close();
      const redelivered = await queueMessages(c2, queue, 2);
      expect(redelivered.map((m) => m.body.toString()).sort()).toEqual(['q1', 'q2']);
    });

    it('client: an ACK is cumulative over earlier messages of that subscription', async () => {
      const queue = freshQueue();
      const c1 = await subscriber(queue, 'c1', { ack: 'client' });
      const producer = await connect('producer');
      for (const body of ['k1', 'k2', 'k3']) await sendOk(producer.peer, 'SEND', { destination: queue }, body);
      const got = await queueMessages(c1, queue, 3);
      for (const m of got) expect(m.headers.has('ack')).toBe(true);
      await sendOk(c1.peer, 'ACK', { id: got[1]!.headers.get('ack')! }); // covers k1 and k2
      const c2 = await subscriber(queue, 'c2');
      await sendOk(c1.peer, 'DISCONNECT', {});
      const redelivered = await queueMessages(c2, queue, 1);
      expect(redelivered[0]!.body.toString()).toBe('k3');
      await sleep(100);
      expect(c2.peer.frames.filter(isMessageOn(queue))).toHaveLength(0);
      // The acked id is gone: acking it again would be an error (checked on a fresh consumer below).
    });

    it('an ACK for an unknown id is ERROR UNKNOWN_ACK', async () => {
      const c = await connect('unknown-ack');
      c.peer.send('ACK', { id: 'nope', receipt: 'ua' });
      const e = await expectErrorThenClose(c.peer, 'UNKNOWN_ACK');
      expect(e.headers.get('receipt-id')).toBe('ua');
    });

    it('NACK sends the message to another consumer', async () => {
      const queue = freshQueue();
      const c1 = await subscriber(queue, 'c1', { ack: 'client-individual' });
      const producer = await connect('producer');
      await sendOk(producer.peer, 'SEND', { destination: queue, 'x-job': '7' }, 'nack-me');
      const [m] = await queueMessages(c1, queue, 1);
      const c2 = await subscriber(queue, 'c2');
      await sendOk(c1.peer, 'NACK', { id: m!.headers.get('ack')! });
      const [again] = await queueMessages(c2, queue, 1);
      expect(again!.body.toString()).toBe('nack-me');
      expect(again!.headers.get('x-job')).toBe('7');
      expect(again!.headers.get('subscription')).toBe('c2');
      await sleep(100);
      expect(c1.peer.frames.filter(isMessageOn(queue))).toHaveLength(0);
    });

    it('/queue/** delivers each message to one consumer, round-robin between two', async () => {
      const queue = freshQueue('rr');
      const c1 = await subscriber(queue, 'c1');
      const c2 = await subscriber(queue, 'c2');
      const producer = await connect('producer');
      for (let i = 0; i < 10; i++) producer.peer.send('SEND', { destination: queue, receipt: `rr-${i}` }, `w${i}`);
      await producer.peer.receipt('rr-9');
      const a = (await queueMessages(c1, queue, 5)).map((m) => m.body.toString());
      const b = (await queueMessages(c2, queue, 5)).map((m) => m.body.toString());
      await sleep(100);
      expect(c1.peer.frames.filter(isMessageOn(queue))).toHaveLength(0);
      expect(c2.peer.frames.filter(isMessageOn(queue))).toHaveLength(0);
      expect([...a, ...b].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `w${i}`).sort());
      // Strict alternation: one consumer got the even ones, the other the odd ones.
      const parity = (xs: string[]): Set<number> => new Set(xs.map((x) => Number(x.slice(1)) % 2));
      expect(parity(a).size).toBe(1);
      expect(parity(b).size).toBe(1);
    });

    it('a queue message sent with no consumer waits for the first one', async () => {
      const queue = freshQueue('later');
      const producer = await connect('producer');
      await sendOk(producer.peer, 'SEND', { destination: queue }, 'early');
      const c = await subscriber(queue, 'late');
      expect((await c.peer.next(isMessageOn(queue))).body.toString()).toBe('early');
    });
  });

  // --- transactions -------------------------------------------------------------

  describe('transactions', () => {
    it('BEGIN/SEND/COMMIT delivers at COMMIT, in order', async () => {
      const topic = freshTopic();
      const sub = await subscriber(topic);
      const c = await connect('tx');
      await sendOk(c.peer, 'BEGIN', { transaction: 't1' });
      await sendOk(c.peer, 'SEND', { destination: topic, transaction: 't1' }, 'a');
      await sendOk(c.peer, 'SEND', { destination: topic, transaction: 't1' }, 'b');
      await sleep(100);
      expect(sub.peer.frames.filter(isMessageOn(topic))).toHaveLength(0);
      await sendOk(c.peer, 'COMMIT', { transaction: 't1' });
      const bodies = [(await sub.peer.next(isMessageOn(topic))).body.toString(), (await sub.peer.next(isMessageOn(topic))).body.toString()];
      expect(bodies).toEqual(['a', 'b']);
      const m = await sendOk(c.peer, 'SEND', { destination: topic }, 'c').then(() => sub.peer.next(isMessageOn(topic)));
      expect(m.headers.has('transaction')).toBe(false);
    });

    it('ABORT discards; the transaction id is free again afterwards', async () => {
      const topic = freshTopic();
      const sub = await subscriber(topic);
      const c = await connect('tx-abort');
      await sendOk(c.peer, 'BEGIN', { transaction: 't2' });
      await sendOk(c.peer, 'SEND', { destination: topic, transaction: 't2' }, 'discarded');
      await sendOk(c.peer, 'ABORT', { transaction: 't2' });
      await sendOk(c.peer, 'BEGIN', { transaction: 't2' });
      await sendOk(c.peer, 'SEND', { destination: topic, transaction: 't2' }, 'kept');
      await sendOk(c.peer, 'COMMIT', { transaction: 't2' });
      expect((await sub.peer.next(isMessageOn(topic))).body.toString()).toBe('kept');
      await sleep(100);
      expect(sub.peer.frames.filter(isMessageOn(topic))).toHaveLength(0);
    });

    it('an unknown transaction is ERROR UNKNOWN_TRANSACTION (SEND, COMMIT, ABORT); BEGIN twice is DUPLICATE_TRANSACTION', async () => {
      const a = await connect('tx-unknown');
      a.peer.send('SEND', { destination: freshTopic(), transaction: 'nope', receipt: 'ut' }, 'x');
      expect((await expectErrorThenClose(a.peer, 'UNKNOWN_TRANSACTION')).headers.get('receipt-id')).toBe('ut');
      const b = await connect('tx-unknown2');
      b.peer.send('COMMIT', { transaction: 'nope' });
      await expectErrorThenClose(b.peer, 'UNKNOWN_TRANSACTION');
      const c = await connect('tx-unknown3');
      c.peer.send('ABORT', { transaction: 'nope' });
      await expectErrorThenClose(c.peer, 'UNKNOWN_TRANSACTION');
      const d = await connect('tx-dup');
      await sendOk(d.peer, 'BEGIN', { transaction: 'd' });
      d.peer.send('BEGIN', { transaction: 'd' });
      await expectErrorThenClose(d.peer, 'DUPLICATE_TRANSACTION');
    });

    it('an open transaction is aborted on DISCONNECT and on an abrupt close', async () => {
      const topic = freshTopic();
      const sub = await subscriber(topic);
      const a = await connect('tx-disc');
      await sendOk(a.peer, 'BEGIN', { transaction: 'open' });
      await sendOk(a.peer, 'SEND', { destination: topic, transaction: 'open' }, 'never');
      a.peer.send('DISCONNECT', { receipt: 'd1' });
      await a.peer.receipt('d1');
      const b = await connect('tx-drop');
      await sendOk(b.peer, 'BEGIN', { transaction: 'open' });
      await sendOk(b.peer, 'SEND', { destination: topic, transaction: 'open' }, 'never either');
      b.peer.close();
      await sleep(200);
      expect(sub.peer.frames.filter(isMessageOn(topic))).toHaveLength(0);
    });

    it('ACK inside a transaction takes effect at COMMIT', async () => {
      const queue = freshQueue('txack');
      const c1 = await subscriber(queue, 'c1', { ack: 'client-individual' });
      const producer = await connect('producer');
      await sendOk(producer.peer, 'SEND', { destination: queue }, 'acked-in-tx');
      const m = await c1.peer.next(isMessageOn(queue));
      await sendOk(c1.peer, 'BEGIN', { transaction: 'ta' });
      await sendOk(c1.peer, 'ACK', { id: m.headers.get('ack')!, transaction: 'ta' });
      await sendOk(c1.peer, 'COMMIT', { transaction: 'ta' });
      const c2 = await subscriber(queue, 'c2');
      c1.peer.close();
      await sleep(200);
      expect(c2.peer.frames.filter(isMessageOn(queue))).toHaveLength(0);
    });
  });

  // --- TCP ----------------------------------------------------------------------

  describe('plain TCP', () => {
    it('CONNECT, EOL heart-beats, CRLF, SUBSCRIBE and a MESSAGE from a WebSocket publisher', async () => {
      const u = await guest(server, 'tcp');
      const t = await peers.tcp(server);
      t.sendRaw('\r\n\n');
      t.sendRaw(raw(['CONNECT', 'accept-version:1.1,1.2', 'host:localhost', `passcode:${u.token}`], '', '\r\n'));
      const connected = await t.next();
      expect(connected.command).toBe('CONNECTED');
      expect(connected.headers.get('user-name')).toBe(u.user.id);
      const topic = freshTopic();
      // Split in the middle of a header line, over two TCP writes.
      const sub = raw(['SUBSCRIBE', 'id:tcp-1', `destination:${topic}`, 'receipt:tcp-r']);
      t.sendRaw(sub.subarray(0, 9));
      await sleep(20);
      t.sendRaw(sub.subarray(9));
      await t.receipt('tcp-r');
      const ws = await connect('ws-pub');
      await sendOk(ws.peer, 'SEND', { destination: topic, 'x-from': 'ws' }, '{"hello":"tcp"}');
      const m = await t.next(isMessageOn(topic));
      expect(m.headers.get('subscription')).toBe('tcp-1');
      expect(m.headers.get('x-from')).toBe('ws');
      expect(m.body.toString()).toBe('{"hello":"tcp"}');
    });

    it('a protocol error over TCP: ERROR, then the socket is closed', async () => {
      const u = await guest(server, 'tcp-err');
      const t = await peers.tcp(server);
      expect((await t.connect(u.token)).command).toBe('CONNECTED');
      t.sendRaw(raw(['SEND', 'destination:/topic/x', 'bad:\\x'], ''));
      await expectErrorThenClose(t, 'BAD_ESCAPE');
    });
  });

  // --- robustness ---------------------------------------------------------------

  it('garbage byte soup over WebSocket and TCP never crashes the server', async () => {
    let seed = 0x2545f491;
    const rnd = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x1_0000_0000;
    };
    const u = await guest(server, 'fuzz');
    const pieces = ['CONNECT\n', 'SEND\n', 'SUBSCRIBE\n', 'content-length:', '\\', '\\c', ':', '\n', '\r\n', '\0', 'destination:/topic/f', 'id:', '99999999999999999999', `passcode:${u.token}\n`, 'accept-version:1.2\n', '\n\n', 'ACK\nid:1\n\n\0', 'BEGIN\ntransaction:t\n\n\0'];
    const soup = (): Buffer => {
      const parts: Buffer[] = [];
      const n = 5 + Math.floor(rnd() * 40);
      for (let i = 0; i < n; i++) {
        if (rnd() < 0.5) parts.push(Buffer.from(pieces[Math.floor(rnd() * pieces.length)]!, 'utf8'));
        else parts.push(Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256))));
      }
      return Buffer.concat(parts);
    };
    const victims: RawStomp[] = [];
    for (let i = 0; i < 30; i++) {
      const p = i % 3 === 0 ? await peers.tcp(server) : await peers.ws(server);
      victims.push(p);
      if (i % 2 === 0) await p.connect(u.token).catch(() => undefined);
      for (let k = 0; k < 4; k++) {
        const bytes = soup();
        // Random split points: fragments of a frame across messages.
        let at = 0;
        while (at < bytes.length) {
          const len = 1 + Math.floor(rnd() * 50);
          p.sendRaw(bytes.subarray(at, at + len));
          at += len;
        }
      }
    }
    await sleep(300);
    for (const p of victims) p.close();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    // And the broker still works for a well-behaved client.
    const topic = freshTopic();
    const sub = await subscriber(topic);
    const c = await connect('after-fuzz');
    await sendOk(c.peer, 'SEND', { destination: topic }, 'still alive');
    expect((await sub.peer.next(isMessageOn(topic))).body.toString()).toBe('still alive');
  });
});

describe('heart-beating (HEARTBEAT_OUT_MS=200, HEARTBEAT_IN_MS=200, HEARTBEAT_TOLERANCE=3)', () => {
  // The server's time is a FakeClock: a beat is due, or a client overdue, exactly when the test
  // says so, rather than "within about 1-2 s" of a wall clock a busy machine stretches.
  let server: TestServer;
  const clock = new FakeClock();
  beforeAll(async () => {
    server = await startTestServer({ clock, env: { HEARTBEAT_OUT_MS: '200', HEARTBEAT_IN_MS: '200', STOMP_TCP_PORT: '0' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const beats = (p: RawStomp): number => p.chunks.filter((c) => c.toString() === '\n').length;
  const awaitBeats = async (p: RawStomp, n: number): Promise<void> => {
    expect(await eventually(async () => beats(p), (b) => b >= n)).toBe(n);
  };

  it('a client that beats every interval gets one "\\n" per quiet interval and stays connected', async () => {
    const u = await guest(server, 'beater');
    const p = await peers.ws(server);
    const connected = await p.connect(u.token, { 'heart-beat': '200,200' });
    expect(connected.headers.get('heart-beat')).toBe('200,200');
    // Ten intervals, far more than the tolerance of three, each with one beat from the client.
    // Waiting for the server's beat before the next step also lets it read the client's.
    for (let i = 1; i <= 10; i++) {
      p.sendRaw('\n');
      clock.advance(200);
      await awaitBeats(p, i);
    }
    await flush(p);
    expect(beats(p)).toBe(10);
    expect(p.closed).toBe(false);
    expect(p.frames.filter((f) => f.command === 'ERROR')).toHaveLength(0);
  });

  it('a silent client is closed with ERROR HEARTBEAT_TIMEOUT once silent for more than 3 intervals, not before', async () => {
    const u = await guest(server, 'silent');
    const p = await peers.ws(server);
    expect((await p.connect(u.token, { 'heart-beat': '200,0' })).headers.get('heart-beat')).toBe('0,200');
    clock.advance(600);
    // Still there after exactly 3 intervals: this frame gets its RECEIPT, not an ERROR.
    await sendOk(p, 'SEND', { destination: '/topic/hb-silent' }, 'still here');
    clock.advance(600);
    expect(p.closed).toBe(false);
    clock.advance(100);
    await expectErrorThenClose(p, 'HEARTBEAT_TIMEOUT');
  });

  it('a silent TCP client is closed too', async () => {
    const u = await guest(server, 'silent-tcp');
    const p = await peers.tcp(server);
    expect((await p.connect(u.token, { 'heart-beat': '200,200' })).command).toBe('CONNECTED');
    clock.advance(700);
    await expectErrorThenClose(p, 'HEARTBEAT_TIMEOUT');
  });

  it('any incoming frame counts as activity, not only EOLs', async () => {
    const u = await guest(server, 'busy');
    const p = await peers.ws(server);
    await p.connect(u.token, { 'heart-beat': '200,0' });
    // 5 s of server time with a frame every 500 ms and never an EOL: each gap is under the 600 ms
    // the server tolerates, their sum far over it.
    for (let i = 0; i < 10; i++) {
      await sendOk(p, 'SEND', { destination: '/topic/hb-busy' }, 'x');
      clock.advance(500);
    }
    await flush(p);
    expect(p.closed).toBe(false);
    expect(p.frames.filter((f) => f.command === 'ERROR')).toHaveLength(0);
  });

  it('negotiates max(server, client) per direction, and 0 switches a direction off', async () => {
    const u = await guest(server, 'negotiate');
    const a = await peers.ws(server);
    expect((await a.connect(u.token, { 'heart-beat': '500,50' })).headers.get('heart-beat')).toBe('200,500');
    const b = await peers.ws(server);
    expect((await b.connect(u.token, { 'heart-beat': '0,0' })).headers.get('heart-beat')).toBe('0,0');
    const c = await peers.ws(server);
    expect((await c.connect(u.token, { 'heart-beat': '0,1000' })).headers.get('heart-beat')).toBe('1000,0');
    clock.advance(10_000);
    // c asked for a beat every 1000 ms and gets exactly that; b, with beats off both ways, gets
    // none and is never closed.
    await awaitBeats(c, 10);
    await flush(b);
    await flush(c);
    expect(beats(c)).toBe(10);
    expect(beats(b)).toBe(0);
    expect(b.closed).toBe(false);
  });
});

describe('token expiry (TOKEN_TTL_S=60)', () => {
  let server: TestServer;
  const clock = new FakeClock();
  beforeAll(async () => {
    server = await startTestServer({ clock, env: { TOKEN_TTL_S: '60' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a guest token works until TOKEN_TTL_S has passed; then CONNECT gets ERROR TOKEN_EXPIRED and REST 401 TOKEN_EXPIRED', async () => {
    const u = await guest(server, 'mortal');
    clock.advance(59_000);
    const early = await peers.ws(server);
    expect((await early.connect(u.token)).command).toBe('CONNECTED');
    expect((await api(server, 'POST', '/api/rooms', u.token, { name: 'in time' })).status).toBe(201);

    clock.advance(1_000);
    const late = await peers.ws(server);
    late.send('CONNECT', { 'accept-version': '1.2', host: 'localhost', Authorization: `Bearer ${u.token}` });
    await expectErrorThenClose(late, 'TOKEN_EXPIRED');
    const rest = await api<{ error: { code: string } }>(server, 'POST', '/api/rooms', u.token, { name: 'too late' });
    expect(rest.status).toBe(401);
    expect(rest.body.error.code).toBe('TOKEN_EXPIRED');
  });
});

describe('limits (MAX_FRAME_BYTES=2048, MAX_HEADERS=8, MAX_HEADER_LINE_BYTES=512, MAX_SUBSCRIPTIONS=3)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { MAX_FRAME_BYTES: '2048', MAX_HEADERS: '8', MAX_HEADER_LINE_BYTES: '512', MAX_SUBSCRIPTIONS: '3', STOMP_TCP_PORT: '0' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const connect = (): Promise<Client> => connectAs(peers, server, 'limits');

  it('a frame just under the limit passes', async () => {
    const c = await connect();
    const topic = '/topic/limit-ok';
    await sendOk(c.peer, 'SUBSCRIBE', { id: 'l', destination: topic });
    await sendOk(c.peer, 'SEND', { destination: topic }, 'x'.repeat(1900));
    expect((await c.peer.next(isMessageOn(topic))).body.length).toBe(1900);
  });

  it('FRAME_TOO_LARGE: declared by content-length, then close', async () => {
    const c = await connect();
    c.peer.sendRaw(raw(['SEND', 'destination:/topic/big', 'content-length:2100'], 'y'.repeat(2100)));
    await expectErrorThenClose(c.peer, 'FRAME_TOO_LARGE');
  });

  it('FRAME_TOO_LARGE: a body without content-length spread over several WebSocket messages', async () => {
    const c = await connect();
    c.peer.sendRaw('SEND\ndestination:/topic/big\n\n');
    for (let i = 0; i < 5; i++) c.peer.sendRaw('z'.repeat(800));
    await expectErrorThenClose(c.peer, 'FRAME_TOO_LARGE');
  });

  it('FRAME_TOO_LARGE: one WebSocket message far over the limit still gets the ERROR frame', async () => {
    const c = await connect();
    c.peer.sendRaw(raw(['SEND', 'destination:/topic/big'], 'w'.repeat(10_000)));
    await expectErrorThenClose(c.peer, 'FRAME_TOO_LARGE');
  });

  it('FRAME_TOO_LARGE over TCP', async () => {
    const u = await guest(server, 'limits-tcp');
    const t = await peers.tcp(server);
    expect((await t.connect(u.token)).command).toBe('CONNECTED');
    t.sendRaw(raw(['SEND', 'destination:/topic/big'], 'w'.repeat(10_000)));
    await expectErrorThenClose(t, 'FRAME_TOO_LARGE');
  });

  it('TOO_MANY_HEADERS, then close', async () => {
    const c = await connect();
    const lines = ['SEND', 'destination:/topic/h'];
    for (let i = 0; i < 8; i++) lines.push(`x-h${i}:v`);
    c.peer.sendRaw(raw(lines, 'x'));
    await expectErrorThenClose(c.peer, 'TOO_MANY_HEADERS');
  });

  it('HEADER_TOO_LONG, then close', async () => {
    const c = await connect();
    c.peer.sendRaw(raw(['SEND', 'destination:/topic/h', `x-long:${'l'.repeat(600)}`], 'x'));
    await expectErrorThenClose(c.peer, 'HEADER_TOO_LONG');
  });

  it('TOO_MANY_SUBSCRIPTIONS past MAX_SUBSCRIPTIONS, then close', async () => {
    const c = await connect(); // holds /user/queue/errors: 1 of 3
    await sendOk(c.peer, 'SUBSCRIBE', { id: 's2', destination: '/topic/s2' });
    await sendOk(c.peer, 'SUBSCRIBE', { id: 's3', destination: '/topic/s3' });
    c.peer.send('SUBSCRIBE', { id: 's4', destination: '/topic/s4', receipt: 'too-many' });
    const e = await expectErrorThenClose(c.peer, 'TOO_MANY_SUBSCRIPTIONS');
    expect(e.headers.get('receipt-id')).toBe('too-many');
  });
});

describe('BROKER_OPEN_DESTINATIONS=false', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { BROKER_OPEN_DESTINATIONS: 'false' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('open /topic/** and /queue/** are refused with DESTINATION_FORBIDDEN; the lobby and user queues still work', async () => {
    const c = await connectAs(peers, server, 'closed');
    for (const [cmd, headers] of [
      ['SEND', { destination: '/topic/open' }],
      ['SUBSCRIBE', { id: 'o1', destination: '/topic/open' }],
      ['SEND', { destination: '/queue/open' }],
      ['SUBSCRIBE', { id: 'o2', destination: '/queue/open' }],
    ] as const) {
      const r = await sendRefused(c.peer, cmd, headers, cmd === 'SEND' ? 'x' : undefined);
      expect(r.body['code'], `${cmd} ${headers.destination}`).toBe('DESTINATION_FORBIDDEN');
    }
    // A refused SUBSCRIBE id may be reused; the reserved lobby topic is still open to subscribers.
    await sendOk(c.peer, 'SUBSCRIBE', { id: 'o1', destination: '/topic/lobby' });
    expect(c.peer.closed).toBe(false);
  });
});

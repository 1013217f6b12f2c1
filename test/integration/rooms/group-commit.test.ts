import { afterAll, describe, expect, it } from 'vitest';
import { RawStomp } from '../../helpers/raw-stomp.js';
import { databaseBackends } from '../../helpers/databases.js';
import { beforeAllOrFailEach } from '../../helpers/suite.js';
import { api, guest, startTestServer, type TestServer } from '../../helpers/server.js';

describe.each(databaseBackends())('pipelined sends stored in batches on $name', (db) => {
  let server: TestServer;
  beforeAllOrFailEach(async () => {
    server = await startTestServer({ db });
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function joined(nickname: string): Promise<{ peer: RawStomp; roomId: number }> {
    const g = await guest(server, nickname);
    const roomId = (await api<{ id: number }>(server, 'POST', '/api/rooms', g.token, { name: nickname })).body.id;
    const peer = await RawStomp.ws(`${server.url.replace('http', 'ws')}/ws`);
    await peer.connect(g.token);
    peer.send('SUBSCRIBE', { destination: '/user/queue/errors', id: 'errors' });
    peer.send('SEND', { destination: `/app/rooms/${roomId}/join`, receipt: 'join' }, '');
    await peer.receipt('join');
    return { peer, roomId };
  }

  it('answers a burst with receipts in frame order and seqs without holes', async () => {
    const { peer, roomId } = await joined('burst');
    // Sent without waiting: the room stores what piles up behind the first INSERT in one batch.
    for (let i = 0; i < 300; i++) {
      peer.send('SEND', { destination: `/app/rooms/${roomId}/messages`, receipt: `m${i}` }, JSON.stringify({ text: `#${i}`, clientMsgId: `burst-${i}` }));
    }
    peer.send('SUBSCRIBE', { destination: `/topic/rooms/${roomId}`, id: 'room', receipt: 'sub', 'x-since-seq': '0' });
    const receipts = [];
    for (let i = 0; i < 300; i++) receipts.push(await peer.next((f) => f.command === 'RECEIPT' && f.headers.get('receipt-id')!.startsWith('m')));
    expect(receipts.map((r) => r.headers.get('receipt-id'))).toEqual(Array.from({ length: 300 }, (_, i) => `m${i}`));
    expect(receipts.map((r) => Number(r.headers.get('x-seq')))).toEqual(Array.from({ length: 300 }, (_, i) => i + 2)); // seq 1 is the enter message
    // The SUBSCRIBE after the burst waited for it: its RECEIPT comes after the last message's.
    await peer.receipt('sub');
    const history = await api<{ messages: { seq: number; text: string }[] }>(server, 'GET', `/api/rooms/${roomId}/messages?after=1&limit=200`, (await guest(server, 'reader')).token);
    expect(history.body.messages.map((m) => m.text).slice(0, 3)).toEqual(['#0', '#1', '#2']);
    peer.close();
  });

  it('stores a clientMsgId repeated inside one burst once, and receipts the repeat with the original seq', async () => {
    const { peer, roomId } = await joined('repeat');
    const body = (text: string, id: string) => JSON.stringify({ text, clientMsgId: id });
    peer.send('SEND', { destination: `/app/rooms/${roomId}/messages`, receipt: 'a' }, body('first', 'same-id'));
    peer.send('SEND', { destination: `/app/rooms/${roomId}/messages`, receipt: 'b' }, body('other', 'other-id'));
    peer.send('SEND', { destination: `/app/rooms/${roomId}/messages`, receipt: 'c' }, body('first again', 'same-id'));
    const [a, b, c] = [await peer.receipt('a'), await peer.receipt('b'), await peer.receipt('c')];
    expect(c.headers.get('x-seq')).toBe(a.headers.get('x-seq'));
    expect(c.headers.get('x-duplicate')).toBe('true');
    expect(a.headers.get('x-duplicate')).toBeUndefined();
    expect(Number(b.headers.get('x-seq'))).toBe(Number(a.headers.get('x-seq')) + 1);
    const token = (await guest(server, 'reader2')).token;
    const history = await api<{ messages: { text: string }[] }>(server, 'GET', `/api/rooms/${roomId}/messages?after=1`, token);
    expect(history.body.messages.map((m) => m.text)).toEqual(['first', 'other']);
    peer.close();
  });
});

import { describe, expect, it } from 'vitest';
import { whileServingOthers } from '../../helpers/bystander.js';
import { serverPerTest } from './support.js';
import { guest, type TestServer } from '../../helpers/server.js';
import { expectErrorThenClose, sendOk } from '../stomp/support.js';

/** Issue 11 item 3: a transaction can no longer buffer without limit. */
describe('transaction limits', () => {
  const { peers, start } = serverPerTest();

  async function connected(s: TestServer) {
    const peer = await peers.ws(s);
    const f = await peer.connect((await guest(s, 'tx')).token);
    expect(f.command).toBe('CONNECTED');
    return peer;
  }

  it('BEGIN then 60 KB SENDs past MAX_TX_BYTES: ERROR TRANSACTION_TOO_LARGE and close, with the earlier frames receipted', async () => {
    const s = await start({ env: { MAX_TX_BYTES: '1048576' } });
    const peer = await connected(s);
    const body = 'x'.repeat(60_000);
    await whileServingOthers(s, async () => {
      await sendOk(peer, 'BEGIN', { transaction: 't1' });
      let receipted = 0;
      for (let i = 0; i < 40 && !peer.closed; i++) {
        peer.send('SEND', { destination: '/queue/tx-sink', transaction: 't1', receipt: `s${i}` }, body);
        const f = await peer.next((x) => (x.command === 'RECEIPT' && x.headers.get('receipt-id') === `s${i}`) || x.command === 'ERROR');
        if (f.command === 'ERROR') {
          peer.frames.unshift(f);
          break;
        }
        receipted++;
      }
      // 1 MiB holds 17 such frames, not 18.
      expect(receipted).toBe(17);
      const error = await expectErrorThenClose(peer, 'TRANSACTION_TOO_LARGE');
      expect(error.headers.get('receipt-id')).toBe('s17');
    });
  });

  it('past MAX_TX_FRAMES (BEGINs count): ERROR TRANSACTION_TOO_LARGE and close', async () => {
    const s = await start({ env: { MAX_TX_FRAMES: '50' } });
    const peer = await connected(s);
    await whileServingOthers(s, async () => {
      // 10 transactions of 4 frames, then one more BEGIN + frames: the 51st frame is refused.
      let wire = '';
      for (let t = 0; t < 13; t++) {
        wire += `BEGIN\ntransaction:t${t}\n\n\0`;
        for (let i = 0; i < 3; i++) wire += `SEND\ndestination:/queue/tx-sink\ntransaction:t${t}\n\nm\0`;
      }
      peer.sendRaw(wire);
      await expectErrorThenClose(peer, 'TRANSACTION_TOO_LARGE');
    });
  });

  it('committed and aborted transactions give their room back', async () => {
    const s = await start({ env: { MAX_TX_FRAMES: '5' } });
    const peer = await connected(s);
    await whileServingOthers(s, async () => {
      for (let round = 0; round < 6; round++) {
        await sendOk(peer, 'BEGIN', { transaction: `r${round}` });
        for (let i = 0; i < 4; i++) await sendOk(peer, 'SEND', { destination: '/queue/tx-sink', transaction: `r${round}` }, 'm');
        await sendOk(peer, round % 2 === 0 ? 'COMMIT' : 'ABORT', { transaction: `r${round}` });
      }
    });
  });
});

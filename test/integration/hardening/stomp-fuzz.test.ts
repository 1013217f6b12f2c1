import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_TEST_TIMEOUT_MS, runProperty } from '../../helpers/fuzz.js';
import { RawStomp } from '../../helpers/raw-stomp.js';
import { guest, startTestServer, type TestServer } from '../../helpers/server.js';
import { wsUrl } from '../stomp/support.js';

const PIECES = ['SEND\n', 'SUBSCRIBE\n', 'BEGIN\n', 'COMMIT\n', 'ACK\n', 'UNSUBSCRIBE\n', 'DISCONNECT\n', 'destination:/app/rooms/1/messages\n', 'destination:/queue/f\n',
  'destination:/topic/f\n', 'id:1\n', 'transaction:t\n', 'receipt:r\n', 'content-length:3\n', 'x-h:\\c\\n\n', '\n', '\0', '{"text":"hi"}', ':', '\\'];

/** After CONNECT, arbitrary (mostly STOMP-shaped) bytes: the server answers or closes, and never falls over. */
describe('a real server fed arbitrary STOMP bytes (fast-check)', () => {
  let server: TestServer;
  let token: string;
  const rejections: unknown[] = [];
  const onRejection = (e: unknown): void => {
    rejections.push(e);
  };
  beforeAll(async () => {
    server = await startTestServer({ env: { STOMP_TCP_PORT: '0' } });
    token = (await guest(server, 'fuzzer')).token;
    process.on('unhandledRejection', onRejection);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await server.stop();
  });

  it('keeps serving: no crash, no unhandled rejection, /healthz answers', { timeout: FUZZ_TEST_TIMEOUT_MS * 2 }, async () => {
    const chunk = fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 20 }));
    await runProperty(
      'STOMP bytes against a server',
      fc.asyncProperty(fc.array(fc.array(chunk, { maxLength: 12 }).map((p) => p.join('')), { minLength: 1, maxLength: 4 }), fc.boolean(), async (writes, tcp) => {
        const peer = tcp ? await RawStomp.tcp(server.tcpPort!) : await RawStomp.ws(wsUrl(server));
        try {
          expect((await peer.connect(token)).command).toBe('CONNECTED');
          for (const w of writes) peer.sendRaw(w);
          peer.sendRaw('SUBSCRIBE\nid:probe\ndestination:/topic/probe\nreceipt:probe\n\n\0');
          // The probe is answered, or the stream was broken and the server said ERROR (or closed).
          await peer.next((f) => f.command === 'ERROR' || (f.command === 'RECEIPT' && f.headers.get('receipt-id') === 'probe'), 3000).catch(() => {
            expect(peer.closed).toBe(true);
          });
        } finally {
          peer.close();
        }
      }),
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(rejections).toEqual([]);
  });
});

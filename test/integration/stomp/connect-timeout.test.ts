import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawStomp } from '../../helpers/raw-stomp.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

describe('a socket that never sends CONNECT', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { CONNECT_TIMEOUT_MS: '300', STOMP_TCP_PORT: '0' } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it.each(['ws', 'tcp'] as const)('is sent ERROR NOT_CONNECTED and closed over %s', async (kind) => {
    const peer = kind === 'ws' ? await RawStomp.ws(`${server.url.replace('http', 'ws')}/ws`) : await RawStomp.tcp(server.tcpPort!);
    const started = Date.now();
    const error = await peer.next((f) => f.command === 'ERROR', 3000);
    expect(error.headers.get('x-error-code')).toBe('NOT_CONNECTED');
    await peer.waitClosed(3000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});

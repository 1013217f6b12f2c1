import { afterEach } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { Peers } from '../stomp/support.js';

/** A fresh server per test (each attack wants its own limits) and the peers it opened, all closed after each test. */
export function serverPerTest(): { peers: Peers; start: (options?: Parameters<typeof startTestServer>[0]) => Promise<TestServer> } {
  const peers = new Peers();
  let server: TestServer | undefined;
  afterEach(async () => {
    peers.closeAll();
    await server?.stop();
    server = undefined;
  });
  return {
    peers,
    start: async (options) => {
      server = await startTestServer(options);
      return server;
    },
  };
}

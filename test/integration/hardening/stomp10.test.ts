import { describe, expect, it } from 'vitest';
import { whileServingOthers } from '../../helpers/bystander.js';
import { guest, type TestServer } from '../../helpers/server.js';
import { RawStomp } from '../../helpers/raw-stomp.js';
import { connectAs, expectErrorThenClose, wsUrl } from '../stomp/support.js';
import { serverPerTest } from './support.js';

/** Bytes a peer received, as text. */
const wire = (peer: RawStomp): string => Buffer.concat(peer.chunks).toString('utf8');

/** Issue 11 item 14: STOMP 1.0 has no header escaping, in either direction. */
describe('STOMP 1.0 sessions', () => {
  const { peers, start } = serverPerTest();

  async function connect10(server: TestServer, name: string, after = ''): Promise<RawStomp> {
    const { token } = await guest(server, name);
    const peer = peers.track(await RawStomp.ws(wsUrl(server), ['v10.stomp']));
    peer.speakStomp10();
    // No accept-version: 1.0. The frames after CONNECT come in the same write.
    peer.sendRaw(`CONNECT\nlogin:x\npasscode:${token}\n\n\0${after}`);
    const connected = await peer.next((f) => f.command === 'CONNECTED' || f.command === 'ERROR');
    expect(connected.command, connected.body.toString()).toBe('CONNECTED');
    expect(connected.headers.get('version')).toBe('1.0');
    return peer;
  }

  it('reads a 1.0 header with a backslash as it is, and passes it on escaped to 1.2 and raw to 1.0', async () => {
    const server = await start();
    await whileServingOthers(server, async () => {
      const sub12 = await connectAs(peers, server, 'modern');
      sub12.peer.send('SUBSCRIBE', { id: 's', destination: '/topic/paths', receipt: 's12' });
      await sub12.peer.receipt('s12');
      const sub10 = await connect10(server, 'old-reader', 'SUBSCRIBE\ndestination:/topic/paths\nreceipt:s10\n\n\0');
      await sub10.receipt('s10');
      const pub10 = await connect10(server, 'old-writer', 'SEND\ndestination:/topic/paths\nx-path:C:\\temp\nreceipt:p\n\nhi\0');
      await pub10.receipt('p');
      const seen12 = await sub12.peer.next((f) => f.command === 'MESSAGE' && f.headers.get('destination') === '/topic/paths');
      expect(seen12.headers.get('x-path')).toBe('C:\\temp');
      expect(wire(sub12.peer)).toContain('x-path:C\\c\\\\temp\n');
      await sub10.next((f) => f.command === 'MESSAGE');
      expect(wire(sub10)).toContain('\nx-path:C:\\temp\n');
      expect(pub10.closed).toBe(false);
    });
  });

  it('sends a 1.0 subscriber x-time:12:30, not 12\\c30', async () => {
    const server = await start();
    await whileServingOthers(server, async () => {
      const sub10 = await connect10(server, 'old-reader', 'SUBSCRIBE\ndestination:/topic/times\nid:t\nreceipt:s10\n\n\0');
      await sub10.receipt('s10');
      const pub12 = await connectAs(peers, server, 'modern');
      pub12.peer.sendRaw('SEND\ndestination:/topic/times\nx-time:12\\c30\nreceipt:p\n\nnoon\0');
      await pub12.peer.receipt('p');
      await sub10.next((f) => f.command === 'MESSAGE');
      expect(wire(sub10)).toContain('\nx-time:12:30\n');
      expect(wire(sub10)).not.toContain('\\c');
    });
  });

  it('answers a CONNECT whose read also holds a bad frame: CONNECTED first, then ERROR', async () => {
    const server = await start();
    await whileServingOthers(server, async () => {
      const { token } = await guest(server, 'hasty');
      const peer = peers.track(await RawStomp.ws(wsUrl(server)));
      peer.sendRaw(`CONNECT\naccept-version:1.2\nhost:x\nAuthorization:Bearer ${token}\n\n\0SEND\ndestination:/topic/x\nbad:\\t\n\n\0`);
      const first = await peer.next();
      expect(first.command).toBe('CONNECTED');
      await expectErrorThenClose(peer, 'BAD_ESCAPE');
    });
  });

  it('still refuses an undefined escape from a 1.2 client sent in the same read as its CONNECT', async () => {
    const server = await start();
    const { token } = await guest(server, 'strict');
    const peer = peers.track(await RawStomp.ws(wsUrl(server)));
    peer.sendRaw(`CONNECT\naccept-version:1.0,1.2\nhost:x\nAuthorization:Bearer ${token}\n\n\0SEND\ndestination:/topic/x\nx-path:C:\\temp\n\n\0`);
    expect((await peer.next()).headers.get('version')).toBe('1.2');
    await expectErrorThenClose(peer, 'BAD_ESCAPE');
  });
});

import { RawStomp } from './raw-stomp.js';

/**
 * A raw STOMP connection as a call participant needs it: connected with `token`, subscribed to
 * its refusals and signals, joined to `roomId` and subscribed to the room topic (both receipted).
 */
export async function joinedCallPeer(server: { url: string }, token: string, roomId: number): Promise<RawStomp> {
  const stomp = await RawStomp.ws(`${server.url.replace('http', 'ws')}/ws`);
  await stomp.connect(token);
  stomp.send('SUBSCRIBE', { destination: '/user/queue/errors', id: 'errors' });
  stomp.send('SUBSCRIBE', { destination: '/user/queue/signal', id: 'signal' });
  stomp.send('SEND', { destination: `/app/rooms/${roomId}/join`, receipt: 'join' }, '');
  await stomp.receipt('join');
  stomp.send('SUBSCRIBE', { destination: `/topic/rooms/${roomId}`, id: 'room', receipt: 'sub' });
  await stomp.receipt('sub');
  return stomp;
}

import type { CallBridge } from './call/room-call-signalling.js';
import type { CallSnapshot, IceServersResponse } from './call/types.js';
import type { RoomHost } from './room-host.js';
import type { ParleyError } from './errors.js';
import type { Unsubscribe } from './events.js';
import type { StompConnection } from './stomp-connection.js';
import { waiters } from './waiters.js';

/** The room's side of its calls: call presence, and requests on the joined connection. @internal */
export interface RoomCallLink {
  /** The latest call presence, if any arrived yet. */
  snapshot: CallSnapshot | undefined;
  /** The room is joined on `conn`: requests waiting for it go out. */
  joined(conn: StompConnection): void;
  /** The room closed: requests waiting for a join reject with `error`. */
  close(error: ParleyError): void;
  /** A bridge for one call session. */
  bridge(): CallBridge;
}

/**
 * @param host - the room's client (signals, REST)
 * @param roomId - the room
 * @param joinedOn - the connection the room is joined on, when it is
 * @param onCall - listens to the room's `call` events
 * @internal
 */
export function roomCallLink(
  host: RoomHost,
  roomId: number,
  joinedOn: () => StompConnection | undefined,
  onCall: (listener: (snapshot: CallSnapshot) => void) => Unsubscribe,
): RoomCallLink {
  const joins = waiters<StompConnection>();
  let closedWith: ParleyError | undefined;
  // After a reconnect, calls wait for the room to be joined again.
  const whenJoined = (): Promise<StompConnection> => {
    const conn = joinedOn();
    if (conn?.isOpen) return Promise.resolve(conn);
    return closedWith ? Promise.reject(closedWith) : joins.wait();
  };
  const link: RoomCallLink = {
    snapshot: undefined,
    joined: joins.resolve,
    close(error) {
      closedWith = error;
      joins.reject(error);
    },
    bridge: () => ({
      roomId,
      request: async (destination, body) => (await (await whenJoined()).request(destination, body)).headers,
      get callState() {
        return link.snapshot;
      },
      onCallState: onCall,
      onSignal: (listener) => host.watchSignals(roomId, listener),
      iceServers: () => host.rest<IceServersResponse>('GET', '/api/ice-servers', undefined, true),
    }),
  };
  return link;
}

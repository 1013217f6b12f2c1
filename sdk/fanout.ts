import type { StompSubscription } from './stomp-connection.js';
import type { IncomingSignal } from './call/types.js';
import type { Unsubscribe } from './events.js';
import type { FrameHeaders, StompConnection } from './stomp-connection.js';
import type { LobbyEvent, Room } from './types.js';
import { LOBBY_TOPIC, SIGNAL_QUEUE } from './protocol/destinations.js';
import { HEADER_TYPE, type LobbyFrameType } from './protocol/frames.js';
import type { LobbyRoomDeletedBody } from './protocol/shapes.js';

/**
 * One subscription per connection to one destination, shared by any number of listeners and
 * held only while someone listens; each frame goes to the listeners of its key.
 * @internal
 */
export interface Fanout<T> {
  /** Adds a listener for `key`; subscribes when it is the first and a connection is up. */
  watch(key: number, listener: (event: T) => void): Unsubscribe;
  /** A new connection: subscribe on it if anyone listens. */
  connected(conn: StompConnection): void;
  /** The connection is gone (its subscription with it). */
  lost(): void;
  /** Forgets the connection and every listener. */
  clear(): void;
}

/**
 * @param destination - what to subscribe to
 * @param route - the key and event of a frame (its JSON body parsed), or `undefined` to drop it
 * @param after - called after the listeners with every routed event
 * @internal
 */
export function fanout<T>(destination: string, route: (headers: FrameHeaders, data: unknown) => [number, T] | undefined, after?: (event: T) => void): Fanout<T> {
  const listeners = new Map<number, Set<(event: T) => void>>();
  let conn: StompConnection | undefined;
  let sub: StompSubscription | undefined;

  const subscribe = (): void => {
    sub = conn?.subscribe(destination, (headers, body) => {
      let routed: [number, T] | undefined;
      try {
        routed = route(headers, JSON.parse(body));
      } catch {
        return;
      }
      if (!routed) return;
      const [key, event] = routed;
      for (const l of [...(listeners.get(key) ?? [])]) l(event);
      after?.(event);
    });
  };
  const lost = (): void => {
    conn = sub = undefined;
  };

  return {
    watch(key, listener) {
      let set = listeners.get(key);
      if (!set) listeners.set(key, (set = new Set()));
      set.add(listener);
      if (!sub && conn?.isOpen) subscribe();
      return () => {
        const s = listeners.get(key);
        if (!s?.delete(listener)) return;
        if (s.size === 0) listeners.delete(key);
        if (listeners.size > 0 || !sub) return;
        conn?.unsubscribe(sub);
        sub = undefined;
      };
    },
    connected(c) {
      conn = c;
      if (listeners.size > 0) subscribe();
    },
    lost,
    clear() {
      lost();
      listeners.clear();
    },
  };
}

/**
 * The lobby (`/topic/lobby`): room created, updated, deleted; all under key 0.
 * @param after - called with every event after the watchers (the client's `roomsChanged`)
 * @internal
 */
export function lobbyFanout(after: (event: LobbyEvent) => void): Fanout<LobbyEvent> {
  return fanout<LobbyEvent>(
    LOBBY_TOPIC,
    (headers, data) => {
      const type = headers[HEADER_TYPE] as LobbyFrameType | undefined;
      if (type === 'room-created' || type === 'room-updated') return [0, { type, room: data as Room }];
      if (type === 'room-deleted') return [0, { type, roomId: (data as LobbyRoomDeletedBody).id }];
      return undefined;
    },
    after,
  );
}

/** This client's WebRTC signals (`/user/queue/signal`), keyed by room. @internal */
export function signalFanout(): Fanout<IncomingSignal> {
  return fanout<IncomingSignal>(SIGNAL_QUEUE, (_headers, data) => [(data as IncomingSignal).roomId, data as IncomingSignal]);
}

import type { CallSnapshot } from './call/types.js';
import type { ParleyError } from './errors.js';
import type { ConnectionState } from './connection-state.js';
import type {
  KickedBody,
  LobbyEvent,
  Message,
  MessageMutation,
  PendingMessage,
  PresenceEvent,
  ResumeInfo,
  TypingEvent,
} from './types.js';

/** A map from event name to listener signature; it types a {@link TypedEmitter}. */
export type EventCallbacks<T> = { [K in keyof T]: (...args: never[]) => void };

/** Removes the listener it was returned for. */
export type Unsubscribe = () => void;

/**
 * A small typed event emitter: the callbacks map `E` fixes every event name and its arguments.
 * Listeners run synchronously in registration order; a listener that throws does not stop the
 * others nor the SDK, its error is rethrown in a microtask.
 *
 * @typeParam E - callbacks map, e.g. {@link ClientEvents}
 */
export class TypedEmitter<E extends EventCallbacks<E>> {
  #listeners = new Map<keyof E, Array<E[keyof E]>>();

  /**
   * Adds a listener.
   * @param event - event name
   * @param listener - called with the event's arguments
   * @returns a function that removes the listener
   */
  on<K extends keyof E>(event: K, listener: E[K]): Unsubscribe {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener);
    this.#listeners.set(event, list);
    return () => this.off(event, listener);
  }

  /**
   * Adds a listener that is removed after its first call.
   * @param event - event name
   * @param listener - called once
   * @returns a function that removes the listener
   */
  once<K extends keyof E>(event: K, listener: E[K]): Unsubscribe {
    const wrapper = ((...args: Parameters<E[K]>) => {
      this.off(event, wrapper);
      (listener as (...a: Parameters<E[K]>) => void)(...args);
    }) as unknown as E[K];
    return this.on(event, wrapper);
  }

  /**
   * Removes a listener (no-op when it is not registered).
   * @param event - event name
   * @param listener - the function given to {@link TypedEmitter.on}
   */
  off<K extends keyof E>(event: K, listener: E[K]): void {
    const list = this.#listeners.get(event);
    if (!list) return;
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.#listeners.delete(event);
  }

  /**
   * Removes every listener of one event, or of all events.
   * @param event - event name; omit for all
   */
  removeAllListeners(event?: keyof E): void {
    if (event === undefined) this.#listeners.clear();
    else this.#listeners.delete(event);
  }

  /**
   * Number of listeners of an event.
   * @param event - event name
   */
  listenerCount(event: keyof E): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  /**
   * Calls every listener of `event` with `args`.
   * @param event - event name
   * @param args - the event's arguments
   * @returns whether any listener was called
   */
  protected emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): boolean {
    const list = this.#listeners.get(event);
    if (!list || list.length === 0) return false;
    for (const listener of [...list]) {
      try {
        (listener as (...a: Parameters<E[K]>) => void)(...args);
      } catch (error) {
        // An application bug must not break delivery to the other listeners or the SDK state.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
    return true;
  }
}

/** Events of a {@link ChatClient}. */
export interface ClientEvents {
  /** The connection state changed (see {@link ConnectionState}). */
  stateChanged: (state: ConnectionState, previous: ConnectionState) => void;
  /** An error no pending operation could receive (failed reconnects, unrouted refusals, …). */
  error: (error: ParleyError) => void;
  /** The room list changed (only while `client.rooms.watch` has a watcher). */
  roomsChanged: (event: LobbyEvent) => void;
}

/** Event names of a {@link ChatClient}. */
export type ClientEventName = keyof ClientEvents;

/** Events of a {@link RoomHandle}. */
export interface RoomEvents {
  /** A message, delivered exactly once and in seq order. */
  message: (message: Message) => void;
  /**
   * A message was edited or deleted (a tombstone), live or caught up on resume: in stream order with
   * `message` events, each once. `mutation.message` (the message's state now) has already replaced the
   * message with its seq in `room.messages` when the window holds it.
   */
  messageChanged: (mutation: MessageMutation) => void;
  /** Someone entered/left, or the member list was refreshed. */
  presence: (event: PresenceEvent) => void;
  /** Someone (possibly yourself, from another tab) started or stopped typing. */
  typing: (event: TypingEvent) => void;
  /** A message you sent changed state (`pending` → `sent` | `failed`). */
  pendingChanged: (message: PendingMessage) => void;
  /** The subscription was (re)established and every missed message was delivered. */
  resumed: (info: ResumeInfo) => void;
  /** The room was deleted by its owner; the handle is closed. */
  deleted: (roomId: number) => void;
  /**
   * This user was removed from the room by a moderator (`reason: 'kick'`) or banned (`'ban'`, until
   * `until`, `null`: no end). The handle is closed and does not re-join; `client.join()` may try again
   * (a ban makes it reject with `BANNED`).
   */
  kicked: (info: KickedBody) => void;
  /** The handle hit an error it could not recover from on its own (e.g. re-join refused). */
  error: (error: ParleyError) => void;
  /** Call presence changed (`x-type: call`): who is in the room's call, with their media. Also once after each (re)subscription. */
  call: (snapshot: CallSnapshot) => void;
}

/** Event names of a {@link RoomHandle}. */
export type RoomEventName = keyof RoomEvents;

import type { LobbyEvent, Room, Unsubscribe } from '../../sdk/index.js';
import type { ChatClientLike } from '../model/chat-client-like.js';
import { HostedController } from './hosted-controller.js';

/** State of the room list. */
export type LobbyStatus = 'idle' | 'loading' | 'ready' | 'error';

/** Applies one lobby event to a list of rooms, keeping it ordered by id. */
export function applyLobbyEvent(rooms: readonly Room[], event: LobbyEvent): Room[] {
  if (event.type === 'room-deleted') return rooms.filter((r) => r.id !== event.roomId);
  const others = rooms.filter((r) => r.id !== event.room.id);
  return [...others, event.room].sort((a, b) => a.id - b.id);
}

/**
 * The live room list: watches the lobby first, then reads the list, then replays the changes
 * that arrived during the read, so nothing is missed; reads it again after every reconnect
 * (changes made while offline were not pushed).
 */
export class LobbyController extends HostedController {
  status: LobbyStatus = 'idle';
  rooms: readonly Room[] = [];

  #client: ChatClientLike | undefined;
  #unwatch: Unsubscribe | undefined;

  override hostDisconnected(): void {
    this.stop();
  }

  /** Whether the list is being followed. */
  get active(): boolean {
    return this.#client !== undefined;
  }

  /** Follows the room list of `client`. */
  start(client: ChatClientLike): void {
    if (this.#client === client) return;
    this.stop();
    this.#client = client;
    this.#load();
  }

  /** Reads the list again (after a reconnect). */
  refresh(): void {
    if (this.#client) this.#load();
  }

  /** Stops following. */
  stop(): void {
    this.generation++;
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.#client = undefined;
    this.status = 'idle';
  }

  #load(): void {
    const client = this.#client!;
    const generation = ++this.generation;
    const early: LobbyEvent[] = [];
    let listed = false;
    this.#unwatch?.();
    this.#unwatch = client.rooms.watch((event) => {
      if (generation !== this.generation) return;
      if (!listed) {
        early.push(event);
        return;
      }
      this.rooms = applyLobbyEvent(this.rooms, event);
      this.host.requestUpdate();
    });
    if (this.rooms.length === 0) this.status = 'loading';
    this.host.requestUpdate();
    client.rooms.list().then(
      (rooms) => {
        if (generation !== this.generation) return;
        listed = true;
        let list: Room[] = [...rooms].sort((a, b) => a.id - b.id);
        for (const e of early) list = applyLobbyEvent(list, e);
        this.rooms = list;
        this.status = 'ready';
        this.host.requestUpdate();
      },
      () => {
        if (generation !== this.generation) return;
        listed = true;
        this.status = this.rooms.length > 0 ? 'ready' : 'error';
        this.host.requestUpdate();
      },
    );
  }
}

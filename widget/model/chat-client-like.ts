import type { CallSessionOptions, CallSnapshot, ClientEvents, ConnectionState, CurrentUser, HistoryPage, HistoryQuery, JoinOptions, Message, MessageMutation, PendingMessage, PresenceUser, RoomEvents, RoomModeration, RoomsApi, Unsubscribe } from '../../sdk/index.js';
import type { CallSessionLike } from '../call-panel/call-panel.component.js';

/**
 * The part of a `RoomHandle` the widget uses. The SDK's `RoomHandle` satisfies it; Storybook
 * stories pass an in-memory fake with the same shape.
 */
export interface RoomHandleLike {
  readonly id: number;
  readonly messages: readonly Message[];
  readonly pending: readonly PendingMessage[];
  readonly members: readonly PresenceUser[];
  readonly userCount: number;
  readonly closed: boolean;
  on<K extends keyof RoomEvents>(event: K, listener: RoomEvents[K]): Unsubscribe;
  send(text: string): Promise<Message>;
  history(query?: HistoryQuery): Promise<HistoryPage>;
  setTyping(typing: boolean): void;
  dismiss(clientMsgId: string): boolean;
  leave(): Promise<void>;
  /** Edits one of the user's messages. */
  edit(seq: number, text: string): Promise<MessageMutation>;
  /** Deletes a message (own, or anyone's for moderators). */
  delete(seq: number): Promise<void>;
  /** The room's moderation API (loaded on first use). */
  moderation(): Promise<Pick<RoomModeration, 'kick' | 'ban' | 'mute'>>;
  /** Who is in the room's call (absent on fakes without calls). */
  readonly callState?: CallSnapshot | undefined;
  /** A call session in this room (loads the call layer); absent on fakes without calls. */
  call?(options?: Omit<CallSessionOptions, 'signalling'>): Promise<CallSessionLike>;
}

/** The part of `client.rooms` the widget uses. */
export type RoomsApiLike = Pick<RoomsApi, 'list' | 'get' | 'create' | 'watch'>;

/**
 * The part of a `ChatClient` the widget uses (what the `client` property accepts).
 * The SDK's `ChatClient` satisfies it.
 */
export interface ChatClientLike {
  readonly state: ConnectionState;
  readonly user: CurrentUser | undefined;
  readonly rooms: RoomsApiLike;
  on<K extends keyof ClientEvents>(event: K, listener: ClientEvents[K]): Unsubscribe;
  connect(): Promise<void>;
  join(roomId: number, options?: JoinOptions): Promise<RoomHandleLike>;
  disconnect(): Promise<void>;
}

/**
 * An in-memory stand-in for the SDK's `ChatClient`, for Storybook: rooms, history, presence,
 * typing, sends that are confirmed after a short delay (or wait while "offline"), join
 * refusals (`BAD_PASSWORD`, `ROOM_FULL`), edits, deletes, moderation and a scripted kick or ban.
 * No server, no network.
 */
import { ParleyError, TypedEmitter } from '../sdk/index.js';
import type {
  ClientEvents,
  ConnectionState,
  CreateRoomInput,
  HistoryPage,
  HistoryQuery,
  KickedBody,
  LobbyEvent,
  Message,
  MessageMutation,
  Restriction,
  PendingMessage,
  PresenceUser,
  Room,
  RoomEvents,
  Unsubscribe,
  User,
} from '../sdk/index.js';
import type { ChatClientLike, RoomHandleLike, RoomsApiLike } from '../widget/model/chat-client-like.js';

/** One room of the fake world. */
export interface FakeRoom {
  room: Room;
  messages: Message[];
  members: PresenceUser[];
  password?: string;
  /** Own messages that wait to be sent (shown as pending). */
  pending?: string[];
  /** Own messages the server refused (shown as failed). */
  failed?: string[];
  /** Users shown as typing. */
  typing?: User[];
  /** The user is removed (kick) or banned this many ms after joining. */
  kickAfterMs?: number;
  /** What the scripted removal says. Default: a kick. */
  kick?: KickedBody;
  /** Sends are refused `MUTED`. */
  muted?: boolean;
}

/** How the fake behaves. */
export interface FakeOptions {
  user?: User;
  rooms?: FakeRoom[];
  /** Connection state after `connect()`. Default `connected`. */
  state?: ConnectionState;
  /** Milliseconds before a send is confirmed. Default 400. */
  confirmMs?: number;
}

let nextId = 1;
const ME: User = { id: 'u_me', nickname: 'Alex' };

/** A message for fixtures. */
export function fakeMessage(roomId: number, seq: number, sender: User, text: string, createdAt: Date, type: Message['type'] = 'text'): Message {
  return { id: nextId++, seq, roomId, type, sender, text: type === 'text' ? text : '', clientMsgId: null, createdAt: createdAt.toISOString(), editedAt: null, deleted: false };
}

/** A room for fixtures. */
export function fakeRoom(id: number, name: string, over: Partial<Room> = {}): Room {
  return { id, name, kind: 'chat', userCount: 0, maxUsers: 10, locked: false, ownerId: 'u_owner', moderatorIds: [], createdAt: new Date(2026, 0, 1).toISOString(), ...over };
}

class FakeRoomHandle extends TypedEmitter<RoomEvents> implements RoomHandleLike {
  readonly id: number;
  closed = false;
  #pending: PendingMessage[] = [];
  readonly #world: FakeRoom;
  readonly #client: FakeChatClient;

  constructor(world: FakeRoom, client: FakeChatClient) {
    super();
    this.id = world.room.id;
    this.#world = world;
    this.#client = client;
    const now = Date.now();
    for (const text of world.pending ?? []) this.#pending.push(this.#entry(text, 'pending', now));
    for (const text of world.failed ?? []) {
      this.#pending.push({ ...this.#entry(text, 'failed', now), error: new ParleyError('RATE_LIMITED', 'Too many messages') });
    }
  }

  get messages(): readonly Message[] {
    return this.#world.messages.slice(-50);
  }
  get pending(): readonly PendingMessage[] {
    return this.#pending.slice();
  }
  get members(): readonly PresenceUser[] {
    return this.#world.members;
  }
  get userCount(): number {
    return this.#world.members.length;
  }

  /** Starts the scripted behaviour once the widget listens. */
  start(): void {
    const w = this.#world;
    if (w.kickAfterMs !== undefined) {
      setTimeout(() => {
        this.emit('kicked', w.kick ?? { roomId: this.id, reason: 'kick', until: null });
        this.closed = true;
        this.removeAllListeners();
      }, w.kickAfterMs);
    }
    for (const user of this.#world.typing ?? []) {
      setTimeout(() => this.emit('typing', { user, typing: true, expiresInMs: 3_600_000 }), 50);
    }
  }

  send(text: string): Promise<Message> {
    const entry = this.#entry(text, 'pending', Date.now());
    this.#pending.push(entry);
    this.emit('pendingChanged', entry);
    if (this.#world.muted) {
      const error = new ParleyError('MUTED', 'You are muted in this room');
      this.#pending = this.#pending.map((p) => (p.clientMsgId === entry.clientMsgId ? { ...p, state: 'failed', error } : p));
      return Promise.reject(error);
    }
    return new Promise((resolve) => {
      const deliver = (): void => {
        if (this.#client.state !== 'connected') {
          setTimeout(deliver, 500);
          return;
        }
        const last = this.#world.messages.at(-1)?.seq ?? 0;
        const message = { ...fakeMessage(this.id, last + 1, this.#client.user, text, new Date()), clientMsgId: entry.clientMsgId };
        this.#world.messages.push(message);
        this.#pending = this.#pending.filter((p) => p.clientMsgId !== entry.clientMsgId);
        this.emit('message', message);
        resolve(message);
      };
      setTimeout(deliver, this.#client.confirmMs);
    });
  }

  history(query: HistoryQuery = {}): Promise<HistoryPage> {
    const limit = query.limit ?? 50;
    const all = this.#world.messages;
    const before = query.before ?? Infinity;
    const older = all.filter((m) => m.seq < before);
    const page = older.slice(Math.max(0, older.length - limit));
    return new Promise((resolve) => setTimeout(() => resolve({ messages: page, mutations: [], lastSeq: all.at(-1)?.seq ?? 0 }), 150));
  }

  setTyping(): void {}

  async edit(seq: number, text: string): Promise<MessageMutation> {
    return this.#mutate(seq, 'edited', (m) => ({ ...m, text, editedAt: new Date().toISOString() }));
  }

  async delete(seq: number): Promise<void> {
    this.#mutate(seq, 'deleted', (m) => ({ ...m, text: '', deleted: true }));
  }

  async moderation(): Promise<{ kick(userId: string): Promise<void>; ban(userId: string): Promise<Restriction>; mute(userId: string): Promise<Restriction> }> {
    const restriction = (userId: string): Restriction => ({ userId, until: null, byId: this.#client.user.id, createdAt: new Date().toISOString() });
    return {
      kick: async () => undefined,
      ban: async (userId) => restriction(userId),
      mute: async (userId) => restriction(userId),
    };
  }

  /** Applies an edit or delete to the world and emits it, with the next seq of the stream. */
  #mutate(seq: number, type: MessageMutation['type'], change: (m: Message) => Message): MessageMutation {
    const list = this.#world.messages;
    const i = list.findIndex((m) => m.seq === seq);
    if (i < 0) throw new ParleyError('MESSAGE_NOT_FOUND', 'No such message');
    const message = change(list[i]!);
    list[i] = message;
    const mutation: MessageMutation = { seq: (list.at(-1)?.seq ?? 0) + 1000 + i, roomId: this.id, type, message, by: this.#client.user, createdAt: new Date().toISOString() };
    this.emit('messageChanged', mutation);
    return mutation;
  }

  dismiss(clientMsgId: string): boolean {
    const before = this.#pending.length;
    this.#pending = this.#pending.filter((p) => p.clientMsgId !== clientMsgId);
    return this.#pending.length !== before;
  }

  async leave(): Promise<void> {
    this.closed = true;
    this.removeAllListeners();
  }

  #entry(text: string, state: PendingMessage['state'], createdAt: number): PendingMessage {
    return { clientMsgId: `c${nextId++}`, roomId: this.id, text, state, seq: undefined, error: undefined, attempts: 1, createdAt };
  }
}

/** The fake client. Pass it as the `client` property of `<chat-room>`. */
export class FakeChatClient extends TypedEmitter<ClientEvents> implements ChatClientLike {
  state: ConnectionState = 'disconnected';
  readonly user: User;
  readonly rooms: RoomsApiLike;
  readonly confirmMs: number;
  readonly #world: Map<number, FakeRoom>;
  readonly #targetState: ConnectionState;
  readonly #watchers = new Set<(e: LobbyEvent) => void>();

  constructor(options: FakeOptions = {}) {
    super();
    this.user = options.user ?? ME;
    this.confirmMs = options.confirmMs ?? 400;
    this.#targetState = options.state ?? 'connected';
    this.#world = new Map((options.rooms ?? []).map((r) => [r.room.id, r]));
    const world = this.#world;
    const watchers = this.#watchers;
    const user = this.user;
    this.rooms = {
      list: async () => [...world.values()].map((r) => r.room),
      get: async (id: number) => {
        const r = world.get(id);
        if (!r) throw new ParleyError('ROOM_NOT_FOUND', 'No such room');
        return r.room;
      },
      create: async (input: CreateRoomInput) => {
        const id = Math.max(0, ...world.keys()) + 1;
        const room = fakeRoom(id, input.name, { kind: input.kind ?? 'chat', maxUsers: input.maxUsers ?? 100, locked: input.password !== undefined, ownerId: user.id });
        world.set(id, { room, messages: [], members: [], ...(input.password ? { password: input.password } : {}) });
        for (const w of watchers) w({ type: 'room-created', room });
        return room;
      },
      watch: (listener: (e: LobbyEvent) => void): Unsubscribe => {
        watchers.add(listener);
        return () => watchers.delete(listener);
      },
    } as RoomsApiLike;
  }

  async connect(): Promise<void> {
    this.setState(this.#targetState === 'disconnected' ? 'connected' : this.#targetState);
  }

  /** Moves to a connection state (stories use it to show the banners). */
  setState(state: ConnectionState): void {
    const previous = this.state;
    if (previous === state) return;
    this.state = state;
    this.emit('stateChanged', state, previous);
  }

  async join(roomId: number, options: { password?: string } = {}): Promise<RoomHandleLike> {
    const world = this.#world.get(roomId);
    if (!world) throw new ParleyError('ROOM_NOT_FOUND', 'No such room');
    if (world.password !== undefined && world.password !== options.password) throw new ParleyError('BAD_PASSWORD', 'Wrong room password');
    if (world.members.length >= world.room.maxUsers && !world.members.some((m) => m.id === this.user.id)) {
      throw new ParleyError('ROOM_FULL', 'The room is full');
    }
    if (!world.members.some((m) => m.id === this.user.id)) world.members.push(this.user);
    const handle = new FakeRoomHandle(world, this);
    setTimeout(() => handle.start(), 0);
    return handle;
  }

  async disconnect(): Promise<void> {
    this.setState('disconnected');
  }
}

const PEOPLE: User[] = [
  { id: 'u_minsu', nickname: '민수' },
  { id: 'u_jia', nickname: '지아' },
  { id: 'u_sam', nickname: 'Sam' },
];

const LINES_KO = ['안녕하세요!', '오늘 스터디 몇 시에 시작해요?', '7시요. 자료는 https://example.com/slides 에 올려 둘게요.', '좋아요 👍', '저는 조금 늦을 것 같아요.', '괜찮아요, 먼저 시작할게요.'];
const LINES_EN = ['Hi there!', 'What time does the meeting start?', 'At 7. Slides are at https://example.com/slides', 'Great 👍', 'I might be a few minutes late.', 'No problem, we will start without you.'];

/** A room with `count` messages spread over several days, between the user and three others. */
export function conversation(roomId: number, name: string, count: number, lang: 'ko' | 'en', me: User = ME): FakeRoom {
  const lines = lang === 'ko' ? LINES_KO : LINES_EN;
  const people = [...PEOPLE, me];
  const start = Date.now() - count * 7 * 60_000;
  const messages: Message[] = [];
  for (let seq = 1; seq <= count; seq++) {
    const sender = people[Math.floor((seq - 1) / 2) % people.length]!;
    const at = new Date(start + seq * 7 * 60_000);
    if (seq === 1) messages.push(fakeMessage(roomId, seq, sender, '', at, 'enter'));
    else messages.push(fakeMessage(roomId, seq, sender, `${lines[seq % lines.length]}${count > 100 ? ` (#${seq})` : ''}`, at));
  }
  return { room: fakeRoom(roomId, name, { userCount: 4 }), messages, members: [me, ...PEOPLE] };
}

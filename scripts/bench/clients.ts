// One client API over the three servers `npm run bench` compares, so every phase drives them the
// same way: join a room (and be live in it), publish a payload, be told of each delivered payload.
import { io as ioClient, type Socket } from 'socket.io-client';
import WebSocket from 'ws';

/** Called with each delivered message: its bytes (or text) hold the payload's `T~…~` marker. */
export type OnDelivery = (data: Buffer | string) => void;

export interface BenchClient {
  /** Resolves once messages published to `room` reach this client (`subscribe: false`: may publish only). */
  join(room: string, subscribe?: boolean): Promise<void>;
  publish(room: string, payload: string): void;
  close(): void;
}

export interface Target {
  readonly name: 'raw-ws' | 'socket.io' | 'parley';
  readonly port: number;
  /** Rooms ready to join (Parley creates them over REST). */
  createRooms(count: number): Promise<string[]>;
  /** Client `index` (Parley: picks one of its guest users). */
  open(index: number, onDelivery: OnDelivery): Promise<BenchClient>;
}

function openWs(url: string, protocol?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocol, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The baseline (scripts/bench/raw-ws-server.mjs). */
export function rawTarget(port: number): Target {
  return {
    name: 'raw-ws',
    port,
    createRooms: async (count) => Array.from({ length: count }, (_, i) => `r${i}`),
    async open(_index, onDelivery) {
      const ws = await openWs(`ws://127.0.0.1:${port}`);
      let joined: (() => void) | undefined;
      ws.on('message', (data: Buffer) => {
        if (data.length === 1 && data[0] === 0x41) joined?.();
        else onDelivery(data);
      });
      return {
        join: (room, subscribe = true) => {
          if (!subscribe) return Promise.resolve();
          return new Promise<void>((resolve) => {
            joined = resolve;
            ws.send(`J${room}`);
          });
        },
        publish: (room, payload) => ws.send(`P${room}\n${payload}`),
        close: () => ws.terminate(),
      };
    },
  };
}

/** Socket.IO rooms (scripts/bench/socketio-server.mjs). */
export function socketIoTarget(port: number): Target {
  return {
    name: 'socket.io',
    port,
    createRooms: async (count) => Array.from({ length: count }, (_, i) => `r${i}`),
    async open(_index, onDelivery) {
      const socket: Socket = ioClient(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, forceNew: true });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      socket.on('m', (payload: string) => onDelivery(payload));
      return {
        join: (room, subscribe = true) => (subscribe ? new Promise<void>((resolve) => socket.emit('join', room, resolve)) : Promise.resolve()),
        publish: (room, payload) => socket.emit('msg', room, payload),
        close: () => socket.disconnect(),
      };
    },
  };
}

const stomp = (command: string, headers: Record<string, string>, body = ''): string =>
  `${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}`).join('\n')}\n\n${body}\0`;

/** A minimal STOMP client: waits for RECEIPTs by id, hands every MESSAGE to the bench. */
export class StompPeer {
  private readonly waiters = new Map<string, (frame: string) => void>();
  private receipts = 0;
  onFrame: ((data: Buffer) => void) | undefined;

  private constructor(private readonly ws: WebSocket, onDelivery: OnDelivery) {
    ws.on('message', (data: Buffer) => {
      // 'M' of MESSAGE: by far the most frames; everything else is looked at as text.
      if (data[0] === 0x4d) {
        onDelivery(data);
        this.onFrame?.(data);
        return;
      }
      const text = data.toString();
      const id = /^receipt-id:(.*)$/m.exec(text)?.[1] ?? (text.startsWith('CONNECTED') ? 'connected' : undefined);
      if (text.startsWith('ERROR')) process.stderr.write(`bench: STOMP ERROR ${text.slice(0, 200)}\n`);
      if (id !== undefined) this.waiters.get(id)?.(text);
    });
  }

  static async open(port: number, token: string, onDelivery: OnDelivery): Promise<StompPeer> {
    const peer = new StompPeer(await openWs(`ws://127.0.0.1:${port}/ws`, 'v12.stomp'), onDelivery);
    await peer.request('connected', stomp('CONNECT', { 'accept-version': '1.2', host: 'localhost', 'heart-beat': '0,0', Authorization: `Bearer ${token}` }));
    return peer;
  }

  /** Sends `frame` and resolves with the frame that answers `id` (a RECEIPT, or CONNECTED). */
  request(id: string, frame: string): Promise<string> {
    return new Promise((resolve) => {
      this.waiters.set(id, (f) => {
        this.waiters.delete(id);
        resolve(f);
      });
      this.ws.send(frame);
    });
  }

  withReceipt(command: string, headers: Record<string, string>, body = ''): Promise<string> {
    const id = `r${++this.receipts}`;
    return this.request(id, stomp(command, { ...headers, receipt: id }, body));
  }

  send(command: string, headers: Record<string, string>, body = ''): void {
    this.ws.send(stomp(command, headers, body));
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Parley (the compiled server): room messages, stored before they are broadcast. */
export function parleyTarget(port: number, tokens: readonly string[]): Target {
  const base = `http://127.0.0.1:${port}`;
  return {
    name: 'parley',
    port,
    async createRooms(count) {
      const out: string[] = [];
      for (let i = 0; i < count; i++) {
        const res = await fetch(`${base}/api/rooms`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` },
          body: JSON.stringify({ name: `bench ${i}`, maxUsers: 1000 }),
        });
        if (res.status !== 201) throw new Error(`room create: ${res.status} ${await res.text()}`);
        out.push(String(((await res.json()) as { id: number }).id));
      }
      return out;
    },
    async open(index, onDelivery) {
      const peer = await StompPeer.open(port, tokens[index % tokens.length]!, onDelivery);
      return {
        async join(room, subscribe = true) {
          await peer.withReceipt('SEND', { destination: `/app/rooms/${room}/join` });
          if (subscribe) await peer.withReceipt('SUBSCRIBE', { destination: `/topic/rooms/${room}`, id: 's' });
        },
        publish: (room, payload) => peer.send('SEND', { destination: `/app/rooms/${room}/messages`, 'content-type': 'application/json' }, JSON.stringify({ text: payload })),
        close: () => peer.close(),
      };
    },
  };
}

/** `count` guest tokens for Parley (users are shared by rooms, as people are). */
export async function guestTokens(port: number, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nickname: `bench${i}` }) });
    out.push(((await res.json()) as { token: string }).token);
  }
  return out;
}

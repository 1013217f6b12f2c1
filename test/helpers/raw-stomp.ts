import { connect as netConnect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { encodeFrame, type Frame, type HeaderInput, type StompCommand } from '../../backend/stomp/frame.js';
import { FrameParser } from '../../backend/stomp/parser.js';

/**
 * A deliberately low-level STOMP peer for spec tests: writes exact bytes, parses what the
 * server sends, and lets a test wait for a frame or for the close.
 */
export class RawStomp {
  readonly frames: Frame[] = [];
  /** Raw chunks as received (heart-beats show up here as "\n"). */
  readonly chunks: Buffer[] = [];
  closed = false;
  private readonly parser = new FrameParser({ accept: 'server', maxFrameBytes: 16 * 1024 * 1024, maxHeaders: 1000, maxHeaderLineBytes: 1024 * 1024 });
  private waiters: (() => void)[] = [];

  private constructor(private readonly write: (data: Buffer | string) => void, private readonly end: () => void) {}

  /** `headers`: extra upgrade request headers (e.g. `X-Forwarded-For` as a proxy would add it). */
  static ws(url: string, protocols: string[] = ['v12.stomp'], headers?: Record<string, string>): Promise<RawStomp> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, protocols, headers === undefined ? undefined : { headers });
      const peer = new RawStomp(
        (d) => ws.send(d),
        () => ws.terminate(),
      );
      ws.on('message', (data: Buffer) => peer.onData(Buffer.from(data)));
      ws.on('close', () => peer.onClose());
      ws.on('error', reject);
      ws.on('open', () => resolve(peer));
    });
  }

  static tcp(port: number): Promise<RawStomp> {
    return new Promise((resolve, reject) => {
      const socket: Socket = netConnect(port, '127.0.0.1');
      const peer = new RawStomp(
        (d) => socket.write(d),
        () => socket.destroy(),
      );
      socket.on('data', (d) => peer.onData(d));
      socket.on('close', () => peer.onClose());
      socket.on('error', reject);
      socket.on('connect', () => resolve(peer));
    });
  }

  /** Reads what the server sends as STOMP 1.0, which has no header escaping. */
  speakStomp10(): void {
    this.parser.resume(false);
  }

  sendRaw(data: Buffer | string): void {
    this.write(data);
  }

  send(command: StompCommand, headers: HeaderInput, body?: string | Buffer): void {
    this.write(encodeFrame(command, headers, body));
  }

  /** CONNECT with a token and wait for CONNECTED. */
  async connect(token: string, extra: Record<string, string> = {}): Promise<Frame> {
    this.send('CONNECT', { 'accept-version': '1.2', host: 'localhost', 'heart-beat': '0,0', Authorization: `Bearer ${token}`, ...extra });
    return this.next((f) => f.command === 'CONNECTED' || f.command === 'ERROR');
  }

  /** Waits for the first frame (already received or future) matching `pred`, and consumes it. */
  async next(pred: (f: Frame) => boolean = () => true, timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex(pred);
      if (i >= 0) return this.frames.splice(i, 1)[0]!;
      if (this.closed) throw new Error(`connection closed before the expected frame; got: ${this.describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for a frame; got: ${this.describe()}`);
      await this.wait(left);
    }
  }

  receipt(id: string, timeoutMs?: number): Promise<Frame> {
    return this.next((f) => f.command === 'RECEIPT' && f.headers.get('receipt-id') === id, timeoutMs);
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('connection still open');
      await this.wait(left);
    }
  }

  close(): void {
    this.end();
  }

  private describe(): string {
    return JSON.stringify(this.frames.map((f) => `${f.command} ${JSON.stringify(Object.fromEntries(f.headers))}`));
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, Math.min(ms, 1000));
      const self = this;
      function done(): void {
        clearTimeout(t);
        self.waiters = self.waiters.filter((w) => w !== done);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.frames.push(...this.parser.push(chunk));
    this.wake();
  }

  private onClose(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

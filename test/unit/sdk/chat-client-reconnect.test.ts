import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatClient } from '../../../sdk/chat-client.js';
import type { ReconnectContext, ReconnectPolicy } from '../../../sdk/reconnect-policy.js';
import type { WebSocketLike } from '../../../sdk/transport.js';
import type { ConnectionState } from '../../../sdk/connection-state.js';

/**
 * A socket that answers CONNECT with CONNECTED (no heart-beats) and can be closed from the test.
 * It stands in for the network only, to drive the client's reconnect timer deterministically.
 */
class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  static accept = true;
  readonly url: string;
  readyState = 0;
  binaryType?: string;
  onopen: ((event: never) => unknown) | null | undefined = null;
  onclose: ((event: never) => unknown) | null | undefined = null;
  onerror: ((event: never) => unknown) | null | undefined = null;
  onmessage: ((event: never) => unknown) | null | undefined = null;
  sent: string[] = [];

  constructor(url: string) {
    this.url = url;
    FakeSocket.all.push(this);
    queueMicrotask(() => {
      if (!FakeSocket.accept) {
        this.fireClose();
        return;
      }
      this.readyState = 1;
      (this.onopen as ((e: unknown) => void) | null)?.({});
    });
  }

  send(data: string): void {
    this.sent.push(data);
    if (data.startsWith('CONNECT')) {
      queueMicrotask(() =>
        (this.onmessage as ((e: unknown) => void) | null)?.({
          data: 'CONNECTED\nversion:1.2\nheart-beat:0,0\nuser-name:u_1\n\n\0',
        }),
      );
    }
    const receipt = /\nreceipt:([^\n]+)/.exec(data)?.[1];
    if (data.startsWith('DISCONNECT') && receipt) {
      queueMicrotask(() =>
        (this.onmessage as ((e: unknown) => void) | null)?.({ data: `RECEIPT\nreceipt-id:${receipt}\n\n\0` }),
      );
    }
  }

  close(): void {
    this.fireClose();
  }

  fireClose(): void {
    this.readyState = 3;
    (this.onclose as ((e: unknown) => void) | null)?.({ code: 1006 });
  }
}

class RecordingPolicy implements ReconnectPolicy {
  calls: ReconnectContext[] = [];
  constructor(private readonly delays: Array<number | null>) {}
  nextRetryDelayInMs(ctx: ReconnectContext): number | null {
    this.calls.push(ctx);
    return this.delays[Math.min(this.calls.length - 1, this.delays.length - 1)] ?? null;
  }
}

function makeClient(policy: ReconnectPolicy): { client: ChatClient; states: ConnectionState[] } {
  const client = new ChatClient({
    url: 'http://chat.test',
    token: 'static-token',
    transport: 'websocket',
    webSocketFactory: (url) => new FakeSocket(url),
    fetch: () => Promise.reject(new Error('no REST in this test')),
    reconnectPolicy: policy,
  });
  const states: ConnectionState[] = [];
  client.on('stateChanged', (s) => states.push(s));
  return { client, states };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('ChatClient reconnect timer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
    FakeSocket.accept = true;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('arms exactly one reconnect timer even when close fires twice', async () => {
    const policy = new RecordingPolicy([1000]);
    const { client, states } = makeClient(policy);
    await client.connect();
    expect(client.state).toBe('connected');
    expect(vi.getTimerCount()).toBe(0);

    const socket = FakeSocket.all[0]!;
    socket.fireClose();
    socket.fireClose();
    await flush();
    expect(client.state).toBe('reconnecting');
    expect(vi.getTimerCount()).toBe(1);
    expect(policy.calls).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1000);
    await flush();
    expect(FakeSocket.all).toHaveLength(2);
    expect(client.state).toBe('connected');
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    await client.disconnect();
  });

  it('asks the policy with a growing retryCount and the last error while attempts fail', async () => {
    const policy = new RecordingPolicy([100, 200, 400]);
    const { client } = makeClient(policy);
    await client.connect();
    FakeSocket.accept = false;
    FakeSocket.all[0]!.fireClose();
    await flush();
    for (const ms of [100, 200]) {
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(ms);
      await flush();
    }
    expect(policy.calls.map((c) => c.retryCount)).toEqual([0, 1, 2]);
    expect(policy.calls[0]!.lastError?.code).toBe('DISCONNECTED');
    expect(policy.calls[1]!.lastError?.code).toBe('NETWORK');
    expect(policy.calls[2]!.elapsedMs).toBe(300);
    expect(vi.getTimerCount()).toBe(1);
    await client.disconnect();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives up when the policy returns null: disconnected, error emitted, queued sends rejected', async () => {
    const policy = new RecordingPolicy([null]);
    const { client, states } = makeClient(policy);
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.code));
    await client.connect();
    FakeSocket.all[0]!.fireClose();
    await flush();
    expect(client.state).toBe('disconnected');
    expect(states.at(-1)).toBe('disconnected');
    expect(errors).toEqual(['DISCONNECTED']);
    expect(vi.getTimerCount()).toBe(0);
    // The app's listeners survive a give-up: connecting again is observed as usual.
    expect(client.listenerCount('stateChanged')).toBeGreaterThan(0);
    await client.connect();
    expect(states.at(-1)).toBe('connected');
    await client.disconnect();
  });

  it('disconnect() while a retry is scheduled leaves no timer and no listener behind', async () => {
    const policy = new RecordingPolicy([5000]);
    const { client } = makeClient(policy);
    await client.connect();
    FakeSocket.all[0]!.fireClose();
    await flush();
    expect(vi.getTimerCount()).toBe(1);
    const done = client.disconnect();
    await vi.advanceTimersByTimeAsync(2000);
    await done;
    expect(vi.getTimerCount()).toBe(0);
    expect(client.listenerCount('stateChanged')).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});

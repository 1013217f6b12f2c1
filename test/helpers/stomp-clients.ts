import { Client, type IMessage, type StompHeaders } from '@stomp/stompjs';
import SockJS from 'sockjs-client';
import WebSocket from 'ws';

/** A @stomp/stompjs client over `ws` or `sockjs-client`, connected and ready, reconnect off. */
export async function stompjsClient(baseUrl: string, token: string, transport: 'ws' | 'sockjs' = 'ws'): Promise<Client> {
  const client = new Client({
    webSocketFactory: () =>
      transport === 'ws' ? new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`, ['v12.stomp', 'v11.stomp']) : new SockJS(`${baseUrl}/sockjs`),
    connectHeaders: { Authorization: `Bearer ${token}` },
    reconnectDelay: 0,
    heartbeatIncoming: 10_000,
    heartbeatOutgoing: 10_000,
  });
  await new Promise<void>((resolve, reject) => {
    client.onConnect = () => resolve();
    client.onStompError = (f) => reject(new Error(f.headers['message']));
    client.onWebSocketError = () => reject(new Error('socket error'));
    client.activate();
  });
  return client;
}

/** Publishes with a receipt and resolves with the RECEIPT's headers. */
export function publishWithReceipt(client: Client, destination: string, body: string, receipt: string, headers: StompHeaders = {}): Promise<StompHeaders> {
  return new Promise((resolve) => {
    client.watchForReceipt(receipt, (frame) => resolve(frame.headers));
    client.publish({ destination, body, headers: { ...headers, receipt } });
  });
}

/** Collects messages of a subscription; `waitFor(n)` resolves once n have arrived. */
export function collect(client: Client, destination: string, headers: StompHeaders = {}): { messages: IMessage[]; waitFor: (n: number, timeoutMs?: number) => Promise<IMessage[]>; unsubscribe: () => void } {
  const messages: IMessage[] = [];
  const sub = client.subscribe(destination, (m) => messages.push(m), headers);
  return {
    messages,
    unsubscribe: () => sub.unsubscribe(),
    waitFor: async (n, timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < n) {
        if (Date.now() > deadline) throw new Error(`got ${messages.length} of ${n} messages on ${destination}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return messages;
    },
  };
}

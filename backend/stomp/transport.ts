/**
 * What the broker needs from a socket, whatever carries it (WebSocket, SockJS, TCP).
 * Transports feed bytes in through `StompSession.receive` and report the close.
 */
export interface TransportConnection {
  readonly kind: 'ws' | 'sockjs' | 'tcp';
  readonly remoteAddress: string;
  /** SockJS carries text only; frames are sent as strings there. */
  readonly textOnly: boolean;
  /**
   * `utf8`: the caller knows the bytes are valid UTF-8 (a WebSocket sends them as a text frame
   * without checking); unset, the transport checks when it needs to.
   */
  send(data: Buffer | string, utf8?: boolean): void;
  /** Bytes accepted by `send` but not yet written to the network. */
  bufferedBytes(): number;
  /** Flush what is queued, then close. */
  close(): void;
  /** Close at once, dropping what is queued. */
  destroy(): void;
}

import { ParleyError } from '../errors.js';
import type { Unsubscribe } from '../events.js';
import type { CallSignalling } from './call-signalling.js';
import type { CallJoinResult, CallSnapshot, IceServersResponse, IncomingSignal, MediaFlags, SignalPayload } from './types.js';
import { roomAction, type RoomAction } from '../protocol/destinations.js';
import { HEADER_ORDER, HEADER_PARTICIPANT_ID } from '../protocol/frames.js';

/**
 * What a room handle lends its call: requests on the connection the room is joined on, call
 * presence from the room topic, signals from the client's `/user/queue/signal` subscription.
 * @internal
 */
export interface CallBridge {
  readonly roomId: number;
  /**
   * Sends with a receipt on the connection the room is joined on, waiting for the room to be
   * joined again after a reconnect. Resolves with the RECEIPT's headers; rejects with the
   * refusal, `TIMEOUT`, or the reason the room handle closed.
   */
  request(destination: string, body: string): Promise<Readonly<Record<string, string | undefined>>>;
  readonly callState: CallSnapshot | undefined;
  onCallState(listener: (snapshot: CallSnapshot) => void): Unsubscribe;
  onSignal(listener: (signal: IncomingSignal) => void): Unsubscribe;
  iceServers(): Promise<IceServersResponse>;
}

/** {@link CallSignalling} over the SDK's STOMP connection (`docs/protocol.md` §6). @internal */
export class RoomCallSignalling implements CallSignalling {
  readonly #bridge: CallBridge;

  constructor(bridge: CallBridge) {
    this.#bridge = bridge;
  }

  get callState(): CallSnapshot | undefined {
    return this.#bridge.callState;
  }

  async join(media: Pick<MediaFlags, 'audio' | 'video'>): Promise<CallJoinResult> {
    const headers = await this.#bridge.request(this.#to('call/join'), JSON.stringify({ audio: media.audio, video: media.video }));
    const participantId = headers[HEADER_PARTICIPANT_ID];
    const order = Number(headers[HEADER_ORDER]);
    if (!participantId || !Number.isSafeInteger(order)) throw new ParleyError('INTERNAL', 'The call join RECEIPT lacks x-participant-id/x-order');
    return { participantId, order };
  }

  async leave(): Promise<void> {
    // NOT_IN_CALL (already out: the connection dropped) and DISCONNECTED both mean "left".
    await this.#bridge.request(this.#to('call/leave'), '{}').catch(() => undefined);
  }

  setMedia(media: Partial<MediaFlags>): void {
    this.#bridge.request(this.#to('call/media'), JSON.stringify(media)).catch(() => undefined);
  }

  signal(to: string, payload: SignalPayload): void {
    // With a receipt so that a refusal (the addressee just left: NOT_IN_CALL) comes back here
    // and is dropped, instead of surfacing as a client-level error.
    this.#bridge.request(this.#to('signal'), JSON.stringify({ ...payload, to })).catch(() => undefined);
  }

  onCallState(listener: (snapshot: CallSnapshot) => void): Unsubscribe {
    return this.#bridge.onCallState(listener);
  }

  onSignal(listener: (signal: IncomingSignal) => void): Unsubscribe {
    return this.#bridge.onSignal(listener);
  }

  iceServers(): Promise<IceServersResponse> {
    return this.#bridge.iceServers();
  }

  #to(action: RoomAction): string {
    return roomAction(this.#bridge.roomId, action);
  }
}

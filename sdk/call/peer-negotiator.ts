import { NegotiationMachine } from './negotiation.js';
import type { NegotiationInput, NegotiationNote, NegotiationOp } from './negotiation.js';
import { SerialQueue } from './serial-queue.js';
import type { IceCandidateInit, SessionDescriptionInit, SignalPayload } from './types.js';

/** The part of an `RTCPeerConnection` negotiation touches. */
export interface NegotiablePeer {
  /** `RTCPeerConnection.signalingState`. */
  readonly signalingState: string;
  /** The current local description. */
  readonly localDescription: SessionDescriptionInit | null;
  /** The current remote description. */
  readonly remoteDescription: SessionDescriptionInit | null;
  /** Creates an offer (with new ICE credentials when `iceRestart`). */
  createOffer(options?: { iceRestart?: boolean }): Promise<SessionDescriptionInit>;
  /** Applies an offer, an answer (implicit without argument) or a rollback. */
  setLocalDescription(description?: SessionDescriptionInit): Promise<void>;
  /** Applies the remote offer or answer. */
  setRemoteDescription(description: SessionDescriptionInit): Promise<void>;
  /** Adds a remote candidate. */
  addIceCandidate(candidate: IceCandidateInit): Promise<void>;
  /** Closes the connection. */
  close(): void;
}

/** Options of {@link PeerNegotiator}. */
export interface PeerNegotiatorOptions {
  /** The peer connection (or a test double). */
  readonly pc: NegotiablePeer;
  /** Whether we yield on offer collisions. */
  readonly polite: boolean;
  /** Sends a signal to the remote peer. */
  send(payload: SignalPayload): void;
  /** A failed operation (the negotiation goes on from the connection's actual state). */
  onError(error: unknown): void;
  /** Deferred, ignored and buffered inputs, for diagnostics. */
  onNote?(note: NegotiationNote, input: NegotiationInput): void;
}

const plain = (d: SessionDescriptionInit): SessionDescriptionInit => (d.sdp === undefined ? { type: d.type } : { type: d.type, sdp: d.sdp });

/**
 * Drives one peer connection with a {@link NegotiationMachine}: every input waits its turn in a
 * serial queue, the machine decides, and the operations it returns run one after another. If an
 * operation fails, the rest of that step is abandoned and the machine re-reads the connection's
 * state, so one bad SDP cannot wedge the pair.
 */
export class PeerNegotiator {
  readonly machine: NegotiationMachine;
  readonly #options: PeerNegotiatorOptions;
  readonly #queue: SerialQueue;

  /** @param options - see {@link PeerNegotiatorOptions} */
  constructor(options: PeerNegotiatorOptions) {
    this.#options = options;
    this.machine = new NegotiationMachine(options.polite);
    this.#queue = new SerialQueue((error) => options.onError(error));
  }

  /** Local tracks changed (`negotiationneeded`). */
  negotiationNeeded(): Promise<void> {
    return this.#input({ type: 'negotiation-needed' });
  }

  /** Restarts ICE with a new offer (now, or once the current exchange is over). */
  restartIce(): Promise<void> {
    return this.#input({ type: 'restart-ice' });
  }

  /**
   * Handles a signal from the remote peer.
   * @param payload - its description and/or candidate
   */
  receive(payload: SignalPayload): Promise<void> {
    let last = Promise.resolve();
    if (payload.description) last = this.#input({ type: 'remote-description', description: payload.description });
    // `null` is end-of-candidates: nothing to do, Chrome infers it.
    if (payload.candidate) last = this.#input({ type: 'remote-candidate', candidate: payload.candidate });
    return last;
  }

  /** Closes the peer connection after whatever is running; later inputs are dropped. */
  close(): Promise<void> {
    const done = this.#input({ type: 'close' });
    this.#queue.close();
    // Closing must not wait for a stuck operation: the connection goes now.
    if (this.machine.signaling !== 'closed') this.machine.handle({ type: 'close' });
    this.#options.pc.close();
    return done;
  }

  /** Resolves once every input so far is handled. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  #input(input: NegotiationInput): Promise<void> {
    return this.#queue.push(async () => {
      const step = this.machine.handle(input);
      if (step.note) this.#options.onNote?.(step.note, input);
      for (const op of step.ops) {
        try {
          await this.#perform(op);
        } catch (error) {
          if (this.machine.signaling === 'closed') return; // closed under a running operation
          const pc = this.#options.pc;
          this.machine.resync(pc.signalingState, pc.remoteDescription !== null);
          this.#options.onError(error);
          return;
        }
      }
    });
  }

  async #perform(op: NegotiationOp): Promise<void> {
    const { pc, send } = this.#options;
    switch (op.op) {
      case 'offer': {
        const offer = await pc.createOffer(op.iceRestart ? { iceRestart: true } : {});
        await pc.setLocalDescription(offer);
        send({ description: plain(pc.localDescription ?? offer) });
        return;
      }
      case 'rollback':
        await pc.setLocalDescription({ type: 'rollback' });
        return;
      case 'apply-remote':
        await pc.setRemoteDescription(op.description);
        return;
      case 'answer': {
        await pc.setLocalDescription();
        const local = pc.localDescription;
        if (local) send({ description: plain(local) });
        return;
      }
      case 'add-candidate':
        try {
          await pc.addIceCandidate(op.candidate);
        } catch {
          // A candidate of an abandoned ICE generation (rolled-back offer, earlier restart):
          // harmless, and the W3C pattern ignores it too.
        }
        return;
      case 'close':
        pc.close();
        return;
    }
  }
}

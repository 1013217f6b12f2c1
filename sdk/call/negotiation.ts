import type { IceCandidateInit, SessionDescriptionInit } from './types.js';

/**
 * Perfect negotiation for one pair of peers, as a pure state machine: no I/O, no timers, no
 * RTCPeerConnection. The driver (`PeerNegotiator`) feeds it one input at a time from
 * a serial queue and performs the operations it returns, in order; the machine has already moved
 * to the state those operations lead to. Because every operation on the peer connection goes
 * through that queue, the machine's mirror of the signalling state is exact, and the W3C
 * pattern's `makingOffer`/`isSettingRemoteAnswerPending` flags reduce to "not stable".
 *
 * See https://w3c.github.io/webrtc-pc/#perfect-negotiation-example and `docs/video.md`.
 *
 * Roles: the polite peer (the later joiner, higher server `order`) yields on an offer collision
 * by rolling back its own offer; the impolite peer ignores the colliding offer (and the
 * candidates that belong to it) and waits for the answer to its own.
 */

/** The signalling state as the machine knows it (a mirror of `RTCPeerConnection.signalingState`). */
export type NegotiationSignaling = 'stable' | 'have-local-offer' | 'have-remote-offer' | 'closed';

/** What happens to a peer, one at a time. */
export type NegotiationInput =
  /** Local tracks or transceivers changed (`negotiationneeded`), or the offerer starts. */
  | { readonly type: 'negotiation-needed' }
  /** ICE must restart (connection failed, network changed, new TURN credentials). */
  | { readonly type: 'restart-ice' }
  /** An offer or answer from the remote peer. */
  | { readonly type: 'remote-description'; readonly description: SessionDescriptionInit }
  /** A trickled candidate from the remote peer. */
  | { readonly type: 'remote-candidate'; readonly candidate: IceCandidateInit }
  /** The link is closed for good. */
  | { readonly type: 'close' };

/** What the driver must do, in order. */
export type NegotiationOp =
  /** `createOffer({iceRestart})`, `setLocalDescription(offer)`, send the local description. */
  | { readonly op: 'offer'; readonly iceRestart: boolean }
  /** `setLocalDescription({type: 'rollback'})`: abandon our offer. */
  | { readonly op: 'rollback' }
  /** `setRemoteDescription(description)`. */
  | { readonly op: 'apply-remote'; readonly description: SessionDescriptionInit }
  /** `setLocalDescription()` (an answer) and send it. */
  | { readonly op: 'answer' }
  /** `addIceCandidate(candidate)`; a failure is not fatal. */
  | { readonly op: 'add-candidate'; readonly candidate: IceCandidateInit }
  /** `close()` the peer connection. */
  | { readonly op: 'close' };

/** Why an input produced no (or unusual) operations; for logs and tests. */
export type NegotiationNote =
  | 'offer-collision-ignored'
  | 'offer-collision-rolled-back'
  | 'offer-deferred'
  | 'stale-answer-ignored'
  | 'candidate-buffered'
  | 'candidate-dropped'
  | 'closed';

/** The result of one input. */
export interface NegotiationStep {
  /** Operations to perform, in order. */
  readonly ops: readonly NegotiationOp[];
  /** Set when the input was deferred, ignored or buffered. */
  readonly note?: NegotiationNote;
}

/** Candidates kept while no remote description is set; more than this and the oldest go. */
const MAX_BUFFERED_CANDIDATES = 256;

/** A readable copy of the machine's state. */
export interface NegotiationSnapshot {
  readonly polite: boolean;
  readonly signaling: NegotiationSignaling;
  readonly hasRemoteDescription: boolean;
  readonly ignoringOffer: boolean;
  readonly offerPending: boolean;
  readonly restartPending: boolean;
  readonly bufferedCandidates: number;
}

/** Perfect negotiation for one peer. Pure: see the module comment. */
export class NegotiationMachine {
  /** Whether we yield on collisions (we joined after the remote peer). */
  readonly polite: boolean;
  #signaling: NegotiationSignaling = 'stable';
  #hasRemote = false;
  #ignoringOffer = false;
  #offerPending = false;
  #restartPending = false;
  #lastOfferRestart = false;
  readonly #candidates: IceCandidateInit[] = [];

  /** @param polite - true for the later joiner of the pair (higher `order`) */
  constructor(polite: boolean) {
    this.polite = polite;
  }

  /** The mirrored signalling state. */
  get signaling(): NegotiationSignaling {
    return this.#signaling;
  }

  /** A copy of the state, for tests and diagnostics. */
  snapshot(): NegotiationSnapshot {
    return {
      polite: this.polite,
      signaling: this.#signaling,
      hasRemoteDescription: this.#hasRemote,
      ignoringOffer: this.#ignoringOffer,
      offerPending: this.#offerPending,
      restartPending: this.#restartPending,
      bufferedCandidates: this.#candidates.length,
    };
  }

  /**
   * Handles one input and returns the operations to perform.
   * @param input - what happened
   */
  handle(input: NegotiationInput): NegotiationStep {
    if (this.#signaling === 'closed') return { ops: [], note: 'closed' };
    switch (input.type) {
      case 'negotiation-needed':
        return this.#offerOrDefer();
      case 'restart-ice':
        this.#restartPending = true;
        return this.#offerOrDefer();
      case 'remote-description':
        return input.description.type === 'offer' ? this.#remoteOffer(input.description) : this.#remoteAnswer(input.description);
      case 'remote-candidate':
        return this.#remoteCandidate(input.candidate);
      case 'close':
        this.#signaling = 'closed';
        this.#candidates.length = 0;
        return { ops: [{ op: 'close' }] };
    }
  }

  /**
   * Realigns the mirror after an operation failed (the driver abandons the rest of the step).
   * @param signaling - the peer connection's actual `signalingState`
   * @param hasRemoteDescription - whether it has a remote description
   */
  resync(signaling: string, hasRemoteDescription: boolean): void {
    if (this.#signaling === 'closed') return;
    this.#signaling =
      signaling === 'have-local-offer' || signaling === 'have-remote-offer' || signaling === 'closed' ? signaling : 'stable';
    this.#hasRemote = hasRemoteDescription;
  }

  #offerOrDefer(): NegotiationStep {
    if (this.#signaling !== 'stable') {
      // Chrome fires `negotiationneeded` only in stable, but our queue may still hold the
      // remote offer that was being answered; offer once we are back in stable.
      this.#offerPending = true;
      return { ops: [], note: 'offer-deferred' };
    }
    return { ops: [this.#offer()] };
  }

  #offer(): NegotiationOp {
    const iceRestart = this.#restartPending;
    this.#restartPending = false;
    this.#offerPending = false;
    this.#lastOfferRestart = iceRestart;
    this.#signaling = 'have-local-offer';
    return { op: 'offer', iceRestart };
  }

  #remoteOffer(description: SessionDescriptionInit): NegotiationStep {
    const collision = this.#signaling !== 'stable';
    if (collision && !this.polite) {
      // Impolite: our offer wins; the polite peer rolls back and answers it.
      this.#ignoringOffer = true;
      return { ops: [], note: 'offer-collision-ignored' };
    }
    this.#ignoringOffer = false;
    const ops: NegotiationOp[] = [];
    if (collision) {
      ops.push({ op: 'rollback' });
      // What our rolled-back offer carried (new tracks, an ICE restart) still has to be offered.
      this.#offerPending = true;
      if (this.#lastOfferRestart) this.#restartPending = true;
    }
    ops.push({ op: 'apply-remote', description });
    this.#hasRemote = true;
    ops.push(...this.#flush());
    ops.push({ op: 'answer' });
    this.#signaling = 'stable';
    if (this.#offerPending) ops.push(this.#offer());
    return collision ? { ops, note: 'offer-collision-rolled-back' } : { ops };
  }

  #remoteAnswer(description: SessionDescriptionInit): NegotiationStep {
    if (this.#signaling !== 'have-local-offer') return { ops: [], note: 'stale-answer-ignored' };
    this.#ignoringOffer = false;
    const ops: NegotiationOp[] = [{ op: 'apply-remote', description }];
    this.#hasRemote = true;
    this.#signaling = 'stable';
    ops.push(...this.#flush());
    if (this.#offerPending) ops.push(this.#offer());
    return { ops };
  }

  #remoteCandidate(candidate: IceCandidateInit): NegotiationStep {
    // Candidates of an offer we ignored belong to an ICE session that will never exist.
    if (this.#ignoringOffer) return { ops: [], note: 'candidate-dropped' };
    if (!this.#hasRemote) {
      if (this.#candidates.length >= MAX_BUFFERED_CANDIDATES) this.#candidates.shift();
      this.#candidates.push(candidate);
      return { ops: [], note: 'candidate-buffered' };
    }
    return { ops: [{ op: 'add-candidate', candidate }] };
  }

  #flush(): NegotiationOp[] {
    return this.#candidates.splice(0).map((candidate) => ({ op: 'add-candidate', candidate }) as const);
  }
}

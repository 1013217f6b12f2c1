import type { IceCandidateInit, SessionDescriptionInit } from '../../../../sdk/call/types.js';

/**
 * A strict stand-in for RTCPeerConnection's *signalling* (JSEP §4.1.x state machine), so that
 * negotiation can be tested without a browser:
 * - every method is asynchronous and a wrong-state call rejects like Chrome
 *   (`InvalidStateError: Called in wrong state: stable`), with NO implicit rollback;
 * - a description's SDP is JSON naming the sender's tracks and ICE ufrag; only offers carry a
 *   side's tracks (so an answerer with new tracks must offer later, the worst case);
 * - `negotiationneeded` fires (asynchronously, only in stable) while some local track has not
 *   been in an answered offer of ours, as the spec's negotiation-needed flag does;
 * - candidates are trickled after each setLocalDescription; `addIceCandidate` rejects without a
 *   remote description or for a ufrag that is not the remote's current one.
 */
export class FakePeerConnection {
  static created: FakePeerConnection[] = [];

  signalingState: 'stable' | 'have-local-offer' | 'have-remote-offer' | 'closed' = 'stable';
  localDescription: SessionDescriptionInit | null = null;
  remoteDescription: SessionDescriptionInit | null = null;
  connectionState: RTCPeerConnectionState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  onnegotiationneeded: ((ev: Event) => unknown) | null = null;
  onicecandidate: ((ev: { candidate: { toJSON(): IceCandidateInit } | null }) => unknown) | null = null;
  ontrack: ((ev: { track: FakeTrack; streams: unknown[] }) => unknown) | null = null;
  onconnectionstatechange: ((ev: Event) => unknown) | null = null;
  onicecandidateerror: ((ev: Event) => unknown) | null = null;

  readonly localTracks: string[] = [];
  readonly remoteTracks = new Set<string>();
  readonly addedCandidates: IceCandidateInit[] = [];
  readonly log: string[] = [];
  readonly transceivers: Array<{ kind: string; direction: string }> = [];
  config: RTCConfiguration;
  ufrag: string;
  restarts = 0;
  #negotiated = new Set<string>();
  #offeredTracks: string[] | undefined;
  #remoteUfrag: string | undefined;
  #ufragCounter = 0;
  #candidateCounter = 0;
  #nnScheduled = false;

  constructor(
    readonly name: string,
    config: RTCConfiguration = {},
  ) {
    this.config = config;
    this.ufrag = `${name}-u0`;
    FakePeerConnection.created.push(this);
  }

  addTrack(track: { id: string }): { track: { id: string }; replaceTrack(t: unknown): Promise<void> } {
    this.localTracks.push(track.id);
    this.#scheduleNegotiationNeeded();
    const sender = {
      track,
      replaceTrack: async (t: unknown) => {
        this.log.push(`replaceTrack:${(t as { id?: string } | null)?.id ?? 'null'}`);
      },
    };
    return sender;
  }

  addTransceiver(kind: string, init?: { direction?: string }): unknown {
    this.transceivers.push({ kind, direction: init?.direction ?? 'sendrecv' });
    this.localTracks.push(`recv-${kind}`);
    this.#scheduleNegotiationNeeded();
    return {};
  }

  getTransceivers(): unknown[] {
    return [];
  }

  getSenders(): unknown[] {
    return [];
  }

  async getStats(): Promise<Map<string, unknown>> {
    return new Map();
  }

  getConfiguration(): RTCConfiguration {
    return this.config;
  }

  setConfiguration(config: RTCConfiguration): void {
    this.log.push('setConfiguration');
    this.config = config;
  }

  async createOffer(options: { iceRestart?: boolean } = {}): Promise<SessionDescriptionInit> {
    await tick();
    this.#assertOpen();
    if (options.iceRestart) {
      this.restarts++;
      this.ufrag = `${this.name}-u${++this.#ufragCounter}`;
    }
    return { type: 'offer', sdp: JSON.stringify({ from: this.name, tracks: [...this.localTracks], ufrag: this.ufrag }) };
  }

  async setLocalDescription(description?: SessionDescriptionInit): Promise<void> {
    await tick();
    this.#assertOpen();
    let d = description;
    if (!d || d.type === undefined) {
      d = this.signalingState === 'have-remote-offer' ? this.#answer() : await this.createOffer();
    }
    switch (d.type) {
      case 'offer':
        if (this.signalingState !== 'stable' && this.signalingState !== 'have-local-offer') throw wrongState(this.signalingState, 'setLocalDescription(offer)');
        this.signalingState = 'have-local-offer';
        this.localDescription = d;
        this.#offeredTracks = JSON.parse(d.sdp ?? '{}').tracks as string[];
        this.log.push('SLD:offer');
        this.#trickle();
        return;
      case 'answer':
        if (this.signalingState !== 'have-remote-offer') throw wrongState(this.signalingState, 'setLocalDescription(answer)');
        this.signalingState = 'stable';
        this.localDescription = d;
        this.log.push('SLD:answer');
        this.#trickle();
        this.#scheduleNegotiationNeeded();
        return;
      case 'rollback':
        if (this.signalingState === 'stable') throw wrongState(this.signalingState, 'rollback');
        this.log.push(`rollback:${this.signalingState}`);
        this.signalingState = 'stable';
        this.#offeredTracks = undefined;
        this.#scheduleNegotiationNeeded();
        return;
      default:
        throw new Error(`unsupported ${d.type}`);
    }
  }

  async setRemoteDescription(description: SessionDescriptionInit): Promise<void> {
    await tick();
    this.#assertOpen();
    const body = JSON.parse(description.sdp ?? '{}') as { tracks?: string[]; ufrag?: string };
    if (description.type === 'offer') {
      // Strict: Chrome would roll back implicitly, but the machine must not rely on it.
      if (this.signalingState !== 'stable') throw wrongState(this.signalingState, 'setRemoteDescription(offer)');
      this.signalingState = 'have-remote-offer';
      this.log.push('SRD:offer');
    } else if (description.type === 'answer') {
      if (this.signalingState !== 'have-local-offer') throw wrongState(this.signalingState, 'setRemoteDescription(answer)');
      this.signalingState = 'stable';
      for (const t of this.#offeredTracks ?? []) this.#negotiated.add(t);
      this.#offeredTracks = undefined;
      this.log.push('SRD:answer');
      this.#scheduleNegotiationNeeded();
    } else {
      throw new Error(`unsupported ${description.type}`);
    }
    this.remoteDescription = description;
    this.#remoteUfrag = body.ufrag;
    for (const t of body.tracks ?? []) {
      if (t.startsWith('recv-') || this.remoteTracks.has(t)) continue;
      this.remoteTracks.add(t);
      this.ontrack?.({ track: new FakeTrack(t), streams: [] });
    }
  }

  async addIceCandidate(candidate: IceCandidateInit): Promise<void> {
    await tick();
    this.#assertOpen();
    if (!this.remoteDescription) throw domError('InvalidStateError', 'The remote description was null');
    if (candidate.usernameFragment !== this.#remoteUfrag) throw domError('OperationError', `Unknown ufrag ${candidate.usernameFragment}`);
    this.addedCandidates.push(candidate);
  }

  close(): void {
    this.signalingState = 'closed';
    this.connectionState = 'closed';
  }

  /** Test hook: moves the connection state and fires the event. */
  setConnectionState(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.onconnectionstatechange?.(new Event('connectionstatechange'));
  }

  get needsNegotiation(): boolean {
    return this.localTracks.some((t) => !this.#negotiated.has(t));
  }

  #answer(): SessionDescriptionInit {
    return { type: 'answer', sdp: JSON.stringify({ from: this.name, tracks: [], ufrag: this.ufrag }) };
  }

  #trickle(): void {
    const ufrag = this.ufrag;
    const n = ++this.#candidateCounter;
    setTimeout(() => {
      if (this.signalingState === 'closed') return;
      const init: IceCandidateInit = { candidate: `candidate:${n} 1 udp 1 127.0.0.1 ${5000 + n} typ host`, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: ufrag };
      this.onicecandidate?.({ candidate: { toJSON: () => init } });
    }, 0);
  }

  #scheduleNegotiationNeeded(): void {
    if (this.#nnScheduled) return;
    this.#nnScheduled = true;
    setTimeout(() => {
      this.#nnScheduled = false;
      // As the spec: only in stable, and only while still needed when the task runs.
      if (this.signalingState === 'stable' && this.needsNegotiation) {
        this.log.push('negotiationneeded');
        this.onnegotiationneeded?.(new Event('negotiationneeded'));
      }
    }, 0);
  }

  #assertOpen(): void {
    if (this.signalingState === 'closed') throw domError('InvalidStateError', 'The RTCPeerConnection is closed');
  }
}

export class FakeTrack {
  readonly kind: string;
  enabled = true;
  readyState: 'live' | 'ended' = 'live';
  readonly #listeners = new Map<string, Array<() => void>>();
  constructor(readonly id: string, kind?: string) {
    this.kind = kind ?? (id.includes('audio') ? 'audio' : 'video');
  }
  stop(): void {
    this.readyState = 'ended';
  }
  getSettings(): { deviceId: string } {
    return { deviceId: `dev-${this.id}` };
  }
  addEventListener(type: string, l: () => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), l]);
  }
  dispatch(type: string): void {
    for (const l of this.#listeners.get(type) ?? []) l();
  }
}

export function domError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

function wrongState(state: string, what: string): Error {
  return domError('InvalidStateError', `Failed to execute ${what}: Called in wrong state: ${state}`);
}

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

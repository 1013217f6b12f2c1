import type { CallTopology, CallTopologyContext } from './call-topology.js';
import { PeerLink } from './peer-link.js';
import type { CallParticipantInfo, IceServerEntry, IncomingSignal } from './types.js';

/** `RTCConfiguration` from the server's ICE list and the policy. */
export function rtcConfiguration(servers: readonly IceServerEntry[], policy: RTCIceTransportPolicy): RTCConfiguration {
  return {
    iceServers: servers.map((s) => ({
      urls: typeof s.urls === 'string' ? s.urls : [...s.urls],
      ...(s.username !== undefined ? { username: s.username } : {}),
      ...(s.credential !== undefined ? { credential: s.credential } : {}),
    })),
    iceTransportPolicy: policy,
    bundlePolicy: 'max-bundle',
  };
}

/**
 * Full mesh: one peer connection per other participant. The newcomer (higher `order`) offers to
 * everyone already present and is the polite side of each pair; those already present wait for
 * its offer (`docs/protocol.md` §6). Cost grows with the square of the participants, hence the cap.
 */
export class MeshTopology implements CallTopology {
  readonly kind = 'mesh';
  readonly #ctx: CallTopologyContext;
  readonly #links = new Map<string, PeerLink>();
  /** Orders of the participants we know, to pick roles for links opened by a signal. */
  readonly #orders = new Map<string, number>();
  #config: RTCConfiguration;
  #closed = false;

  /** @param context - see {@link CallTopologyContext} */
  constructor(context: CallTopologyContext) {
    this.#ctx = context;
    this.#config = rtcConfiguration(context.iceServers, context.iceTransportPolicy);
  }

  updateParticipants(others: readonly CallParticipantInfo[]): void {
    if (this.#closed) return;
    const { self } = this.#ctx;
    const present = new Set<string>();
    for (const p of others) {
      if (p.id === self.participantId) continue;
      present.add(p.id);
      this.#orders.set(p.id, p.order);
      // Only the newcomer calls: we offer to those who joined before us.
      if (!this.#links.has(p.id) && p.order < self.order) this.#open(p.id, p.order);
    }
    for (const [id, link] of [...this.#links]) {
      if (present.has(id)) continue;
      this.#links.delete(id);
      this.#orders.delete(id);
      link.close();
    }
  }

  handleSignal(signal: IncomingSignal): void {
    if (this.#closed || signal.to !== this.#ctx.self.participantId || signal.from === this.#ctx.self.participantId) return;
    let link = this.#links.get(signal.from);
    if (!link) {
      // Only an offer opens a link: a stray answer or candidate of a closed link is dropped.
      if (signal.description?.type !== 'offer') return;
      // A sender we have not seen in the presence list yet joined after our last snapshot.
      link = this.#open(signal.from, this.#orders.get(signal.from) ?? Number.POSITIVE_INFINITY);
    }
    void link.receive(signal);
  }

  async setLocalTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const { stream } = this.#ctx.localTracks();
    await Promise.all([...this.#links.values()].map((l) => l.setTrack(kind, track, stream)));
  }

  setIceServers(servers: readonly IceServerEntry[]): void {
    this.#config = rtcConfiguration(servers, this.#ctx.iceTransportPolicy);
    for (const link of this.#links.values()) link.reconfigure({ iceServers: this.#config.iceServers ?? [] });
  }

  restartIce(): void {
    for (const link of this.#links.values()) link.restartIce();
  }

  peerState(participantId: string): RTCPeerConnectionState | undefined {
    return this.#links.get(participantId)?.state;
  }

  async getStats(participantId: string): Promise<RTCStatsReport | undefined> {
    return this.#links.get(participantId)?.pc.getStats();
  }

  close(): void {
    this.#closed = true;
    for (const link of this.#links.values()) link.close();
    this.#links.clear();
  }

  #open(remoteId: string, remoteOrder: number): PeerLink {
    const ctx = this.#ctx;
    const polite = ctx.self.order > remoteOrder;
    const link = new PeerLink({
      remoteId,
      polite,
      offerer: polite,
      pc: ctx.environment.createPeerConnection(this.#config),
      clock: ctx.clock,
      recovery: ctx.recovery,
      local: ctx.localTracks(),
      send: (payload) => ctx.send(remoteId, payload),
      onTrack: (track, stream) => ctx.listener.trackAdded(remoteId, track, stream),
      onTrackRemoved: (track) => ctx.listener.trackRemoved(remoteId, track),
      onState: (state) => ctx.listener.peerStateChanged(remoteId, state),
      onIceError: (code, url) => ctx.listener.iceError(remoteId, code, url),
      onGiveUp: () => ctx.listener.needsRejoin(remoteId),
      onWarning: (error) => ctx.listener.warning(error),
      onNote: (note) => ctx.listener.negotiationNote(remoteId, note),
    });
    this.#links.set(remoteId, link);
    return link;
  }
}

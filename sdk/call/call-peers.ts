import type { Clock } from '../types.js';
import type { CallEvents, CallParticipant } from './call-events.js';
import type { CallTopology, TopologyListener } from './call-topology.js';
import type { CallParticipantInfo, CallSnapshot, IncomingSignal } from './types.js';

interface RemoteEntry {
  info: CallParticipantInfo;
  stream: MediaStream | undefined;
  state: RTCPeerConnectionState;
}

/** How {@link CallPeers} reports to its session. */
export type CallPeersEmit = <K extends keyof CallEvents>(event: K, ...args: Parameters<CallEvents[K]>) => void;

const MAX_EARLY_SIGNALS = 500;

/**
 * The other participants of a call and the topology that connects us to them: presence
 * snapshots become `participantJoined`/`Left`/`muteChanged`, the topology's reports become
 * track and connection events, and signals reach the topology (or wait while it is being built).
 * It neither joins nor leaves: the session decides when a topology starts and ends.
 */
export class CallPeers {
  readonly #emit: CallPeersEmit;
  readonly #clock: Clock;
  readonly #refreshIce: () => void;
  readonly #remotes = new Map<string, RemoteEntry>();
  #topology: CallTopology | undefined;
  #selfId: string | undefined;
  #early: IncomingSignal[] = [];
  #lastForcedIceRefresh = Number.NEGATIVE_INFINITY;

  /**
   * @param emit - the session's events
   * @param clock - time, for the TURN refresh throttle
   * @param refreshIce - fetches new ICE servers now (TURN refused our credentials)
   */
  constructor(emit: CallPeersEmit, clock: Clock, refreshIce: () => void) {
    this.#emit = emit;
    this.#clock = clock;
    this.#refreshIce = refreshIce;
  }

  /** The topology of the current join, if any. */
  get topology(): CallTopology | undefined {
    return this.#topology;
  }

  /** The other participants, in join order. */
  get participants(): CallParticipant[] {
    return [...this.#remotes.values()].map(view).sort((a, b) => a.order - b.order);
  }

  /** Starts a join's topology: applies the latest presence, then the signals that came early. */
  start(selfId: string, topology: CallTopology, latest: CallSnapshot | undefined): void {
    this.#selfId = selfId;
    this.#topology = topology;
    if (latest) this.apply(latest);
    for (const s of this.#early.splice(0)) this.signal(s, false);
  }

  /** A presence snapshot (ours excluded). */
  apply(snapshot: CallSnapshot): void {
    const others = snapshot.participants.filter((p) => p.id !== this.#selfId);
    const present = new Set(others.map((p) => p.id));
    const joined: RemoteEntry[] = [];
    const changed: RemoteEntry[] = [];
    for (const info of others) {
      const e = this.#remotes.get(info.id);
      if (!e) {
        const entry: RemoteEntry = { info, stream: undefined, state: 'new' };
        this.#remotes.set(info.id, entry);
        joined.push(entry);
      } else {
        const before = e.info;
        e.info = info;
        if (before.audio !== info.audio || before.video !== info.video || before.screen !== info.screen) changed.push(e);
      }
    }
    const left = [...this.#remotes.values()].filter((e) => !present.has(e.info.id));
    // The topology closes the links of those who left (reporting their tracks removed) first.
    this.#topology?.updateParticipants(others);
    for (const e of left) {
      this.#remotes.delete(e.info.id);
      this.#emit('participantLeft', view(e));
    }
    for (const e of joined) this.#emit('participantJoined', view(e));
    for (const e of changed) this.#emit('muteChanged', view(e));
  }

  /**
   * A signal: to the topology when it is ours; kept for a moment when `early` (an offer may
   * arrive between our join's RECEIPT and the topology).
   */
  signal(signal: IncomingSignal, early: boolean): void {
    if (this.#topology) {
      if (signal.to === this.#selfId) this.#topology.handleSignal(signal);
    } else if (early) {
      if (this.#early.length >= MAX_EARLY_SIGNALS) this.#early.shift();
      this.#early.push(signal);
    }
  }

  /**
   * Where the topology of one join reports; nothing of an older join gets through.
   * @param live - whether that join is still the current one
   * @param needsRejoin - ICE restarts could not restore a connection
   */
  listener(live: () => boolean, needsRejoin: () => void): TopologyListener {
    return {
      trackAdded: (id, track, stream) => {
        if (!live()) return;
        const e = this.#remotes.get(id);
        if (e && stream) e.stream = stream;
        this.#emit('trackAdded', id, track, stream);
      },
      // Reported even while closing: a view must drop the track whatever comes next.
      trackRemoved: (id, track) => this.#emit('trackRemoved', id, track),
      peerStateChanged: (id, state) => {
        if (!live()) return;
        const e = this.#remotes.get(id);
        if (e) e.state = state;
        this.#emit('peerStateChanged', id, state);
      },
      iceError: (id, code, url) => {
        if (!live()) return;
        this.#emit('iceError', id, code, url);
        // 401 from TURN: our credentials may have expired (a laptop that slept past `ttl`).
        // Fetch new ones and restart ICE, at most once a minute.
        const now = this.#clock.now();
        if (code === 401 && now - this.#lastForcedIceRefresh >= 60_000) {
          this.#lastForcedIceRefresh = now;
          this.#refreshIce();
        }
      },
      needsRejoin: () => {
        if (live()) needsRejoin();
      },
      negotiationNote: (id, note) => {
        if (live()) this.#emit('negotiation', id, note);
      },
      warning: () => undefined,
    };
  }

  /** Closes the topology; everyone is reported gone. Early signals are dropped. */
  close(): void {
    const topology = this.#topology;
    this.#topology = this.#selfId = undefined;
    this.#early = [];
    topology?.close();
    for (const e of [...this.#remotes.values()]) {
      this.#remotes.delete(e.info.id);
      this.#emit('participantLeft', view(e));
    }
  }
}

function view(e: RemoteEntry): CallParticipant {
  return { ...e.info, stream: e.stream, connectionState: e.state };
}

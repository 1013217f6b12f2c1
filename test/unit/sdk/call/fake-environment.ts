import type { Unsubscribe } from '../../../../sdk/events.js';
import type { CallSignalling } from '../../../../sdk/call/call-signalling.js';
import type { CallJoinResult, CallParticipantInfo, CallSnapshot, IceServersResponse, IncomingSignal, MediaFlags, SignalPayload } from '../../../../sdk/call/types.js';
import type { PeerConnectionLike, WebRtcEnvironment } from '../../../../sdk/call/webrtc-environment.js';
import { FakePeerConnection, FakeTrack } from './fake-peer-connection.js';

/** A MediaStream stand-in holding FakeTracks. */
export function fakeStream(tracks: FakeTrack[]): MediaStream {
  const list = [...tracks];
  return {
    id: 'local',
    getTracks: () => [...list],
    getAudioTracks: () => list.filter((t) => t.kind === 'audio'),
    getVideoTracks: () => list.filter((t) => t.kind === 'video'),
    addTrack: (t: FakeTrack) => void list.push(t),
    removeTrack: (t: FakeTrack) => void list.splice(list.indexOf(t), 1),
  } as unknown as MediaStream;
}

/** A browser stand-in: fake peer connections and devices, a network-change trigger, and a log of what happened when. */
export function fakeEnvironment(log: string[]): WebRtcEnvironment & { pcs: FakePeerConnection[]; networkChanged(): void } {
  const pcs: FakePeerConnection[] = [];
  const listeners = new Set<() => void>();
  let n = 0;
  return {
    pcs,
    networkChanged: () => listeners.forEach((l) => l()),
    createPeerConnection: (config) => {
      log.push('pc-created');
      const pc = new FakePeerConnection(`pc${++n}`, config);
      pcs.push(pc);
      return pc as unknown as PeerConnectionLike;
    },
    mediaDevices: {
      getUserMedia: async (c) => {
        log.push('getUserMedia');
        return fakeStream([...(c.audio ? [new FakeTrack(`mic${++n}-audio`, 'audio')] : []), ...(c.video ? [new FakeTrack(`cam${++n}-video`, 'video')] : [])]);
      },
      getDisplayMedia: async () => fakeStream([new FakeTrack('screen-video', 'video')]),
      enumerateDevices: async () => [],
    },
    onNetworkChange: (l): Unsubscribe => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

export const participant = (id: string, order: number, media: Partial<MediaFlags> = {}): CallParticipantInfo => ({
  id,
  order,
  user: { id: `u_${id}`, nickname: id },
  audio: true,
  video: true,
  screen: false,
  ...media,
});

/** CallSignalling driven by the test: scripted joins, recorded sends, pushed presence and signals. */
export class FakeSignalling implements CallSignalling {
  callState: CallSnapshot | undefined;
  readonly joins: Array<Pick<MediaFlags, 'audio' | 'video'>> = [];
  readonly media: Array<Partial<MediaFlags>> = [];
  readonly sent: Array<{ to: string; payload: SignalPayload }> = [];
  leaves = 0;
  nextJoin: Array<() => Promise<CallJoinResult>> = [];
  ice: () => Promise<IceServersResponse> = async () => ({ ttl: 3600, iceServers: [{ urls: ['turn:127.0.0.1:3478'], username: '1:u', credential: 'c' }] });
  readonly #state = new Set<(s: CallSnapshot) => void>();
  readonly #signals = new Set<(s: IncomingSignal) => void>();

  constructor(private readonly log: string[]) {}

  async join(media: Pick<MediaFlags, 'audio' | 'video'>): Promise<CallJoinResult> {
    this.log.push('join');
    this.joins.push(media);
    const next = this.nextJoin.shift();
    if (!next) throw new Error('unexpected join');
    return next();
  }
  async leave(): Promise<void> {
    this.leaves++;
  }
  setMedia(media: Partial<MediaFlags>): void {
    this.media.push(media);
  }
  signal(to: string, payload: SignalPayload): void {
    this.sent.push({ to, payload });
  }
  onCallState(l: (s: CallSnapshot) => void): Unsubscribe {
    this.#state.add(l);
    return () => this.#state.delete(l);
  }
  onSignal(l: (s: IncomingSignal) => void): Unsubscribe {
    this.#signals.add(l);
    return () => this.#signals.delete(l);
  }
  async iceServers(): Promise<IceServersResponse> {
    this.log.push('ice-requested');
    const r = await this.ice();
    this.log.push('ice-received');
    return r;
  }
  announce(participants: CallParticipantInfo[]): void {
    this.callState = { roomId: 1, participants, maxParticipants: 4 };
    for (const l of [...this.#state]) l(this.callState);
  }
  deliver(signal: IncomingSignal): void {
    for (const l of [...this.#signals]) l(signal);
  }
}

// The browser side of the video e2e tests: a real ChatClient, `room.call()` and the widget's
// <chat-call-panel>, driven through `window.parleyTest`. Bundled by support/page-server.ts.
import { ChatClient } from '../../../../sdk/chat-client.js';
import type { CallSession } from '../../../../sdk/call/call-session.js';
import type { IceServersResponse } from '../../../../sdk/call/types.js';
import { browserEnvironment } from '../../../../sdk/call/webrtc-environment.js';
import type { MediaDevicesLike, WebRtcEnvironment } from '../../../../sdk/call/webrtc-environment.js';
import { peerStats } from './peer-stats.js';
import type { PeerStats } from './peer-stats.js';
// A named import: package.json's `sideEffects` does not list the panel's define file, so a bare
// import would be tree-shaken away.
import { ChatCallPanel } from '../../../../widget/call-panel/call-panel.js';
import { registerTranslation } from '../../../../widget/localize/localize.js';
import en from '../../../../widget/localize/translations/en.js';
import ko from '../../../../widget/localize/translations/ko.js';

// Standalone, the panel needs the widget's texts (<chat-room>'s define file registers them).
registerTranslation(en, ko);

export type { PeerStats } from './peer-stats.js';

export interface StartOptions {
  api: string;
  nickname: string;
  roomId: number;
  policy?: RTCIceTransportPolicy;
  audio?: boolean;
  video?: boolean;
  /** ICE servers to use instead of `GET /api/ice-servers` (the expired-credential test). */
  iceOverride?: IceServersResponse;
  /** Open the devices before joining, so that publishing later is instant (the glare test). */
  prewarm?: boolean;
  /** `lang` of the panel (default: the page's, `en`). */
  lang?: string;
}

const VIDEO = { width: 320, height: 240, frameRate: 15 };

let call: CallSession | undefined;
let panel: ChatCallPanel | undefined;
let joinStartedAt = 0;
let joinedAt: number | undefined;
/** Per nickname: wall-clock time (ms since the epoch) of the first decoded video frame from them. */
const firstFrameAt: Record<string, number> = {};
/** Per nickname: when the peer connection to them first reached `connected`. */
const connectedAt: Record<string, number> = {};
const notes: string[] = [];
const iceErrors: Array<{ code: number; url: string }> = [];
const errors: string[] = [];
let joinError: string | undefined;

function prewarmed(warm: MediaStream): MediaDevicesLike {
  return {
    getUserMedia: async (c) => {
      const tracks: MediaStreamTrack[] = [];
      if (c.audio) tracks.push(warm.getAudioTracks()[0]!.clone());
      if (c.video) tracks.push(warm.getVideoTracks()[0]!.clone());
      return new MediaStream(tracks);
    },
    enumerateDevices: () => navigator.mediaDevices.enumerateDevices(),
  };
}

function stats(): Promise<PeerStats[]> {
  return call ? peerStats(call) : Promise.resolve([]);
}

/** Records, per nickname, when the first video frame from them was decoded here. */
function watchFirstFrames(): void {
  const timer = setInterval(() => {
    if (call?.state === 'left') return clearInterval(timer);
    void stats().then((list) => {
      for (const s of list) if (s.framesDecoded > 0 && firstFrameAt[s.nickname] === undefined) firstFrameAt[s.nickname] = Date.now();
    });
  }, 25);
}

const api = {
  async start(o: StartOptions): Promise<{ participantId: string | undefined; state: string; error: string | undefined; issue: string | undefined }> {
    const client = new ChatClient({ url: o.api, nickname: o.nickname, transport: 'websocket' });
    await client.connect();
    const room = await client.join(o.roomId);
    let environment: WebRtcEnvironment = browserEnvironment();
    if (o.prewarm) {
      const warm = await navigator.mediaDevices.getUserMedia({ audio: true, video: VIDEO });
      environment = { ...environment, mediaDevices: prewarmed(warm) };
    }
    const override = o.iceOverride;
    call = await room.call({
      iceTransportPolicy: o.policy ?? 'all',
      videoConstraints: VIDEO,
      environment,
      ...(override ? { iceServers: async () => override } : {}),
    });
    call.on('negotiation', (id, note) => notes.push(`${id}:${note}`));
    call.on('peerStateChanged', (id, state) => {
      const who = call?.participants.find((p) => p.id === id)?.user.nickname;
      if (state === 'connected' && who !== undefined && connectedAt[who] === undefined) connectedAt[who] = Date.now();
    });
    call.on('iceError', (_id, code, url) => iceErrors.push({ code, url }));
    call.on('error', (e) => errors.push(e.code));
    if (!customElements.get('chat-call-panel')) customElements.define('chat-call-panel', ChatCallPanel);
    panel = document.createElement('chat-call-panel');
    panel.joinOptions = { audio: o.audio ?? true, video: o.video ?? true };
    if (o.lang) panel.setAttribute('lang', o.lang);
    panel.session = call;
    panel.addEventListener('chat-call-error', (e) => {
      joinError = (e as CustomEvent<{ code: string }>).detail.code;
    });
    document.body.append(panel);
    joinStartedAt = Date.now();
    watchFirstFrames();
    await panel.join();
    joinedAt = Date.now();
    return { participantId: call.self?.participantId, state: call.state, error: joinError, issue: call.localMedia.issue };
  },
  stats,
  /** When join() was called and resolved, and when the first frame from each nickname was decoded (ms since the epoch). */
  timing: () => ({ joinStartedAt, joinedAt, connectedAt: { ...connectedAt }, firstFrameAt: { ...firstFrameAt } }),
  diagnostics: () => ({ notes: [...notes], iceErrors: [...iceErrors], errors: [...errors], state: call?.state }),
  /** What a person sees in the panel: each remote tile's name, whether its video plays, and its accessible label. */
  view: () => {
    const root = panel?.shadowRoot;
    if (!root) return { tiles: [], notices: [] as string[] };
    const tiles = [...root.querySelectorAll<HTMLElement>('[data-participant-id]')].map((li) => {
      const v = li.querySelector('video')!;
      return { nickname: v.dataset['nickname'] ?? '', playing: !v.paused && v.videoWidth > 0 && v.readyState >= 2, label: li.getAttribute('aria-label') ?? '' };
    });
    const notices = [...root.querySelectorAll('[part~="notice"]')].map((n) => n.textContent?.trim() ?? '');
    return { tiles, notices };
  },
  /** Turns camera and microphone on at a wall-clock instant (ms since the epoch). */
  publishAt: (at: number): Promise<number> =>
    new Promise((resolve, reject) => {
      setTimeout(() => {
        const c = call!;
        const started = Date.now();
        Promise.all([c.setCameraEnabled(true), c.setMicrophoneEnabled(true)]).then(() => resolve(started), reject);
      }, Math.max(0, at - Date.now()));
    }),
  leave: async (): Promise<void> => {
    await call?.leave();
  },
};

declare global {
  interface Window {
    parleyTest: typeof api;
  }
}
window.parleyTest = api;

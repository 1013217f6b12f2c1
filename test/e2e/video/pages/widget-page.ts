// The browser side of the widget video test: the real <chat-room> (the way a page embeds it),
// pointed at a video room; the test reads the call through the panel it shows.
// Imported for its effect too: it registers <chat-room>.
import '../../../../widget/chat-room/chat-room.js';
import type { ChatRoom } from '../../../../widget/chat-room/chat-room.js';
import type { ChatCallPanel } from '../../../../widget/call-panel/call-panel.component.js';
import type { CallSession } from '../../../../sdk/call/call-session.js';
import { peerStats } from './peer-stats.js';
import type { PeerStats } from './peer-stats.js';

let room: ChatRoom | undefined;

function panel(): ChatCallPanel | null {
  return room?.shadowRoot?.querySelector('chat-call-panel') ?? null;
}

function session(): CallSession | undefined {
  return panel()?.session as CallSession | undefined;
}

const api = {
  mount(o: { api: string; nickname: string; roomId: number; lang?: string }): void {
    room = document.createElement('chat-room') as ChatRoom;
    room.server = o.api;
    room.nickname = o.nickname;
    room.room = o.roomId;
    if (o.lang) room.setAttribute('lang', o.lang);
    room.style.setProperty('--chat-height', '100vh');
    document.body.append(room);
  },
  /** The call's state as the panel holds it (`undefined` before the panel and its session exist). */
  callState: (): string | undefined => session()?.state,
  stats: (): Promise<PeerStats[]> => {
    const s = session();
    return s ? peerStats(s) : Promise.resolve([]);
  },
  /** Remote tiles in the panel: name and whether the video plays. */
  tiles: (): Array<{ nickname: string; playing: boolean }> =>
    [...(panel()?.shadowRoot?.querySelectorAll<HTMLElement>('[data-participant-id] video') ?? [])].map((v) => ({
      nickname: (v as HTMLVideoElement).dataset['nickname'] ?? '',
      playing: !(v as HTMLVideoElement).paused && (v as HTMLVideoElement).videoWidth > 0,
    })),
};

declare global {
  interface Window {
    parleyWidget: typeof api;
  }
}
window.parleyWidget = api;

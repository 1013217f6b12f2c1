import { LitElement, html, nothing, svg } from 'lit';
import type { PropertyValues, SVGTemplateResult, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CallJoinOptions, CallParticipant, CallSession, Unsubscribe } from '../../sdk/index.js';
import { LocalizeController, callTranslationFor, registerCallTranslation } from '../localize/localize.js';
import type { CallTranslation } from '../localize/localize.js';
import callEn from '../localize/translations/call-en.js';
import callKo from '../localize/translations/call-ko.js';
import styles from './call-panel.styles.js';

/** The part of a `CallSession` the panel uses (stories pass a fake with this shape). */
export type CallSessionLike = Pick<
  CallSession,
  | 'state'
  | 'self'
  | 'participants'
  | 'localMedia'
  | 'maxParticipants'
  | 'canShareScreen'
  | 'on'
  | 'join'
  | 'leave'
  | 'setMicrophoneEnabled'
  | 'setCameraEnabled'
  | 'switchDevice'
  | 'devices'
  | 'startScreenShare'
  | 'stopScreenShare'
>;

/** Parts of `<chat-call-panel>`. */
export const CALL_PANEL_PARTS = ['grid', 'tile', 'toolbar', 'notice'] as const;

const icon = (d: string): SVGTemplateResult => svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${d}></path></svg>`;
const ICONS = {
  mic: 'M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1A7 7 0 0 0 19 11z',
  micOff: 'M19 11h-2a5 5 0 0 1-.6 2.3l1.5 1.5A7 7 0 0 0 19 11zM15 11V5a3 3 0 0 0-5.9-.8L15 10.1zM4.3 3 3 4.3l6 6V11a3 3 0 0 0 4.5 2.6l1.6 1.6A5 5 0 0 1 7 11H5a7 7 0 0 0 6 6.9V21h2v-3.1a7 7 0 0 0 3.5-1.4l3.2 3.2 1.3-1.3z',
  cam: 'M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11z',
  camOff: 'M21 6.5l-4 4V7a1 1 0 0 0-1-1H9.8L21 17.2zM3.3 2 2 3.3 4.7 6H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12c.2 0 .4-.1.5-.2l3.2 3.2 1.3-1.3z',
  screen: 'M20 18a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2H4a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2H0v2h24v-2zM4 6h16v10H4z',
  gear: 'M19.4 13a7.5 7.5 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7 7 0 0 0-1.7-1L15 3h-4l-.4 2.9a7 7 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.5 7.5 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1a7 7 0 0 0 1.7 1L11 21h4l.4-2.9a7 7 0 0 0 1.7-1l2.5 1 2-3.5zM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z',
  leave: 'M12 9c-1.6 0-3.2.3-4.6.7v3.1c0 .4-.2.7-.6.9-1 .5-1.9 1.1-2.6 1.8a1 1 0 0 1-1.4 0L.3 13a1 1 0 0 1 0-1.4A16.9 16.9 0 0 1 12 7c4.6 0 8.7 1.8 11.7 4.6a1 1 0 0 1 0 1.4l-2.5 2.5a1 1 0 0 1-1.4 0c-.7-.7-1.6-1.3-2.6-1.8a1 1 0 0 1-.6-.9V9.7A15 15 0 0 0 12 9z',
};

function initial(name: string): string {
  return [...name.trim()][0]?.toUpperCase() ?? '?';
}

/**
 * @summary A video call: a grid of the participants' videos with their names and mute marks,
 * and buttons for the microphone, camera, screen share, devices and leaving. Joining without a
 * camera or with permissions refused falls back to audio-only or view-only and says so; when the
 * browser blocks autoplay, a "tap to play" button appears. Texts: `CallTranslation` (English and
 * Korean built in, more with `registerCallTranslation`) in the host's or the page's `lang`.
 *
 * @event chat-call-joined - `{ participantId }` once in the call
 * @event chat-call-left - `{}` after leaving (button or `leave()`)
 * @event chat-call-error - `{ code, message }` when joining or a device change failed
 *
 * @csspart grid - the list of participant tiles
 * @csspart tile - one participant
 * @csspart toolbar - the call controls
 * @csspart notice - messages (fallbacks, errors)
 *
 * @cssproperty --chat-call-tile-min - smallest tile width (default 8.5rem: two tiles side by side from 320 px)
 * @cssproperty --chat-call-tile-min-height - smallest tile height (default 7rem; below it the grid scrolls)
 * @cssproperty --chat-call-tile-bg - tile background behind video and avatars
 * @cssproperty --chat-call-tile-text - text colour on tiles
 */
export class ChatCallPanel extends LitElement {
  static override styles = styles;

  /** The call to show (from `room.call()`). */
  @property({ attribute: false }) session: CallSessionLike | undefined;

  /** Join as soon as a session is set (video rooms). */
  @property({ type: Boolean, attribute: 'auto-join' }) autoJoin = false;

  /** What to publish when joining. Default camera and microphone. */
  @property({ attribute: false }) joinOptions: CallJoinOptions = {};

  @state() private error: string | undefined;
  @state() private needsTap = false;
  @state() private deviceList: MediaDeviceInfo[] = [];

  private readonly localize = new LocalizeController(this);
  #bound: CallSessionLike | undefined;
  #unsubscribe: Unsubscribe[] = [];
  #autoJoined: CallSessionLike | undefined;
  #selfView: { track: MediaStreamTrack; stream: MediaStream } | undefined;

  private get t(): CallTranslation {
    return callTranslationFor(this.localize.lang()) ?? callEn;
  }

  /** Joins the call with `joinOptions`; failures are shown and reported by `chat-call-error`. */
  async join(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.error = undefined;
    try {
      await session.join(this.joinOptions);
      this.#emit('chat-call-joined', { participantId: session.self?.participantId ?? '' });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      this.error = code === 'CALL_FULL' ? this.t.callFull(session.maxParticipants) : this.t.callJoinFailed;
      this.#emit('chat-call-error', { code: typeof code === 'string' ? code : 'INTERNAL', message: this.error });
    }
  }

  /** Leaves the call. */
  async leave(): Promise<void> {
    await this.session?.leave();
    this.#emit('chat-call-left', {});
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The built-in languages, unless the page registered its own for those codes.
    const missing = [callEn, callKo].filter((t) => callTranslationFor(t.$code)?.$code !== t.$code);
    if (missing.length > 0) registerCallTranslation(...missing);
    this.#bind();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unbind();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('session')) this.#bind();
  }

  protected override updated(): void {
    if (this.autoJoin && this.session && this.#autoJoined !== this.session && this.session.state === 'idle') {
      this.#autoJoined = this.session;
      void this.join();
    }
    // Start every video that is not playing; a refusal means autoplay is blocked: ask for a tap.
    for (const v of this.renderRoot.querySelectorAll('video')) {
      if (!v.srcObject || !v.paused) continue;
      v.play().catch((e: unknown) => {
        if ((e as { name?: unknown }).name === 'NotAllowedError') this.needsTap = true;
      });
    }
  }

  #bind(): void {
    if (this.#bound === this.session && this.#unsubscribe.length > 0) return;
    this.#unbind();
    const s = (this.#bound = this.session);
    if (!s || !this.isConnected) return;
    const update = (): void => this.requestUpdate();
    this.#unsubscribe = (
      ['stateChanged', 'participantJoined', 'participantLeft', 'muteChanged', 'trackAdded', 'trackRemoved', 'peerStateChanged', 'localMediaChanged'] as const
    ).map((name) => s.on(name, update));
    this.#unsubscribe.push(
      s.on('error', (e) => {
        this.error = e.code === 'CALL_FULL' ? this.t.callFull(s.maxParticipants) : this.t.callJoinFailed;
      }),
    );
  }

  #unbind(): void {
    this.#unsubscribe.forEach((u) => u());
    this.#unsubscribe = [];
    this.#bound = undefined;
  }

  #emit(name: string, detail: object): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  readonly #tap = (): void => {
    this.needsTap = false;
    for (const v of this.renderRoot.querySelectorAll('video')) {
      v.play().catch(() => {
        this.needsTap = true;
      });
    }
  };

  readonly #toggleMic = async (): Promise<void> => {
    const s = this.session;
    if (!s) return;
    await s.setMicrophoneEnabled(!s.localMedia.audio).catch(() => {
      this.error = this.t.callDeviceFailed;
    });
  };

  readonly #toggleCamera = async (): Promise<void> => {
    const s = this.session;
    if (!s) return;
    await s.setCameraEnabled(!s.localMedia.video).catch(() => {
      this.error = this.t.callDeviceFailed;
    });
  };

  readonly #toggleScreen = async (): Promise<void> => {
    const s = this.session;
    if (!s) return;
    const action = s.localMedia.screen ? s.stopScreenShare() : s.startScreenShare();
    await action.catch(() => {
      this.error = this.t.callScreenShareFailed;
    });
  };

  readonly #devicesToggled = async (event: Event): Promise<void> => {
    if (!(event.target as HTMLDetailsElement).open || !this.session) return;
    this.deviceList = await this.session.devices().catch(() => []);
  };

  readonly #deviceChosen = async (event: Event): Promise<void> => {
    const select = event.target as HTMLSelectElement;
    const kind = select.dataset['kind'] === 'audioinput' ? 'audioinput' : 'videoinput';
    await this.session?.switchDevice(kind, select.value).catch(() => {
      this.error = this.t.callDeviceFailed;
    });
  };

  readonly #leaveClicked = (): void => void this.leave();
  readonly #joinClicked = (): void => void this.join();

  protected override render(): TemplateResult | typeof nothing {
    const s = this.session;
    if (!s) return nothing;
    const t = this.t;
    const error = this.error ? html`<p class="notice error" part="notice" role="alert">${this.error}</p>` : nothing;
    if (s.state === 'idle' || s.state === 'left') {
      return html`${error}${s.state === 'left' && !this.error ? html`<p class="notice" part="notice" role="status">${t.callLeft}</p>` : nothing}
        <div class="toolbar" part="toolbar"><button class="btn btn-primary join" @click=${this.#joinClicked}>${t.callJoin}</button></div>`;
    }
    if (s.state === 'joining') return html`<p class="count" role="status">${t.callJoining}</p>`;
    const local = s.localMedia;
    const others = s.participants;
    return html`
      ${error}
      ${local.issue ? html`<p class="notice" part="notice" role="status">${t.callIssue(local.issue)}</p>` : nothing}
      ${s.state === 'rejoining' ? html`<p class="notice" part="notice" role="status">${t.callRejoining}</p>` : nothing}
      <ul class="grid" part="grid" aria-label=${t.callLabel}>
        ${this.#selfTile()} ${others.map((p) => this.#tile(p))}
        ${others.length === 0 ? html`<li class="tile waiting" part="tile">${t.callWaiting}</li>` : nothing}
      </ul>
      ${this.needsTap ? html`<button class="btn btn-primary tap" @click=${this.#tap}>${t.callTapToPlay}</button>` : nothing}
      <p class="count">${t.callParticipants(others.length + 1, s.maxParticipants)}</p>
      ${this.#toolbar()}
    `;
  }

  #selfTile(): TemplateResult {
    const s = this.session!;
    const t = this.t;
    const m = s.localMedia;
    const track = m.videoTrack;
    const showVideo = track !== undefined;
    // The self-view shows what we send (camera or screen), without our own audio.
    if (track && this.#selfView?.track !== track) this.#selfView = { track, stream: new MediaStream([track]) };
    const label = [t.callYou, m.audio ? '' : t.callMuted, showVideo ? '' : t.callCameraIsOff, m.screen ? t.callSharingScreen : ''].filter(Boolean).join(', ');
    return html`<li class="tile self ${m.screen ? 'screen' : ''}" part="tile" aria-label=${label} data-self>
      <video .srcObject=${showVideo ? (this.#selfView?.stream ?? null) : null} .muted=${true} autoplay playsinline ?hidden=${!showVideo}></video>
      ${showVideo ? nothing : html`<div class="avatar" aria-hidden="true">${initial(t.callYou)}</div>`}
      <div class="caption" aria-hidden="true">
        <span class="name">${t.callYou}</span>
        ${m.audio ? nothing : html`<span class="mark" title=${t.callMuted}>${icon(ICONS.micOff)}</span>`}
        ${m.screen ? html`<span class="mark" title=${t.callSharingScreen}>${icon(ICONS.screen)}</span>` : nothing}
      </div>
    </li>`;
  }

  #tile(p: CallParticipant): TemplateResult {
    const t = this.t;
    const showVideo = (p.video || p.screen) && p.stream !== undefined;
    const stateText = p.connectionState === 'connected' ? '' : p.connectionState === 'failed' ? t.callConnectionFailed : p.connectionState === 'disconnected' ? t.callReconnecting : t.callConnecting;
    const label = [p.user.nickname, p.audio ? '' : t.callMuted, p.video || p.screen ? '' : t.callCameraIsOff, p.screen ? t.callSharingScreen : '', stateText].filter(Boolean).join(', ');
    return html`<li class="tile" part="tile" aria-label=${label} data-participant-id=${p.id}>
      <video .srcObject=${p.stream ?? null} autoplay playsinline data-nickname=${p.user.nickname}></video>
      ${showVideo ? nothing : html`<div class="avatar" aria-hidden="true">${initial(p.user.nickname)}</div>`}
      <div class="caption" aria-hidden="true">
        <span class="name">${p.user.nickname}</span>
        ${p.audio ? nothing : html`<span class="mark" title=${t.callMuted}>${icon(ICONS.micOff)}</span>`}
        ${p.screen ? html`<span class="mark" title=${t.callSharingScreen}>${icon(ICONS.screen)}</span>` : nothing}
        ${stateText ? html`<span class="state">${stateText}</span>` : nothing}
      </div>
    </li>`;
  }

  #toolbar(): TemplateResult {
    const s = this.session!;
    const t = this.t;
    const m = s.localMedia;
    const select = (kind: 'audioinput' | 'videoinput', label: string, current: string | undefined) => {
      const list = this.deviceList.filter((d) => d.kind === kind);
      return html`<label
        >${label}
        <select data-kind=${kind} @change=${this.#deviceChosen} ?disabled=${list.length === 0}>
          ${list.map((d, i) => html`<option value=${d.deviceId} ?selected=${d.deviceId === current}>${d.label || `${label} ${i + 1}`}</option>`)}
        </select></label
      >`;
    };
    return html`<div class="toolbar" part="toolbar" role="toolbar" aria-label=${t.callLabel}>
      <button class="btn btn-icon toggle mic" aria-pressed=${m.audio ? 'true' : 'false'} aria-label=${m.audio ? t.callMicOn : t.callMicOff} title=${m.audio ? t.callMicOn : t.callMicOff} @click=${this.#toggleMic}>
        ${icon(m.audio ? ICONS.mic : ICONS.micOff)}
      </button>
      <button class="btn btn-icon toggle camera" aria-pressed=${m.video ? 'true' : 'false'} aria-label=${m.video ? t.callCameraOn : t.callCameraOff} title=${m.video ? t.callCameraOn : t.callCameraOff} @click=${this.#toggleCamera}>
        ${icon(m.video ? ICONS.cam : ICONS.camOff)}
      </button>
      ${s.canShareScreen
        ? html`<button class="btn btn-icon screen" aria-pressed=${m.screen ? 'true' : 'false'} aria-label=${m.screen ? t.callStopSharing : t.callShareScreen} title=${m.screen ? t.callStopSharing : t.callShareScreen} @click=${this.#toggleScreen}>
            ${icon(ICONS.screen)}
          </button>`
        : nothing}
      <details @toggle=${this.#devicesToggled}>
        <summary class="btn btn-icon" aria-label=${t.callDevices} title=${t.callDevices}>${icon(ICONS.gear)}</summary>
        <div class="device-menu">${select('audioinput', t.callMicrophone, m.audioDeviceId)} ${select('videoinput', t.callCamera, m.videoDeviceId)}</div>
      </details>
      <button class="btn leave" @click=${this.#leaveClicked}>${icon(ICONS.leave)} ${t.callLeave}</button>
    </div>`;
  }
}

// For `<chat-room>`'s lazy loader (`import()` then define the default export).
export default ChatCallPanel;

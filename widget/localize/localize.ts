import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LocalMediaIssue } from '../../sdk/index.js';

/**
 * Every user-facing text of the widget. A language is one file exporting a `Translation`
 * (see `translations/en.ts`); the compiler checks that it has every key. English is the fallback.
 */
export interface Translation {
  /** BCP 47 primary code, e.g. `ko`. */
  readonly $code: string;
  /** The language's own name, e.g. `한국어`. */
  readonly $name: string;
  /** Writing direction. */
  readonly $dir: 'ltr' | 'rtl';

  widgetLabel: string;
  connecting: string;
  connectFailed: string;
  retry: string;

  signInHeading: string;
  nicknameLabel: string;
  nicknameHint: string;
  nicknameInvalid: string;
  signIn: string;

  roomsHeading: string;
  roomsLoading: string;
  roomsEmpty: string;
  roomsLoadFailed: string;
  roomUsers: (count: number, max: number) => string;
  roomUsersLabel: (count: number, max: number) => string;
  roomLocked: string;
  roomFull: string;
  roomKind: (kind: 'chat' | 'video') => string;
  joinRoom: (name: string) => string;
  newRoom: string;

  createRoomHeading: string;
  fieldName: string;
  fieldKind: string;
  fieldMaxUsers: string;
  fieldPassword: string;
  fieldPasswordHint: string;
  create: string;
  creating: string;
  cancel: string;
  nameRequired: string;
  nameTooLong: (max: number) => string;
  nameControl: string;
  maxUsersRange: (min: number, max: number) => string;
  passwordTooLong: (max: number) => string;

  passwordHeading: (room: string) => string;
  passwordLabel: string;
  passwordSubmit: string;
  badPassword: string;
  /** The prompt of a locked room joined without a password (nothing was wrong yet). */
  needsPassword: string;
  roomFullHeading: (room: string) => string;
  roomFullBody: string;
  roomNotFound: string;
  /** Under "this room does not exist": what to do instead. */
  roomNotFoundHint: string;
  roomDeleted: string;
  tryAgain: string;
  backToRooms: string;
  joining: string;

  reconnecting: string;
  offline: string;
  disconnected: string;
  pendingCount: (count: number) => string;

  messagesLabel: string;
  liveRegionLabel: string;
  loadingOlder: string;
  historyStart: string;
  loadOlderFailed: string;
  newMessages: (count: number) => string;
  today: string;
  yesterday: string;
  entered: (name: string) => string;
  left: (name: string) => string;
  /** One line for a run of enter notices: the first name, then how many others. */
  enteredGroup: (names: readonly string[]) => string;
  /** One line for a run of leave notices. */
  leftGroup: (names: readonly string[]) => string;
  you: string;
  sending: string;
  failed: string;
  retrySend: string;
  dismiss: string;
  announce: (name: string, text: string) => string;
  sentAt: (time: string) => string;

  messageLabel: string;
  messagePlaceholder: string;
  composerHint: string;
  send: string;
  typing: (names: readonly string[]) => string;

  membersHeading: (count: number) => string;
  people: string;
  youSuffix: string;
  online: string;
  leaveRoom: string;
  unread: (count: number) => string;

  errorRateLimited: string;
  errorMessageTooLong: string;
  errorQueueFull: string;
  errorNetwork: string;
  errorAuth: string;
  errorGeneric: string;

  /** Header button of a chat room: start a call, or join the one going on (`count` people in it). */
  callStart: string;
  callJoinCount: (count: number) => string;

  /** The mark on an edited message (text, so screen readers say it too). */
  edited: string;
  /** What a deleted message (a tombstone) shows instead of its text. */
  messageDeleted: string;
  /** Accessible name of a message's menu button. */
  messageActions: (sender: string) => string;
  editMessage: string;
  deleteMessage: string;
  kickUser: (name: string) => string;
  muteUser: (name: string) => string;
  banUser: (name: string) => string;
  /** Label of the inline field that edits a message. */
  editLabel: string;
  /** How to leave the inline editor, for screen readers. */
  editHint: string;
  save: string;
  /** The room view after this user was removed (kick or ban). */
  kickedHeading: string;
  /** A ban with an end; `until` is a formatted date and time. */
  bannedUntil: (until: string) => string;
  bannedForever: string;
  /** Under a disabled composer after a send was refused `MUTED`. */
  mutedNotice: string;
  errorNotAllowed: string;
  errorEditWindow: string;
  errorBanned: string;
}

/**
 * The texts of `<chat-call-panel>`. They load with the panel (not with `<chat-room>`), so chat-only
 * pages do not download them; English and Korean are built in. Add a language with
 * {@link registerCallTranslation} next to its {@link Translation}.
 */
export interface CallTranslation {
  /** BCP 47 primary code, e.g. `ko`. */
  readonly $code: string;
  callLabel: string;
  callJoin: string;
  callJoining: string;
  callRejoining: string;
  callLeave: string;
  callLeft: string;
  callMicOn: string;
  callMicOff: string;
  callCameraOn: string;
  callCameraOff: string;
  callShareScreen: string;
  callStopSharing: string;
  callDevices: string;
  callMicrophone: string;
  callCamera: string;
  callYou: string;
  callMuted: string;
  callCameraIsOff: string;
  callSharingScreen: string;
  callConnecting: string;
  callReconnecting: string;
  callConnectionFailed: string;
  callWaiting: string;
  callTapToPlay: string;
  callParticipants: (count: number, max: number) => string;
  callIssue: (issue: LocalMediaIssue) => string;
  callFull: (max: number) => string;
  callJoinFailed: string;
  callDeviceFailed: string;
  callScreenShareFailed: string;}

const translations = new Map<string, Translation>();
const controllers = new Set<LocalizeController>();
let documentObserver: MutationObserver | undefined;

/**
 * Adds languages (or replaces one with the same `$code`). Mounted widgets re-render.
 * @param list - translations to add
 */
export function registerTranslation(...list: Translation[]): void {
  for (const t of list) translations.set(t.$code.toLowerCase(), t);
  for (const c of controllers) c.host.requestUpdate();
}

const callTranslations = new Map<string, CallTranslation>();

/**
 * Adds call-panel languages (or replaces one with the same `$code`). Mounted widgets re-render.
 * @param list - translations to add
 */
export function registerCallTranslation(...list: CallTranslation[]): void {
  for (const t of list) callTranslations.set(t.$code.toLowerCase(), t);
  for (const c of controllers) c.host.requestUpdate();
}

/**
 * The call-panel texts for a BCP 47 tag (exact, primary language, English), if registered.
 * @param lang - e.g. `ko-KR`
 */
export function callTranslationFor(lang: string): CallTranslation | undefined {
  const tag = lang.toLowerCase();
  return callTranslations.get(tag) ?? callTranslations.get(tag.split('-')[0] ?? '') ?? callTranslations.get('en');
}

/** The registered language codes. */
export function availableLanguages(): string[] {
  return [...translations.keys()];
}

/**
 * The translation for a BCP 47 tag: the exact tag, then its primary language, then English.
 * @param lang - e.g. `ko-KR`
 */
export function translationFor(lang: string): Translation {
  const tag = lang.toLowerCase();
  const t = translations.get(tag) ?? translations.get(tag.split('-')[0] ?? '') ?? translations.get('en');
  if (!t) throw new Error('chat-room: the English translation is not registered');
  return t;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function format(lang: string, kind: 'time' | 'date' | 'full'): Intl.DateTimeFormat {
  const key = `${lang}|${kind}`;
  let f = formats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'time'
        ? { hour: 'numeric', minute: '2-digit' }
        : kind === 'date'
          ? { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }
          : { dateStyle: 'medium', timeStyle: 'short' };
    try {
      f = new Intl.DateTimeFormat(lang, options);
    } catch {
      f = new Intl.DateTimeFormat('en', options);
    }
    formats.set(key, f);
  }
  return f;
}

/**
 * Gives a component its language: the host's `lang` attribute, else the page's
 * (`document.documentElement.lang`), else English. Re-renders the host when either changes.
 */
export class LocalizeController implements ReactiveController {
  readonly host: ReactiveControllerHost & HTMLElement;
  #hostObserver: MutationObserver | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {
    controllers.add(this);
    if (!documentObserver && typeof MutationObserver !== 'undefined') {
      documentObserver = new MutationObserver(() => {
        for (const c of controllers) c.host.requestUpdate();
      });
      documentObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    }
    this.#hostObserver ??= new MutationObserver(() => this.host.requestUpdate());
    this.#hostObserver.observe(this.host, { attributes: true, attributeFilter: ['lang'] });
  }

  hostDisconnected(): void {
    controllers.delete(this);
    this.#hostObserver?.disconnect();
  }

  /** The language tag in effect, lower-case. */
  lang(): string {
    return (this.host.getAttribute('lang') || document.documentElement.lang || 'en').toLowerCase();
  }

  /** The translation in effect. */
  get t(): Translation {
    return translationFor(this.lang());
  }

  /** `14:05` / `오후 2:05`. */
  time(date: Date): string {
    return format(this.t.$code, 'time').format(date);
  }

  /** A long date for day separators. */
  date(date: Date): string {
    return format(this.t.$code, 'date').format(date);
  }

  /** Date and time, for tooltips. */
  dateTime(date: Date): string {
    return format(this.t.$code, 'full').format(date);
  }
}

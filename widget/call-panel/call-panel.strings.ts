import type { LocalMediaIssue } from '../../sdk/call/types.js';

/**
 * Every user-facing text of `<chat-call-panel>`. Typed like the widget's `Translation`; to be
 * merged into `localize/translations/{en,ko}.ts` (as `call*` keys) when the widget integrates
 * the panel. English is the fallback.
 */
export interface CallPanelStrings {
  readonly $code: string;
  callLabel: string;
  join: string;
  joining: string;
  rejoining: string;
  leave: string;
  left: string;
  microphoneOn: string;
  microphoneOff: string;
  cameraOn: string;
  cameraOff: string;
  shareScreen: string;
  stopSharing: string;
  devices: string;
  microphone: string;
  camera: string;
  you: string;
  muted: string;
  cameraIsOff: string;
  sharingScreen: string;
  connecting: string;
  reconnecting: string;
  connectionFailed: string;
  waitingForOthers: string;
  tapToPlay: string;
  participants: (count: number, max: number) => string;
  issue: (issue: LocalMediaIssue) => string;
  callFull: (max: number) => string;
  joinFailed: string;
  deviceFailed: string;
  screenShareFailed: string;
}

export const en: CallPanelStrings = {
  $code: 'en',
  callLabel: 'Video call',
  join: 'Join call',
  joining: 'Joining the call…',
  rejoining: 'Connection lost. Rejoining the call…',
  leave: 'Leave call',
  left: 'You left the call.',
  microphoneOn: 'Mute microphone',
  microphoneOff: 'Unmute microphone',
  cameraOn: 'Turn camera off',
  cameraOff: 'Turn camera on',
  shareScreen: 'Share screen',
  stopSharing: 'Stop sharing',
  devices: 'Devices',
  microphone: 'Microphone',
  camera: 'Camera',
  you: 'You',
  muted: 'Microphone off',
  cameraIsOff: 'Camera off',
  sharingScreen: 'Sharing screen',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  connectionFailed: 'Connection failed',
  waitingForOthers: 'Waiting for others to join…',
  tapToPlay: 'Tap to play sound and video',
  participants: (count, max) => `${count} of ${max} in the call`,
  issue: (issue) =>
    ({
      'permission-denied': 'Camera and microphone are blocked, so you joined view-only. Allow them in your browser’s site settings to take part.',
      'camera-denied': 'The camera is blocked, so you joined with audio only.',
      'no-camera': 'No camera was found, so you joined with audio only.',
      'no-microphone': 'No microphone was found, so others cannot hear you.',
      'no-devices': 'No camera or microphone was found, so you joined view-only.',
    })[issue],
  callFull: (max) => `This call is full (${max} people). Try again later.`,
  joinFailed: 'Could not join the call.',
  deviceFailed: 'That device could not be opened.',
  screenShareFailed: 'Screen sharing was not started.',
};

export const ko: CallPanelStrings = {
  $code: 'ko',
  callLabel: '영상 통화',
  join: '통화 참여',
  joining: '통화에 참여하는 중…',
  rejoining: '연결이 끊겼습니다. 통화에 다시 참여하는 중…',
  leave: '통화 나가기',
  left: '통화에서 나갔습니다.',
  microphoneOn: '마이크 끄기',
  microphoneOff: '마이크 켜기',
  cameraOn: '카메라 끄기',
  cameraOff: '카메라 켜기',
  shareScreen: '화면 공유',
  stopSharing: '공유 중지',
  devices: '장치',
  microphone: '마이크',
  camera: '카메라',
  you: '나',
  muted: '마이크 꺼짐',
  cameraIsOff: '카메라 꺼짐',
  sharingScreen: '화면 공유 중',
  connecting: '연결 중…',
  reconnecting: '다시 연결하는 중…',
  connectionFailed: '연결 실패',
  waitingForOthers: '다른 참여자를 기다리는 중…',
  tapToPlay: '눌러서 소리와 영상 재생',
  participants: (count, max) => `${max}명 중 ${count}명 참여 중`,
  issue: (issue) =>
    ({
      'permission-denied': '카메라와 마이크가 차단되어 보기 전용으로 참여했습니다. 참여하려면 브라우저의 사이트 설정에서 허용하세요.',
      'camera-denied': '카메라가 차단되어 음성으로만 참여했습니다.',
      'no-camera': '카메라를 찾을 수 없어 음성으로만 참여했습니다.',
      'no-microphone': '마이크를 찾을 수 없어 다른 사람이 내 목소리를 들을 수 없습니다.',
      'no-devices': '카메라와 마이크를 찾을 수 없어 보기 전용으로 참여했습니다.',
    })[issue],
  callFull: (max) => `통화 인원이 가득 찼습니다(${max}명). 나중에 다시 시도하세요.`,
  joinFailed: '통화에 참여하지 못했습니다.',
  deviceFailed: '그 장치를 열 수 없습니다.',
  screenShareFailed: '화면 공유를 시작하지 않았습니다.',
};

const table = new Map<string, CallPanelStrings>([
  ['en', en],
  ['ko', ko],
]);

/**
 * The strings for a BCP 47 tag: exact tag, primary language, then English.
 * @param lang - e.g. `ko-KR`
 */
export function callPanelStrings(lang: string): CallPanelStrings {
  const tag = lang.toLowerCase();
  return table.get(tag) ?? table.get(tag.split('-')[0] ?? '') ?? en;
}

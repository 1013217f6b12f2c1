import type { CallTranslation } from '../localize.js';

/** Korean texts of the call panel. */
const ko: CallTranslation = {
  $code: 'ko',
  callLabel: '영상 통화',
  callJoin: '통화 참여',
  callJoining: '통화에 참여하는 중…',
  callRejoining: '연결이 끊겼습니다. 통화에 다시 참여하는 중…',
  callLeave: '통화 나가기',
  callLeft: '통화에서 나갔습니다.',
  callMicOn: '마이크 끄기',
  callMicOff: '마이크 켜기',
  callCameraOn: '카메라 끄기',
  callCameraOff: '카메라 켜기',
  callShareScreen: '화면 공유',
  callStopSharing: '공유 중지',
  callDevices: '장치',
  callMicrophone: '마이크',
  callCamera: '카메라',
  callYou: '나',
  callMuted: '마이크 꺼짐',
  callCameraIsOff: '카메라 꺼짐',
  callSharingScreen: '화면 공유 중',
  callConnecting: '연결 중…',
  callReconnecting: '다시 연결하는 중…',
  callConnectionFailed: '연결 실패',
  callWaiting: '다른 참여자를 기다리는 중…',
  callTapToPlay: '눌러서 소리와 영상 재생',
  callParticipants: (count, max) => `${max}명 중 ${count}명 참여 중`,
  callIssue: (issue) =>
    ({
      'permission-denied': '카메라와 마이크가 차단되어 보기 전용으로 참여했습니다. 참여하려면 브라우저의 사이트 설정에서 허용하세요.',
      'camera-denied': '카메라가 차단되어 음성으로만 참여했습니다.',
      'no-camera': '카메라를 찾을 수 없어 음성으로만 참여했습니다.',
      'no-microphone': '마이크를 찾을 수 없어 다른 사람이 내 목소리를 들을 수 없습니다.',
      'no-devices': '카메라와 마이크를 찾을 수 없어 보기 전용으로 참여했습니다.',
    })[issue],
  callFull: (max) => `통화 인원이 가득 찼습니다(${max}명). 나중에 다시 시도하세요.`,
  callJoinFailed: '통화에 참여하지 못했습니다.',
  callDeviceFailed: '그 장치를 열 수 없습니다.',
  callScreenShareFailed: '화면 공유를 시작하지 않았습니다.',
};

export default ko;

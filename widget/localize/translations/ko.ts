import type { Translation } from '../localize.js';

/** 한국어. */
const ko: Translation = {
  $code: 'ko',
  $name: '한국어',
  $dir: 'ltr',

  widgetLabel: '채팅',
  connecting: '연결하는 중…',
  connectFailed: '채팅 서버에 연결하지 못했습니다.',
  retry: '다시 시도',

  signInHeading: '닉네임을 정하세요',
  nicknameLabel: '닉네임',
  nicknameHint: '1~32자, 어떤 언어든 괜찮아요.',
  nicknameInvalid: '1~32자로 입력하세요.',
  signIn: '채팅 시작',

  roomsHeading: '채팅방',
  roomsLoading: '채팅방 목록을 불러오는 중…',
  roomsEmpty: '아직 채팅방이 없습니다. 첫 방을 만들어 보세요.',
  roomsLoadFailed: '채팅방 목록을 불러오지 못했습니다.',
  roomUsers: (count, max) => `${count}/${max}`,
  roomUsersLabel: (count, max) => `${max}명 중 ${count}명`,
  roomLocked: '잠김',
  roomFull: '가득 참',
  roomKind: (kind) => (kind === 'video' ? '영상' : '채팅'),
  joinRoom: (name) => `${name} 입장`,
  newRoom: '새 채팅방',

  createRoomHeading: '채팅방 만들기',
  fieldName: '이름',
  fieldKind: '종류',
  fieldMaxUsers: '최대 인원',
  fieldPassword: '비밀번호',
  fieldPasswordHint: '선택 사항입니다. 비워 두면 누구나 들어올 수 있어요.',
  create: '만들기',
  creating: '만드는 중…',
  cancel: '취소',
  nameRequired: '이름을 입력하세요.',
  nameTooLong: (max) => `${max}자 이하로 입력하세요.`,
  nameControl: '이름에 쓸 수 없는 문자가 있습니다.',
  maxUsersRange: (min, max) => `${min}에서 ${max} 사이의 정수를 입력하세요.`,
  passwordTooLong: (max) => `${max}자 이하로 입력하세요.`,

  passwordHeading: (room) => `‘${room}’ 방은 잠겨 있습니다`,
  passwordLabel: '방 비밀번호',
  passwordSubmit: '입장',
  badPassword: '비밀번호가 틀렸습니다. 다시 입력하세요.',
  needsPassword: '비밀번호가 필요한 방입니다.',
  roomFullHeading: (room) => `‘${room}’ 방이 가득 찼습니다`,
  roomFullBody: '빈자리가 없습니다. 잠시 후 다시 시도하거나 다른 방을 고르세요.',
  roomNotFound: '존재하지 않는 채팅방입니다.',
  roomNotFoundHint: '삭제되었거나 잘못된 링크일 수 있어요. 목록에서 방을 골라 주세요.',
  roomDeleted: '방장이 채팅방을 삭제했습니다.',
  tryAgain: '다시 시도',
  backToRooms: '채팅방 목록',
  joining: '입장하는 중…',

  reconnecting: '연결이 끊겼습니다. 다시 연결하는 중…',
  offline: '오프라인입니다. 연결되면 메시지를 보냅니다.',
  disconnected: '채팅 서버와 연결이 끊어졌습니다.',
  pendingCount: (count) => `보내기를 기다리는 메시지 ${count}개`,

  messagesLabel: '메시지',
  liveRegionLabel: '새 메시지',
  loadingOlder: '이전 메시지를 불러오는 중…',
  historyStart: '대화의 시작입니다.',
  loadOlderFailed: '이전 메시지를 불러오지 못했습니다.',
  newMessages: (count) => `새 메시지 ${count}개`,
  today: '오늘',
  yesterday: '어제',
  entered: (name) => `${name} 님이 들어왔습니다`,
  left: (name) => `${name} 님이 나갔습니다`,
  enteredGroup: (names) => `${listNames(names)}이 들어왔습니다`,
  leftGroup: (names) => `${listNames(names)}이 나갔습니다`,
  you: '나',
  sending: '보내는 중…',
  failed: '보내지 못함',
  retrySend: '다시 보내기',
  dismiss: '삭제',
  announce: (name, text) => `${name}: ${text}`,
  sentAt: (time) => `${time}에 보냄`,

  messageLabel: '메시지',
  messagePlaceholder: '메시지를 입력하세요…',
  composerHint: 'Enter로 보내고 Shift+Enter로 줄을 바꿉니다.',
  send: '보내기',
  typing: (names) =>
    names.length === 1
      ? `${names[0]} 님이 입력 중…`
      : names.length === 2
        ? `${names[0]} 님과 ${names[1]} 님이 입력 중…`
        : '여러 명이 입력 중…',

  membersHeading: (count) => `참여자 (${count})`,
  people: '참여자',
  youSuffix: '(나)',
  online: '접속 중',
  leaveRoom: '방 나가기',
  unread: (count) => `읽지 않은 메시지 ${count}개`,

  errorRateLimited: '메시지를 너무 빨리 보내고 있습니다. 잠시 기다리세요.',
  errorMessageTooLong: '메시지가 너무 깁니다.',
  errorQueueFull: '보내기를 기다리는 메시지가 너무 많습니다.',
  errorNetwork: '채팅 서버에 연결할 수 없습니다.',
  errorAuth: '로그인하지 못했습니다.',
  errorGeneric: '문제가 발생했습니다.',

  callStart: '통화 시작',
  callJoinCount: (count) => `통화 참여 (${count}명)`,

  edited: '수정됨',
  messageDeleted: '삭제된 메시지입니다',
  messageActions: (sender) => `${sender} 님의 메시지 메뉴`,
  editMessage: '수정',
  deleteMessage: '삭제',
  kickUser: (name) => `${name} 님 내보내기`,
  muteUser: (name) => `${name} 님 10분 동안 채팅 금지`,
  banUser: (name) => `${name} 님 하루 동안 차단`,
  editLabel: '메시지 수정',
  editHint: 'Enter 키로 저장, Esc 키로 취소합니다.',
  save: '저장',
  kickedHeading: '이 방에서 내보내졌습니다',
  bannedUntil: (until) => `${until}까지 이 방에 들어올 수 없습니다.`,
  bannedForever: '이 방에서 차단되어 들어올 수 없습니다.',
  mutedNotice: '이 방에서 채팅이 금지되었습니다. 읽을 수는 있지만 지금은 메시지를 보낼 수 없습니다.',
  errorNotAllowed: '그 작업을 할 권한이 없습니다.',
  errorEditWindow: '너무 오래된 메시지는 수정할 수 없습니다.',
  errorBanned: '이 방에서 차단되었습니다.',
};

export default ko;

/** "민수 님", "민수 님, Alex 님", "민수 님 외 2명" (the caller adds the particle 이). */
function listNames(names: readonly string[]): string {
  if (names.length <= 1) return `${names[0] ?? ''} 님`;
  if (names.length === 2) return `${names[0]} 님, ${names[1]} 님`;
  return `${names[0]} 님 외 ${names.length - 1}명`;
}

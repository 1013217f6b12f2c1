import type { Translation } from '../localize.js';

/** English: the fallback for every missing language. */
const en: Translation = {
  $code: 'en',
  $name: 'English',
  $dir: 'ltr',

  widgetLabel: 'Chat',
  connecting: 'Connecting…',
  connectFailed: 'Could not connect to the chat server.',
  retry: 'Retry',

  signInHeading: 'Choose a nickname',
  nicknameLabel: 'Nickname',
  nicknameHint: '1 to 32 characters, any language.',
  nicknameInvalid: 'Enter 1 to 32 characters.',
  signIn: 'Start chatting',

  roomsHeading: 'Rooms',
  roomsLoading: 'Loading rooms…',
  roomsEmpty: 'No rooms yet. Create the first one.',
  roomsLoadFailed: 'The room list could not be loaded.',
  roomUsers: (count, max) => `${count}/${max}`,
  roomUsersLabel: (count, max) => `${count} of ${max} people`,
  roomLocked: 'Locked',
  roomFull: 'Full',
  roomKind: (kind) => (kind === 'video' ? 'Video' : 'Chat'),
  joinRoom: (name) => `Join ${name}`,
  newRoom: 'New room',

  createRoomHeading: 'Create a room',
  fieldName: 'Name',
  fieldKind: 'Kind',
  fieldMaxUsers: 'Maximum people',
  fieldPassword: 'Password',
  fieldPasswordHint: 'Optional. Leave empty for an open room.',
  create: 'Create',
  creating: 'Creating…',
  cancel: 'Cancel',
  nameRequired: 'Enter a name.',
  nameTooLong: (max) => `Use at most ${max} characters.`,
  nameControl: 'The name contains characters that are not allowed.',
  maxUsersRange: (min, max) => `Enter a whole number from ${min} to ${max}.`,
  passwordTooLong: (max) => `Use at most ${max} characters.`,

  passwordHeading: (room) => `“${room}” is locked`,
  passwordLabel: 'Room password',
  passwordSubmit: 'Join',
  badPassword: 'Wrong password. Try again.',
  needsPassword: 'This room needs a password.',
  roomFullHeading: (room) => `“${room}” is full`,
  roomFullBody: 'Everyone’s seat is taken. Try again in a moment or pick another room.',
  roomNotFound: 'This room does not exist.',
  roomNotFoundHint: 'It may have been deleted, or the link is wrong. Pick a room from the list.',
  roomDeleted: 'This room was deleted by its owner.',
  tryAgain: 'Try again',
  backToRooms: 'Back to rooms',
  joining: 'Joining…',

  reconnecting: 'Connection lost. Reconnecting…',
  offline: 'You are offline. Messages will be sent when you are back.',
  disconnected: 'Disconnected from the chat server.',
  pendingCount: (count) => (count === 1 ? '1 message waiting to be sent.' : `${count} messages waiting to be sent.`),

  messagesLabel: 'Messages',
  liveRegionLabel: 'New messages',
  loadingOlder: 'Loading earlier messages…',
  historyStart: 'This is the start of the conversation.',
  loadOlderFailed: 'Earlier messages could not be loaded.',
  newMessages: (count) => (count === 1 ? '1 new message' : `${count} new messages`),
  today: 'Today',
  yesterday: 'Yesterday',
  entered: (name) => `${name} joined`,
  left: (name) => `${name} left`,
  enteredGroup: (names) => `${listNames(names)} joined`,
  leftGroup: (names) => `${listNames(names)} left`,
  you: 'You',
  sending: 'Sending…',
  failed: 'Not sent',
  retrySend: 'Retry',
  dismiss: 'Remove',
  announce: (name, text) => `${name}: ${text}`,
  sentAt: (time) => `at ${time}`,

  messageLabel: 'Message',
  messagePlaceholder: 'Write a message…',
  composerHint: 'Enter sends. Shift+Enter starts a new line.',
  send: 'Send',
  typing: (names) =>
    names.length === 1
      ? `${names[0]} is typing…`
      : names.length === 2
        ? `${names[0]} and ${names[1]} are typing…`
        : 'Several people are typing…',

  membersHeading: (count) => `People here (${count})`,
  people: 'People',
  youSuffix: '(you)',
  online: 'online',
  leaveRoom: 'Leave room',
  unread: (count) => (count === 1 ? '1 unread message' : `${count} unread messages`),

  errorRateLimited: 'You are sending too fast. Wait a moment.',
  errorMessageTooLong: 'The message is too long.',
  errorQueueFull: 'Too many messages are waiting to be sent.',
  errorNetwork: 'The chat server could not be reached.',
  errorAuth: 'You could not be signed in.',
  errorGeneric: 'Something went wrong.',

  callStart: 'Start a call',
  callJoinCount: (count) => (count === 1 ? 'Join the call (1 person)' : `Join the call (${count} people)`),

  edited: 'edited',
  messageDeleted: 'This message was deleted',
  messageActions: (sender) => `Actions for the message from ${sender}`,
  editMessage: 'Edit',
  deleteMessage: 'Delete',
  kickUser: (name) => `Remove ${name} from the room`,
  muteUser: (name) => `Mute ${name} for 10 minutes`,
  banUser: (name) => `Ban ${name} for a day`,
  editLabel: 'Edit message',
  editHint: 'Enter saves, Escape cancels.',
  save: 'Save',
  kickedHeading: 'You were removed from this room',
  bannedUntil: (until) => `You are banned from this room until ${until}.`,
  bannedForever: 'You are banned from this room.',
  mutedNotice: 'You are muted in this room: you can read, but not send messages for now.',
  errorNotAllowed: 'You are not allowed to do that.',
  errorEditWindow: 'This message is too old to edit.',
  errorBanned: 'You are banned from this room.',
};

export default en;

/** "A", "A and B", "A and 2 others". */
function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length === 2) return `${names[0]} and ${names[1]}`;
  return `${names[0]} and ${names.length - 1} others`;
}

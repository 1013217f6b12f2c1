import type { CallTranslation } from '../localize.js';

/** English texts of the call panel: the fallback. */
const en: CallTranslation = {
  $code: 'en',
  callLabel: 'Video call',
  callJoin: 'Join call',
  callJoining: 'Joining the call…',
  callRejoining: 'Connection lost. Rejoining the call…',
  callLeave: 'Leave call',
  callLeft: 'You left the call.',
  callMicOn: 'Mute microphone',
  callMicOff: 'Unmute microphone',
  callCameraOn: 'Turn camera off',
  callCameraOff: 'Turn camera on',
  callShareScreen: 'Share screen',
  callStopSharing: 'Stop sharing',
  callDevices: 'Devices',
  callMicrophone: 'Microphone',
  callCamera: 'Camera',
  callYou: 'You',
  callMuted: 'Microphone off',
  callCameraIsOff: 'Camera off',
  callSharingScreen: 'Sharing screen',
  callConnecting: 'Connecting…',
  callReconnecting: 'Reconnecting…',
  callConnectionFailed: 'Connection failed',
  callWaiting: 'Waiting for others to join…',
  callTapToPlay: 'Tap to play sound and video',
  callParticipants: (count, max) => `${count} of ${max} in the call`,
  callIssue: (issue) =>
    ({
      'permission-denied': 'Camera and microphone are blocked, so you joined view-only. Allow them in your browser’s site settings to take part.',
      'camera-denied': 'The camera is blocked, so you joined with audio only.',
      'no-camera': 'No camera was found, so you joined with audio only.',
      'no-microphone': 'No microphone was found, so others cannot hear you.',
      'no-devices': 'No camera or microphone was found, so you joined view-only.',
    })[issue],
  callFull: (max) => `This call is full (${max} people). Try again later.`,
  callJoinFailed: 'Could not join the call.',
  callDeviceFailed: 'That device could not be opened.',
  callScreenShareFailed: 'Screen sharing was not started.',
};

export default en;

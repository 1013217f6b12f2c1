import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../../helpers/browser.js';

/** Fake camera and microphone (a test pattern and a beep), permission granted, loopback ICE allowed. */
export const MEDIA_ARGS = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection'];

/** Debian's Chromium with the media flags; only inside the test network namespace (scripts/in-netns.sh). */
export function launchMediaBrowser(): Promise<Browser> {
  if (process.env['PARLEY_NETNS'] !== '1') throw new Error('WebRTC tests run only inside their own network namespace: npm run test:webrtc');
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...MEDIA_ARGS] });
}

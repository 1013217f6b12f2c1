import { describe, expect, it } from 'vitest';
import { openLocalMedia } from '../../../../sdk/call/local-media.js';
import type { MediaDevicesLike } from '../../../../sdk/call/webrtc-environment.js';
import { FakeTrack, domError } from './fake-peer-connection.js';
import { fakeStream } from './fake-environment.js';

/** Devices where the camera and microphone each either work or fail with an error name. */
function devices(mic: 'ok' | string, cam: 'ok' | string): MediaDevicesLike & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async getUserMedia(c: MediaStreamConstraints) {
      asked.push(`${c.audio ? 'A' : ''}${c.video ? 'V' : ''}`);
      const fail = (c.audio && mic !== 'ok' && mic) || (c.video && cam !== 'ok' && cam);
      if (fail) throw domError(fail, fail);
      return fakeStream([...(c.audio ? [new FakeTrack('mic-audio', 'audio')] : []), ...(c.video ? [new FakeTrack('cam-video', 'video')] : [])]);
    },
    async enumerateDevices() {
      return [];
    },
  };
}

describe('opening the camera and microphone with fallbacks', () => {
  it('opens both when both work', async () => {
    const r = await openLocalMedia(devices('ok', 'ok'), true, true);
    expect([r.audio?.kind, r.video?.kind, r.issue]).toEqual(['audio', 'video', undefined]);
  });

  it('falls back to audio-only without a camera', async () => {
    const d = devices('ok', 'NotFoundError');
    const r = await openLocalMedia(d, true, true);
    expect([r.audio?.kind, r.video, r.issue]).toEqual(['audio', undefined, 'no-camera']);
    expect(d.asked).toEqual(['AV', 'A']);
  });

  it('falls back to audio-only when only the camera is refused', async () => {
    const r = await openLocalMedia(devices('ok', 'NotAllowedError'), true, true);
    expect([r.audio?.kind, r.video, r.issue]).toEqual(['audio', undefined, 'camera-denied']);
  });

  it('goes view-only when permission is refused for both', async () => {
    const r = await openLocalMedia(devices('NotAllowedError', 'NotAllowedError'), true, true);
    expect([r.stream, r.issue]).toEqual([undefined, 'permission-denied']);
  });

  it('uses the camera alone when there is no microphone', async () => {
    const r = await openLocalMedia(devices('NotFoundError', 'ok'), true, true);
    expect([r.audio, r.video?.kind, r.issue]).toEqual([undefined, 'video', 'no-microphone']);
  });

  it('goes view-only with no devices at all, and asks for nothing when nothing is wanted', async () => {
    expect((await openLocalMedia(devices('NotFoundError', 'NotFoundError'), true, true)).issue).toBe('no-devices');
    expect((await openLocalMedia(undefined, true, true)).issue).toBe('no-devices');
    const d = devices('ok', 'ok');
    expect(await openLocalMedia(d, false, false)).toEqual({ stream: undefined, audio: undefined, video: undefined, issue: undefined });
    expect(d.asked).toEqual([]);
  });
});

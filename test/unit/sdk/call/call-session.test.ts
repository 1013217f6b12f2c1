import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallSession } from '../../../../sdk/call/call-session.js';
import type { CallSessionOptions } from '../../../../sdk/call/call-session.js';
import type { CallState } from '../../../../sdk/call/types.js';
import { ParleyError } from '../../../../sdk/errors.js';
import { FakeSignalling, fakeEnvironment, participant } from './fake-environment.js';
import type { FakePeerConnection } from './fake-peer-connection.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function setup(options: Partial<CallSessionOptions> = {}) {
  const log: string[] = [];
  const env = fakeEnvironment(log);
  const sig = new FakeSignalling(log);
  const call = new CallSession({ signalling: sig, environment: env, ...options });
  const states: CallState[] = [];
  call.on('stateChanged', (s) => states.push(s));
  return { log, env, sig, call, states };
}

/** Answers every offer the session sent to `from` and not yet answered (as the remote browser would). */
function answerOffers(sig: FakeSignalling, from: string, answered: Set<unknown>, to = 'me'): number {
  let n = 0;
  for (const s of sig.sent) {
    if (s.to !== from || s.payload.description?.type !== 'offer' || answered.has(s)) continue;
    answered.add(s);
    n++;
    sig.deliver({ roomId: 1, from, fromUser: { id: `u_${from}`, nickname: from }, to, description: { type: 'answer', sdp: JSON.stringify({ tracks: [`${from}-video`], ufrag: `${from}-u${n}` }) } });
  }
  return n;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('CallSession', () => {
  it('fetches the ICE servers before joining and before the first peer connection, then offers to those already present', async () => {
    const { log, env, sig, call } = setup();
    let releaseIce!: () => void;
    sig.ice = () =>
      new Promise((resolve) => {
        releaseIce = () => resolve({ ttl: 3600, iceServers: [{ urls: ['turn:127.0.0.1:3478?transport=udp'], username: '99:u_me', credential: 'secret' }] });
      });
    sig.nextJoin.push(async () => {
      sig.announce([participant('p1', 1), participant('me', 2)]);
      return { participantId: 'me', order: 2 };
    });
    const joining = call.join();
    await sleep(20);
    expect(log).not.toContain('join');
    expect(env.pcs).toHaveLength(0);
    releaseIce();
    await joining;
    expect(call.state).toBe('joined');
    expect(log.indexOf('ice-received')).toBeLessThan(log.indexOf('join'));
    expect(log.indexOf('join')).toBeLessThan(log.indexOf('pc-created'));
    expect(env.pcs[0]!.config.iceServers).toEqual([{ urls: ['turn:127.0.0.1:3478?transport=udp'], username: '99:u_me', credential: 'secret' }]);
    expect(sig.joins).toEqual([{ audio: true, video: true }]);
    await vi.waitFor(() => expect(sig.sent.some((s) => s.to === 'p1' && s.payload.description?.type === 'offer')).toBe(true));
    expect(call.participants.map((p) => p.id)).toEqual(['p1']);
    await call.leave();
  });

  it('rejects with a typed CALL_FULL when the server refuses, releasing the devices', async () => {
    const { env, sig, call } = setup();
    sig.nextJoin.push(async () => {
      throw new ParleyError('CALL_FULL', 'The call is full');
    });
    const tracks: Array<{ readyState: string }> = [];
    call.on('localMediaChanged', (m) => m.stream?.getTracks().forEach((t) => tracks.push(t as unknown as { readyState: string })));
    const error = await call.join().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ParleyError);
    expect((error as ParleyError).code).toBe('CALL_FULL');
    expect(call.state).toBe('left');
    expect(env.pcs).toHaveLength(0);
    expect(tracks.length).toBeGreaterThan(0);
    expect(tracks.every((t) => t.readyState === 'ended')).toBe(true);
  });

  it('refuses with CALL_FULL past its own mesh cap and leaves the call', async () => {
    const { sig, call } = setup({ maxParticipants: 2 });
    sig.nextJoin.push(async () => {
      sig.announce([participant('p1', 1), participant('p2', 2), participant('me', 3)]);
      return { participantId: 'me', order: 3 };
    });
    await expect(call.join()).rejects.toMatchObject({ code: 'CALL_FULL' });
    expect(sig.leaves).toBe(1);
  });

  it('as an earlier joiner it waits for the newcomer\'s offer, answers it and reports its tracks', async () => {
    const { env, sig, call } = setup();
    sig.nextJoin.push(async () => {
      sig.announce([participant('me', 1)]);
      return { participantId: 'me', order: 1 };
    });
    await call.join();
    const joined: string[] = [];
    const tracks: string[] = [];
    call.on('participantJoined', (p) => joined.push(p.id));
    call.on('trackAdded', (id, t) => tracks.push(`${id}:${t.id}`));
    sig.announce([participant('me', 1), participant('p2', 2)]);
    await sleep(20);
    expect(joined).toEqual(['p2']);
    expect(env.pcs).toHaveLength(0);
    sig.deliver({ roomId: 1, from: 'p2', fromUser: { id: 'u_p2', nickname: 'p2' }, to: 'me', description: { type: 'offer', sdp: JSON.stringify({ tracks: ['p2-audio', 'p2-video'], ufrag: 'p2-u0' }) } });
    await vi.waitFor(() => expect(sig.sent.some((s) => s.to === 'p2' && s.payload.description?.type === 'answer')).toBe(true));
    expect(env.pcs).toHaveLength(1);
    expect(tracks).toEqual(['p2:p2-audio', 'p2:p2-video']);
    // A signal for someone else (a stale participant id of ours) is not acted on.
    sig.deliver({ roomId: 1, from: 'p3', fromUser: { id: 'u_p3', nickname: 'p3' }, to: 'old-me', description: { type: 'offer', sdp: '{}' } });
    await sleep(10);
    expect(env.pcs).toHaveLength(1);
    const left: string[] = [];
    const removed: string[] = [];
    call.on('participantLeft', (p) => left.push(p.id));
    call.on('trackRemoved', (id, t) => removed.push(`${id}:${t.id}`));
    sig.announce([participant('me', 1)]);
    expect(left).toEqual(['p2']);
    expect(removed).toEqual(['p2:p2-audio', 'p2:p2-video']);
    expect(env.pcs[0]!.signalingState).toBe('closed');
    await call.leave();
  });

  it('joins again as a newcomer when the server no longer lists it (the chat connection dropped)', async () => {
    const { env, sig, call, states } = setup();
    sig.nextJoin.push(async () => {
      sig.announce([participant('p1', 1), participant('me', 2)]);
      return { participantId: 'me', order: 2 };
    });
    await call.join();
    sig.nextJoin.push(async () => {
      sig.announce([participant('p1', 1), participant('me-again', 3)]);
      return { participantId: 'me-again', order: 3 };
    });
    sig.announce([participant('p1', 1)]);
    await vi.waitFor(() => expect(call.state).toBe('joined'));
    expect(states).toEqual(['joining', 'joined', 'rejoining', 'joined']);
    expect(call.self?.participantId).toBe('me-again');
    expect(sig.joins).toHaveLength(2);
    expect(env.pcs[0]!.signalingState).toBe('closed');
    expect(env.pcs).toHaveLength(2);
    await call.leave();
  });

  it('restarts ICE when a connection fails, and re-joins when the restarts do not bring it back', async () => {
    vi.useFakeTimers();
    const { env, sig, call, states } = setup({ recovery: { maxIceRestarts: 2, iceRestartTimeoutMs: 1000, connectTimeoutMs: 60_000 } });
    sig.nextJoin.push(async () => {
      sig.announce([participant('p1', 1), participant('me', 2)]);
      return { participantId: 'me', order: 2 };
    });
    const joining = call.join();
    await vi.advanceTimersByTimeAsync(10);
    await joining;
    const answered = new Set<unknown>();
    await vi.advanceTimersByTimeAsync(10);
    expect(answerOffers(sig, 'p1', answered)).toBe(1);
    await vi.advanceTimersByTimeAsync(10);
    const pc = env.pcs[0]! as FakePeerConnection;
    pc.setConnectionState('connected');
    pc.setConnectionState('failed');
    await vi.advanceTimersByTimeAsync(10);
    expect(pc.restarts).toBe(1);
    answerOffers(sig, 'p1', answered);
    await vi.advanceTimersByTimeAsync(1000);
    expect(pc.restarts).toBe(2);
    answerOffers(sig, 'p1', answered);
    sig.nextJoin.push(async () => {
      sig.announce([participant('p1', 1), participant('me2', 3)]);
      return { participantId: 'me2', order: 3 };
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(sig.joins).toHaveLength(2);
    expect(states).toEqual(['joining', 'joined', 'rejoining', 'joined']);
    expect(pc.signalingState).toBe('closed');
    await call.leave();
  });

  it('refreshes ICE servers before the TURN credentials expire: setConfiguration, then an ICE restart', async () => {
    vi.useFakeTimers();
    const { env, sig, call } = setup();
    let n = 0;
    sig.ice = async () => ({ ttl: 100, iceServers: [{ urls: ['turn:127.0.0.1:3478'], username: `${++n}:u_me`, credential: `c${n}` }] });
    sig.nextJoin.push(async () => {
      sig.announce([participant('p1', 1), participant('me', 2)]);
      return { participantId: 'me', order: 2 };
    });
    const joining = call.join();
    await vi.advanceTimersByTimeAsync(10);
    await joining;
    const answered = new Set<unknown>();
    await vi.advanceTimersByTimeAsync(10);
    answerOffers(sig, 'p1', answered);
    await vi.advanceTimersByTimeAsync(10);
    const pc = env.pcs[0]! as FakePeerConnection;
    pc.setConnectionState('connected');
    expect(pc.log).not.toContain('setConfiguration');
    await vi.advanceTimersByTimeAsync(79_900);
    expect(pc.log).not.toContain('setConfiguration');
    await vi.advanceTimersByTimeAsync(200);
    expect(pc.log).toContain('setConfiguration');
    expect(pc.config.iceServers?.[0]).toMatchObject({ username: '2:u_me', credential: 'c2' });
    expect(pc.restarts).toBe(1);
    expect(pc.log.indexOf('setConfiguration')).toBeLessThan(pc.log.lastIndexOf('SLD:offer'));
    await call.leave();
  });

  it('fetches new ICE servers and restarts ICE when TURN refuses the credentials (401), at most once a minute', async () => {
    const { env, sig, call } = setup();
    let n = 0;
    sig.ice = async () => ({ ttl: 3600, iceServers: [{ urls: ['turn:127.0.0.1:3478'], username: `${++n}:u_me`, credential: `c${n}` }] });
    sig.nextJoin.push(async () => {
      sig.announce([participant('p1', 1), participant('me', 2)]);
      return { participantId: 'me', order: 2 };
    });
    await call.join();
    const answered = new Set<unknown>();
    await vi.waitFor(() => expect(answerOffers(sig, 'p1', answered)).toBe(1));
    await sleep(20);
    const pc = env.pcs[0]! as FakePeerConnection;
    const refused = Object.assign(new Event('icecandidateerror'), { errorCode: 401, url: 'turn:127.0.0.1:3478' });
    const errors: number[] = [];
    call.on('iceError', (_id, code) => errors.push(code));
    pc.onicecandidateerror?.(refused);
    await vi.waitFor(() => expect(pc.config.iceServers?.[0]).toMatchObject({ username: '2:u_me' }));
    await vi.waitFor(() => expect(pc.restarts).toBe(1));
    pc.onicecandidateerror?.(refused);
    await sleep(20);
    expect(n).toBe(2);
    expect(errors).toEqual([401, 401]);
    await call.leave();
  });

  it('restarts ICE on every connection when the network changes', async () => {
    const { env, sig, call } = setup();
    sig.nextJoin.push(async () => {
      sig.announce([participant('p1', 1), participant('p2', 2), participant('me', 3)]);
      return { participantId: 'me', order: 3 };
    });
    await call.join();
    const answered = new Set<unknown>();
    await vi.waitFor(() => expect(sig.sent.filter((s) => s.payload.description?.type === 'offer')).toHaveLength(2));
    answerOffers(sig, 'p1', answered);
    answerOffers(sig, 'p2', answered);
    await sleep(20);
    env.networkChanged();
    await vi.waitFor(() => expect(env.pcs.map((p) => p.restarts)).toEqual([1, 1]));
    await call.leave();
  });

  it('mutes, shares the screen with replaceTrack and tells the others', async () => {
    const { env, sig, call } = setup();
    sig.nextJoin.push(async () => {
      sig.announce([participant('p1', 1), participant('me', 2)]);
      return { participantId: 'me', order: 2 };
    });
    await call.join();
    await call.setMicrophoneEnabled(false);
    expect(call.localMedia).toMatchObject({ audio: false, video: true, screen: false });
    expect(sig.media.at(-1)).toEqual({ audio: false, video: true, screen: false });
    await call.startScreenShare();
    const pc = env.pcs[0]! as FakePeerConnection;
    expect(pc.log).toContain('replaceTrack:screen-video');
    expect(sig.media.at(-1)).toEqual({ audio: false, video: true, screen: true });
    await call.stopScreenShare();
    expect(pc.log.at(-1)).toMatch(/^replaceTrack:cam\d+-video$/);
    await call.setCameraEnabled(false);
    expect(pc.log.at(-1)).toBe('replaceTrack:null');
    expect(sig.media.at(-1)).toEqual({ audio: false, video: false, screen: false });
    await call.leave();
    expect(call.state).toBe('left');
  });
});

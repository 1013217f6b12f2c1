import { describe, expect, it } from 'vitest';
import { PeerNegotiator } from '../../../../sdk/call/peer-negotiator.js';
import type { NegotiationNote } from '../../../../sdk/call/negotiation.js';
import type { SignalPayload } from '../../../../sdk/call/types.js';
import { FakePeerConnection } from './fake-peer-connection.js';
import { seededRandom } from '../../../helpers/random.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Side {
  pc: FakePeerConnection;
  negotiator: PeerNegotiator;
  notes: NegotiationNote[];
}

/**
 * Two negotiators joined by an in-order channel per direction, each message delayed by a random
 * 0–3 ms (seeded), like the broker relaying signals. A is the earlier joiner (impolite), B the
 * newcomer (polite).
 */
function pair(seed = 1): { a: Side; b: Side; errors: Array<[string, unknown]>; settled: () => Promise<void> } {
  // Seeded so a failing interleaving can be replayed.
  const rnd = seededRandom(seed);
  const errors: Array<[string, unknown]> = [];
  let inflight = 0;
  const sides: Record<'A' | 'B', Side> = {} as Record<'A' | 'B', Side>;
  const channel = (to: 'A' | 'B') => {
    let chain = Promise.resolve();
    return (payload: SignalPayload) => {
      inflight++;
      const delay = Math.floor(rnd() * 4);
      chain = chain.then(async () => {
        await sleep(delay);
        await sides[to].negotiator.receive(JSON.parse(JSON.stringify(payload)) as SignalPayload);
        inflight--;
      });
    };
  };
  for (const [name, polite, to] of [
    ['A', false, 'B'],
    ['B', true, 'A'],
  ] as const) {
    const pc = new FakePeerConnection(name);
    const notes: NegotiationNote[] = [];
    const send = channel(to);
    const negotiator = new PeerNegotiator({ pc, polite, send, onError: (e) => errors.push([name, e]), onNote: (n) => notes.push(n) });
    pc.onnegotiationneeded = () => void negotiator.negotiationNeeded();
    pc.onicecandidate = (e) => {
      if (e.candidate) send({ candidate: e.candidate.toJSON() });
    };
    sides[name] = { pc, negotiator, notes };
  }
  const settled = async (): Promise<void> => {
    let quiet = 0;
    for (let i = 0; i < 2000 && quiet < 5; i++) {
      await sleep(2);
      const calm = inflight === 0 && sides.A.pc.signalingState === 'stable' && sides.B.pc.signalingState === 'stable' && !sides.A.pc.needsNegotiation && !sides.B.pc.needsNegotiation;
      quiet = calm ? quiet + 1 : 0;
    }
    if (quiet < 5) throw new Error(`did not settle: A ${sides.A.pc.signalingState} ${sides.A.pc.log.join(',')} | B ${sides.B.pc.signalingState} ${sides.B.pc.log.join(',')}`);
  };
  return { a: sides.A, b: sides.B, errors, settled };
}

describe('perfect negotiation between two peers (strict JSEP double, no implicit rollback)', () => {
  it('the strict double refuses an offer in have-local-offer, as Chrome without rollback would', async () => {
    const pc = new FakePeerConnection('X');
    await pc.setLocalDescription(await pc.createOffer());
    await expect(pc.setRemoteDescription({ type: 'offer', sdp: '{}' })).rejects.toThrow(/Called in wrong state: have-local-offer/);
  });

  it('a newcomer offers, the existing peer answers, and each ends up with the other\'s tracks', async () => {
    const { a, b, errors, settled } = pair();
    a.pc.addTrack({ id: 'A-audio' });
    b.pc.addTrack({ id: 'B-video' });
    await settled();
    expect(errors).toEqual([]);
    expect([...a.pc.remoteTracks]).toContain('B-video');
    expect([...b.pc.remoteTracks]).toContain('A-audio');
    expect(a.pc.addedCandidates.length).toBeGreaterThan(0);
    expect(b.pc.addedCandidates.length).toBeGreaterThan(0);
  });

  it('glare: both start publishing at the same instant; the polite side rolls back, the impolite ignores, both get each other\'s media', async () => {
    const { a, b, errors, settled } = pair(7);
    a.pc.addTrack({ id: 'A-audio' });
    await settled();
    a.pc.log.length = 0;
    b.pc.log.length = 0;
    // Same tick: both fire negotiationneeded and both offers cross in the channel.
    a.pc.addTrack({ id: 'A-video' });
    b.pc.addTrack({ id: 'B-video' });
    await settled();
    expect(errors).toEqual([]);
    expect(a.notes).toContain('offer-collision-ignored');
    expect(b.notes).toContain('offer-collision-rolled-back');
    expect(b.pc.log).toContain('rollback:have-local-offer');
    expect(a.pc.log).not.toContain('rollback:have-local-offer');
    expect([...a.pc.remoteTracks]).toContain('B-video');
    expect([...b.pc.remoteTracks]).toEqual(expect.arrayContaining(['A-audio', 'A-video']));
  });

  it('converges without errors under 60 random interleavings of simultaneous renegotiations', async () => {
    for (let seed = 100; seed < 160; seed++) {
      const { a, b, errors, settled } = pair(seed);
      a.pc.addTrack({ id: 'A-1' });
      b.pc.addTrack({ id: 'B-1' });
      await sleep(Math.floor(seededRandom(seed)() * 5));
      a.pc.addTrack({ id: 'A-2' });
      b.pc.addTrack({ id: 'B-2' });
      await settled();
      expect(errors, `seed ${seed}`).toEqual([]);
      expect([...a.pc.remoteTracks].sort(), `seed ${seed}`).toEqual(['B-1', 'B-2']);
      expect([...b.pc.remoteTracks].sort(), `seed ${seed}`).toEqual(['A-1', 'A-2']);
    }
  });

  it('simultaneous ICE restarts on both sides converge on new credentials', async () => {
    const { a, b, errors, settled } = pair(3);
    a.pc.addTrack({ id: 'A-audio' });
    b.pc.addTrack({ id: 'B-audio' });
    await settled();
    const before = { a: a.pc.ufrag, b: b.pc.ufrag };
    void a.negotiator.restartIce();
    void b.negotiator.restartIce();
    await settled();
    expect(errors).toEqual([]);
    // The impolite side's restart went through; the polite side re-offered its own after rolling back.
    expect(a.pc.ufrag).not.toBe(before.a);
    expect(b.pc.ufrag).not.toBe(before.b);
    await sleep(20);
    const last = (pc: FakePeerConnection) => pc.addedCandidates[pc.addedCandidates.length - 1]?.usernameFragment;
    expect(last(a.pc)).toBe(b.pc.ufrag);
    expect(last(b.pc)).toBe(a.pc.ufrag);
  });

  it('adds a candidate that overtook its offer only after the offer is applied', async () => {
    const b = new FakePeerConnection('B');
    const errors: unknown[] = [];
    const sent: SignalPayload[] = [];
    const n = new PeerNegotiator({ pc: b, polite: false, send: (p) => sent.push(p), onError: (e) => errors.push(e) });
    const early = { candidate: 'candidate:1 1 udp 1 127.0.0.1 5001 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'A-u0' };
    await n.receive({ candidate: early });
    expect(b.addedCandidates).toEqual([]);
    await n.receive({ description: { type: 'offer', sdp: JSON.stringify({ tracks: ['A-audio'], ufrag: 'A-u0' }) } });
    expect(errors).toEqual([]);
    expect(b.addedCandidates).toEqual([early]);
    expect(b.log.slice(0, 2)).toEqual(['SRD:offer', 'SLD:answer']);
    expect(sent[0]?.description?.type).toBe('answer');
  });

  it('keeps negotiating after a bad remote description (the failure is reported, the state re-read)', async () => {
    const pc = new FakePeerConnection('A');
    const errors: unknown[] = [];
    const n = new PeerNegotiator({ pc, polite: false, send: () => undefined, onError: (e) => errors.push(e) });
    await n.receive({ description: { type: 'offer', sdp: 'not json' } });
    expect(errors).toHaveLength(1);
    expect(n.machine.signaling).toBe('stable');
    await n.receive({ description: { type: 'offer', sdp: JSON.stringify({ tracks: [], ufrag: 'x' }) } });
    expect(errors).toHaveLength(1);
    expect(pc.log).toContain('SLD:answer');
  });
});

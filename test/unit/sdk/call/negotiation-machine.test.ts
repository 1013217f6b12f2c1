import { describe, expect, it } from 'vitest';
import { NegotiationMachine } from '../../../../sdk/call/negotiation.js';
import type { NegotiationOp } from '../../../../sdk/call/negotiation.js';

const offer = { type: 'offer', sdp: 'remote-offer' } as const;
const answer = { type: 'answer', sdp: 'remote-answer' } as const;
const cand = (n: number) => ({ candidate: `candidate:${n}`, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'u' });
const names = (ops: readonly NegotiationOp[]) => ops.map((o) => (o.op === 'offer' && o.iceRestart ? 'offer(restart)' : o.op));

describe('perfect negotiation state machine', () => {
  it('offers at once in stable and waits for the answer', () => {
    const m = new NegotiationMachine(false);
    expect(names(m.handle({ type: 'negotiation-needed' }).ops)).toEqual(['offer']);
    expect(m.signaling).toBe('have-local-offer');
    expect(names(m.handle({ type: 'remote-description', description: answer }).ops)).toEqual(['apply-remote']);
    expect(m.signaling).toBe('stable');
  });

  it('answers an offer in stable', () => {
    const m = new NegotiationMachine(false);
    const step = m.handle({ type: 'remote-description', description: offer });
    expect(names(step.ops)).toEqual(['apply-remote', 'answer']);
    expect(step.ops[0]).toEqual({ op: 'apply-remote', description: offer });
    expect(m.signaling).toBe('stable');
  });

  it('polite side rolls back its own offer on a collision, answers, then offers again', () => {
    const m = new NegotiationMachine(true);
    m.handle({ type: 'negotiation-needed' });
    const step = m.handle({ type: 'remote-description', description: offer });
    expect(step.note).toBe('offer-collision-rolled-back');
    expect(names(step.ops)).toEqual(['rollback', 'apply-remote', 'answer', 'offer']);
    // It is now waiting for the answer to its renewed offer.
    expect(m.signaling).toBe('have-local-offer');
  });

  it('impolite side ignores a colliding offer and the candidates that come with it', () => {
    const m = new NegotiationMachine(false);
    m.handle({ type: 'negotiation-needed' });
    const ignored = m.handle({ type: 'remote-description', description: offer });
    expect(ignored).toEqual({ ops: [], note: 'offer-collision-ignored' });
    expect(m.handle({ type: 'remote-candidate', candidate: cand(1) })).toEqual({ ops: [], note: 'candidate-dropped' });
    expect(m.signaling).toBe('have-local-offer');
    // The polite peer answers our offer; from then on its candidates are ours to add.
    expect(names(m.handle({ type: 'remote-description', description: answer }).ops)).toEqual(['apply-remote']);
    expect(names(m.handle({ type: 'remote-candidate', candidate: cand(2) }).ops)).toEqual(['add-candidate']);
    expect(m.snapshot().ignoringOffer).toBe(false);
  });

  it('buffers candidates until the remote description is set, then adds them right after it, in order', () => {
    const m = new NegotiationMachine(true);
    expect(m.handle({ type: 'remote-candidate', candidate: cand(1) }).note).toBe('candidate-buffered');
    expect(m.handle({ type: 'remote-candidate', candidate: cand(2) }).note).toBe('candidate-buffered');
    expect(m.snapshot().bufferedCandidates).toBe(2);
    const step = m.handle({ type: 'remote-description', description: offer });
    expect(step.ops).toEqual([
      { op: 'apply-remote', description: offer },
      { op: 'add-candidate', candidate: cand(1) },
      { op: 'add-candidate', candidate: cand(2) },
      { op: 'answer' },
    ]);
    expect(m.snapshot().bufferedCandidates).toBe(0);
    expect(names(m.handle({ type: 'remote-candidate', candidate: cand(3) }).ops)).toEqual(['add-candidate']);
  });

  it('buffers candidates that arrive before the answer to our first offer', () => {
    const m = new NegotiationMachine(false);
    m.handle({ type: 'negotiation-needed' });
    expect(m.handle({ type: 'remote-candidate', candidate: cand(1) }).note).toBe('candidate-buffered');
    expect(m.handle({ type: 'remote-description', description: answer }).ops).toEqual([
      { op: 'apply-remote', description: answer },
      { op: 'add-candidate', candidate: cand(1) },
    ]);
  });

  it('defers negotiation needed while an offer is out and offers once the answer is in', () => {
    const m = new NegotiationMachine(false);
    m.handle({ type: 'negotiation-needed' });
    expect(m.handle({ type: 'negotiation-needed' })).toEqual({ ops: [], note: 'offer-deferred' });
    expect(names(m.handle({ type: 'remote-description', description: answer }).ops)).toEqual(['apply-remote', 'offer']);
  });

  it('carries an ICE restart requested mid-exchange into the next offer', () => {
    const m = new NegotiationMachine(false);
    m.handle({ type: 'negotiation-needed' });
    expect(m.handle({ type: 'restart-ice' }).note).toBe('offer-deferred');
    expect(names(m.handle({ type: 'remote-description', description: answer }).ops)).toEqual(['apply-remote', 'offer(restart)']);
    expect(m.snapshot().restartPending).toBe(false);
  });

  it('polite side that rolls back an ICE-restart offer restarts again after answering', () => {
    const m = new NegotiationMachine(true);
    expect(names(m.handle({ type: 'restart-ice' }).ops)).toEqual(['offer(restart)']);
    expect(names(m.handle({ type: 'remote-description', description: offer }).ops)).toEqual(['rollback', 'apply-remote', 'answer', 'offer(restart)']);
  });

  it('ignores an answer when no offer of ours is outstanding', () => {
    const m = new NegotiationMachine(true);
    expect(m.handle({ type: 'remote-description', description: answer })).toEqual({ ops: [], note: 'stale-answer-ignored' });
    expect(m.signaling).toBe('stable');
  });

  it('realigns with the connection after a failed operation', () => {
    const m = new NegotiationMachine(false);
    m.handle({ type: 'negotiation-needed' });
    // setLocalDescription(offer) failed: the connection is still stable.
    m.resync('stable', false);
    expect(names(m.handle({ type: 'remote-description', description: offer }).ops)).toEqual(['apply-remote', 'answer']);
  });

  it('does nothing once closed', () => {
    const m = new NegotiationMachine(false);
    expect(names(m.handle({ type: 'close' }).ops)).toEqual(['close']);
    expect(m.handle({ type: 'negotiation-needed' })).toEqual({ ops: [], note: 'closed' });
    expect(m.handle({ type: 'remote-description', description: offer })).toEqual({ ops: [], note: 'closed' });
  });
});

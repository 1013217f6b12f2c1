import { describe, expect, it } from 'vitest';
import { PreparedMessage } from '../../../backend/stomp/frame.js';
import { Subscription, type SubscriptionOwner } from '../../../backend/stomp/subscription.js';

function message(seq: number): PreparedMessage {
  return new PreparedMessage('/topic/rooms/1', { 'x-type': 'message', 'x-seq': String(seq) }, `m${seq}`);
}

function recordingSubscription(): { sub: Subscription; seqs: string[] } {
  const seqs: string[] = [];
  const owner: SubscriptionOwner = { id: 's1', deliver: (_sub, m) => seqs.push(m.headers.get('x-seq') ?? '-') };
  return { sub: new Subscription('sub-1', '/topic/rooms/1', 'auto', owner, new Map()), seqs };
}

describe('Subscription hold and release (resume)', () => {
  const coveredUpTo = (lastSeq: number) => (m: PreparedMessage) => Number(m.headers.get('x-seq')) <= lastSeq;
  // What the message service passes: drop covered messages until the first one past the replay.
  const untilPast = (lastSeq: number) => (m: PreparedMessage) => (coveredUpTo(lastSeq)(m) ? true : 'stop');

  it('buffers live messages while held and releases those the replay did not cover, in order', () => {
    const { sub, seqs } = recordingSubscription();
    sub.hold();
    sub.deliver(message(5));
    sub.deliver(message(6));
    sub.deliverNow(message(4));
    sub.deliverNow(message(5));
    expect(seqs).toEqual(['4', '5']);
    sub.release(coveredUpTo(5));
    expect(seqs).toEqual(['4', '5', '6']);
  });

  it('drops a covered message that is published only after the release, so the replay and the live stream never overlap', () => {
    const { sub, seqs } = recordingSubscription();
    sub.hold();
    // The replay read seq 7 from the database before its publisher got to broadcast it.
    sub.deliverNow(message(7));
    sub.release(coveredUpTo(7), untilPast(7));
    sub.deliver(message(7));
    sub.deliver(message(8));
    expect(seqs).toEqual(['7', '8']);
  });

  it('stops checking once a live message past the replay arrives', () => {
    const { sub, seqs } = recordingSubscription();
    sub.hold();
    sub.deliverNow(message(7));
    sub.release(coveredUpTo(7), untilPast(7));
    sub.deliver(message(8));
    // Past the first newer message nothing is filtered any more (the bus never goes backwards).
    sub.deliver(message(6));
    expect(seqs).toEqual(['7', '8', '6']);
  });
});

import { describe, expect, it } from 'vitest';
import { PreparedMessage } from '../../../backend/stomp/frame.js';
import { QueueDispatcher } from '../../../backend/stomp/queue-dispatcher.js';
import { Subscription } from '../../../backend/stomp/subscription.js';
import { FakeClock } from '../../helpers/fake-clock.js';

function consumer(destination: string): { sub: Subscription; got: string[] } {
  const got: string[] = [];
  const sub = new Subscription('s', destination, 'auto', { id: 'owner', deliver: (_s, m) => got.push(m.body.toString()) }, new Map());
  return { sub, got };
}

const msg = (text: string): PreparedMessage => new PreparedMessage('/queue/q', {}, text);

describe('QueueDispatcher backlog bounds', () => {
  it('drops the oldest past maxMessages', () => {
    const q = new QueueDispatcher({ maxMessages: 3, maxBytes: 1_000_000, ttlMs: 60_000 }, new FakeClock());
    for (let i = 0; i < 10; i++) q.send('/queue/q', msg(`m${i}`));
    const c = consumer('/queue/q');
    q.addConsumer(c.sub);
    expect(c.got).toEqual(['m7', 'm8', 'm9']);
  });

  it('drops the oldest past maxBytes', () => {
    const one = msg('x'.repeat(100)).tailBytes;
    const q = new QueueDispatcher({ maxMessages: 1000, maxBytes: one * 2, ttlMs: 60_000 }, new FakeClock());
    for (let i = 0; i < 5; i++) q.send('/queue/q', new PreparedMessage('/queue/q', {}, `${i}`.padEnd(100, 'x')));
    expect(q.backlogBytes()).toBe(one * 2);
    const c = consumer('/queue/q');
    q.addConsumer(c.sub);
    expect(c.got.map((t) => t[0])).toEqual(['3', '4']);
  });

  it('frees expired messages on a timer, with nobody looking at the queue', () => {
    const clock = new FakeClock();
    const q = new QueueDispatcher({ maxMessages: 1000, maxBytes: 1_000_000, ttlMs: 1000 }, clock);
    q.send('/queue/q', msg('early'));
    clock.advance(600);
    q.send('/queue/q', msg('late'));
    clock.advance(500);
    expect(q.backlogBytes()).toBe(msg('late').tailBytes);
    clock.advance(600);
    expect(q.backlogBytes()).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });
});

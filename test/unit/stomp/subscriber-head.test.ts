import { describe, expect, it } from 'vitest';
import { encodeFrame, PreparedMessage } from '../../../backend/stomp/frame.js';
import { SubscriberHead } from '../../../backend/stomp/subscriber-head.js';

const messages = [
  new PreparedMessage('/topic/rooms/1', { 'x-type': 'message', 'x-seq': '42' }, '{"text":"안녕하세요"}'),
  new PreparedMessage('/topic/a:b\nc', { 'x-note': 'back\\slash\r' }, Buffer.from([0, 1, 2, 0xff])),
  new PreparedMessage('/queue/q', {}, ''),
];
const counters = [1, 9, 10, 99, 100, 12345, 2 ** 40 + 7];

describe('SubscriberHead', () => {
  for (const encoding of ['escape', 'stomp10'] as const) {
    for (const withAck of [false, true]) {
      it(`splices bytes identical to encodeFrame (${encoding}, ${withAck ? 'client ack' : 'auto ack'})`, () => {
        for (const subscriptionId of ['s-1', 'sub:with\nodd\\chars', '구독']) {
          const head = new SubscriberHead(subscriptionId, 'ab12-3f', withAck, encoding);
          for (const message of messages) {
            for (const n of counters) {
              const id = `ab12-3f-${n}`;
              const expected = encodeFrame(
                'MESSAGE',
                [['subscription', subscriptionId], ['message-id', id], ...(withAck ? [['ack', id] as const] : []), ...message.headers],
                message.body,
                encoding,
              );
              expect(head.frame(message, n)).toEqual(expected);
              expect(head.frame(message, n)).toEqual(message.forSubscriber(subscriptionId, id, withAck ? id : undefined, encoding));
              expect(head.messageId(n)).toBe(id);
            }
          }
        }
      });

      it(`gives text-only transports the same frame as a string (${encoding}, ${withAck ? 'client ack' : 'auto ack'})`, () => {
        const head = new SubscriberHead('s:1', 'x-1', withAck, encoding);
        const message = messages[0]!;
        for (const n of counters) expect(head.text(message, n)).toBe(head.frame(message, n).toString('utf8'));
      });
    }
  }

  it('tells whether a prepared message is UTF-8 (text frame) or not (binary)', () => {
    expect(messages[0]!.isUtf8).toBe(true);
    expect(messages[1]!.isUtf8).toBe(false);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isParleyError } from '../../../backend/errors.js';
import { encodeFrame, type Frame, type StompCommand } from '../../../backend/stomp/frame.js';
import { FrameParser } from '../../../backend/stomp/parser.js';
import { FUZZ_TEST_TIMEOUT_MS, runProperty } from '../../helpers/fuzz.js';

const LIMITS = { maxFrameBytes: 1 << 20, maxHeaders: 64, maxHeaderLineBytes: 1 << 16 };
const COMMANDS: StompCommand[] = ['SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT', 'DISCONNECT', 'CONNECT', 'STOMP'];
const VERBATIM = new Set<StompCommand>(['CONNECT', 'STOMP']);

/** Any Unicode text (whole code points: a lone surrogate is not text and cannot travel as UTF-8). */
const text = (max: number): fc.Arbitrary<string> => fc.string({ unit: 'binary', maxLength: max });

/** A frame a client could send: header text the command's encoding can carry, a body only on SEND. */
const clientFrame = fc
  .record({
    command: fc.constantFrom(...COMMANDS),
    headers: fc.array(fc.tuple(text(12).filter((n) => n !== '' && n !== 'content-length'), text(40)), { maxLength: 8 }),
    body: fc.uint8Array({ maxLength: 300 }),
  })
  .map(({ command, headers, body }) => ({
    command,
    // CONNECT headers go out verbatim and so cannot hold CR, LF, or a ':' in a name.
    headers: VERBATIM.has(command) ? headers.filter(([n, v]) => !/[\r\n:]/.test(n) && !/[\r\n]/.test(v)) : headers,
    body: command === 'SEND' ? Buffer.from(body) : Buffer.alloc(0),
  }));

const parseAll = (bytes: Buffer, chunks: number[] = []): Frame[] => {
  const parser = new FrameParser(LIMITS);
  const out: Frame[] = [];
  let from = 0;
  for (const at of [...chunks].sort((a, b) => a - b)) {
    out.push(...parser.push(bytes.subarray(from, at)));
    from = at;
  }
  out.push(...parser.push(bytes.subarray(from)));
  return out;
};

const shape = (f: Frame): unknown => ({ command: f.command, headers: f.rawHeaders.filter(([n]) => n !== 'content-length'), body: f.body.toString('hex') });

describe('STOMP codec properties (fast-check)', () => {
  it('parse(encode(frame)) gives the frame back', { timeout: FUZZ_TEST_TIMEOUT_MS }, async () => {
    await runProperty(
      'round trip',
      fc.property(clientFrame, (f) => {
        const [parsed, ...rest] = parseAll(encodeFrame(f.command, f.headers, f.body));
        expect(rest).toEqual([]);
        expect(shape(parsed!)).toEqual({ command: f.command, headers: f.headers, body: f.body.toString('hex') });
      }),
    );
  });

  it('any split of a stream of frames into chunks parses to the same frames', { timeout: FUZZ_TEST_TIMEOUT_MS }, async () => {
    await runProperty(
      'chunking invariance',
      fc.property(fc.array(clientFrame, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), (frames, cuts, heartBeats) => {
        const bytes = Buffer.concat(frames.flatMap((f) => [encodeFrame(f.command, f.headers, f.body), Buffer.from(heartBeats ? '\r\n\n' : '')]));
        const whole = parseAll(bytes).map(shape);
        expect(whole).toHaveLength(frames.length);
        expect(parseAll(bytes, cuts.map((c) => c % (bytes.length + 1))).map(shape)).toEqual(whole);
      }),
    );
  });

  it('arbitrary bytes, whole or in chunks, yield frames or a ParleyError, never another exception', { timeout: FUZZ_TEST_TIMEOUT_MS }, async () => {
    // Mostly STOMP-looking bytes, so the fuzzer gets past the command line.
    const prefix = fc.constantFrom('', 'SEND\n', 'CONNECT\n', 'SUBSCRIBE\nid:1\n', 'SEND\ncontent-length:', 'ACK\nid:\\');
    await runProperty(
      'arbitrary bytes',
      fc.property(prefix, fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(), { maxLength: 8 }), (head, tail, cuts) => {
        const bytes = Buffer.concat([Buffer.from(head), Buffer.from(tail)]);
        const outcome = (chunks: number[]): string => {
          try {
            return `frames ${parseAll(bytes, chunks).length}`;
          } catch (e: unknown) {
            if (!isParleyError(e)) throw e;
            return `error ${e.code}`;
          }
        };
        const whole = outcome([]);
        const chunked = outcome(cuts.map((c) => c % (bytes.length + 1)));
        // Whether the stream is valid, and why not, does not depend on how it was cut.
        expect(chunked.startsWith('error') ? chunked : 'ok').toBe(whole.startsWith('error') ? whole : 'ok');
      }),
    );
  });

  it('STOMP 1.0 header text round-trips without escapes', { timeout: FUZZ_TEST_TIMEOUT_MS }, async () => {
    const value = text(40).filter((v) => !/[\r\n]/.test(v));
    const name = text(12).filter((n) => n !== '' && n !== 'content-length' && !/[\r\n:]/.test(n));
    await runProperty(
      'STOMP 1.0 round trip',
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 6 }), fc.uint8Array({ maxLength: 100 }), (headers, body) => {
        const parser = new FrameParser({ ...LIMITS, pauseAfterConnect: true });
        parser.push('CONNECT\n\n\0');
        parser.resume(false);
        const [f] = parser.push(encodeFrame('SEND', headers, Buffer.from(body), 'stomp10'));
        expect(shape(f!)).toEqual({ command: 'SEND', headers, body: Buffer.from(body).toString('hex') });
      }),
    );
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CATALOGUE,
  LOBBY_FRAME_TYPES,
  PARLEY_HEADERS,
  ROOM_FRAME_TYPES,
  SIGNAL_FRAME_TYPES,
  destinationPatterns,
  errorSpec,
  isRetryable,
  roomAction,
  roomTopic,
  type ErrorCode,
} from '../../../sdk/protocol/index.js';

const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

/** The rows of the markdown table under `heading` (first cell of each row, split on ` / ` and `, `). */
function tableCodes(heading: string): Map<string, string[]> {
  const start = doc.indexOf(heading);
  expect(start, `docs/protocol.md has a "${heading}" section`).toBeGreaterThanOrEqual(0);
  const rows = new Map<string, string[]>();
  for (const line of doc.slice(start).split('\n').slice(1)) {
    if (line.startsWith('#')) break;
    if (!line.startsWith('|') || line.startsWith('| ---') || line.startsWith('| code')) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    for (const code of cells[0]!.split(/\s*(?:\/|,)\s*/)) rows.set(code, cells);
  }
  return rows;
}

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

describe('docs/protocol.md and the protocol module', () => {
  it('name the same server error codes with the same HTTP status', () => {
    const documented = tableCodes('### Codes');
    const server = Object.entries(ERROR_CATALOGUE).filter(([, s]) => s.kind !== 'client').map(([c]) => c);
    expect(sorted(documented.keys())).toEqual(sorted(server));
    for (const [code, cells] of documented) {
      const spec = errorSpec(code)!;
      if (cells[1] !== '—') expect(`${code} ${cells[1]}`).toBe(`${code} ${spec.status}`);
      // The STOMP column says ERROR exactly for protocol violations (TOKEN_EXPIRED is also an ERROR at CONNECT).
      if (cells[2] === 'ERROR' && code !== 'TOKEN_EXPIRED') expect(`${code} ${spec.kind}`).toBe(`${code} protocol`);
      if (cells[2] === 'refusal') expect(`${code} ${spec.kind}`).toBe(`${code} refusal`);
    }
  });

  it('name the same SDK-raised codes, and say which codes are retryable', () => {
    const documented = tableCodes('### Codes the SDK raises');
    const client = Object.entries(ERROR_CATALOGUE).filter(([, s]) => s.kind === 'client').map(([c]) => c);
    expect(sorted(documented.keys())).toEqual(sorted(client));
    const retryableLine = /Retryable codes: (.+)\./.exec(doc)?.[1] ?? '';
    const documentedRetryable = sorted(retryableLine.match(/[A-Z_]{3,}/g) ?? []);
    expect(documentedRetryable).toEqual(sorted(Object.keys(ERROR_CATALOGUE).filter((c) => isRetryable(c))));
  });

  it('name the same destinations', () => {
    const documented = sorted(
      [...doc.matchAll(/`(?:SEND |SUBSCRIBE )?(\/(?:app|topic|user)\/[^`\s]*)`/g)]
        .map((m) => m[1]!)
        // Wildcards and placeholders other than {id} describe families, not destinations.
        .filter((d) => !d.includes('*') && !/\{(?!id\})/.test(d)),
    );
    expect(documented).toEqual(sorted(destinationPatterns()));
  });

  it('name the same x-type values and Parley headers', () => {
    const types = sorted([...doc.matchAll(/x-type: ([a-z-]+(?: \| [a-z-]+)*)/g)].flatMap((m) => m[1]!.split(' | ')));
    expect(types).toEqual(sorted([...ROOM_FRAME_TYPES, ...LOBBY_FRAME_TYPES, ...SIGNAL_FRAME_TYPES]));
    const headers = sorted([...doc.matchAll(/`(x-[a-z-]+)/g)].map((m) => m[1]!));
    expect(headers).toEqual(sorted(PARLEY_HEADERS));
  });
});

describe('the protocol module', () => {
  it('builds room destinations from one id', () => {
    expect(roomTopic(3)).toBe('/topic/rooms/3');
    expect(roomAction(3, 'call/join')).toBe('/app/rooms/3/call/join');
    expect(roomAction('{id}', 'messages')).toBe('/app/rooms/{id}/messages');
  });

  it('knows every code once, and nothing else', () => {
    const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^[A-Z][A-Z_]+$/);
    expect(errorSpec('NO_SUCH_CODE')).toBeUndefined();
    expect(errorSpec('toString')).toBeUndefined();
    expect(isRetryable('NO_SUCH_CODE')).toBe(false);
    expect(isRetryable('BAD_PASSWORD')).toBe(false);
    expect(isRetryable('UNAVAILABLE')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustProxy, trustFunction } from '../../../backend/http/client-address.js';

const xff = (v: string) => ({ 'x-forwarded-for': v });

describe('clientAddress by TRUST_PROXY', () => {
  it('ignores X-Forwarded-For unless told to trust a proxy', () => {
    expect(clientAddress('::ffff:10.0.0.1', xff('6.6.6.6'), trustFunction(parseTrustProxy('')))).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.1', xff('6.6.6.6'), trustFunction(parseTrustProxy('false')))).toBe('10.0.0.1');
  });

  it('walks as many hops as TRUST_PROXY counts, never past the forged left end', () => {
    const oneHop = trustFunction(parseTrustProxy('1'));
    // The client forged "6.6.6.6"; the proxy appended the address it saw.
    expect(clientAddress('10.0.0.1', xff('6.6.6.6, 203.0.113.9'), oneHop)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.1', xff('6.6.6.6, 203.0.113.9'), trustFunction(2))).toBe('6.6.6.6');
    expect(clientAddress('10.0.0.1', {}, oneHop)).toBe('10.0.0.1');
  });

  it('with a list, trusts only hops from those proxy addresses', () => {
    const listed = trustFunction(parseTrustProxy('10.0.0.1, 10.0.0.2'));
    expect(clientAddress('10.0.0.1', xff('203.0.113.9, 10.0.0.2'), listed)).toBe('203.0.113.9');
    expect(clientAddress('192.168.1.1', xff('6.6.6.6'), listed)).toBe('192.168.1.1');
  });

  it('names TRUST_PROXY values it cannot read', () => {
    expect(() => parseTrustProxy('lb.example.com')).toThrow('IP addresses');
    expect(() => parseTrustProxy('99')).toThrow('32 hops');
  });
});

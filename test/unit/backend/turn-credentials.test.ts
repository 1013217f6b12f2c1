import { describe, expect, it } from 'vitest';
import { turnCredentials } from '../../../backend/ice/turn-credentials.js';

describe('turnCredentials', () => {
  it('derives the coturn use-auth-secret credential (vector from `openssl dgst -sha1 -hmac`)', () => {
    const c = turnCredentials('north-pole-secret', 'u_alice', 1_700_000_000_000, 3600);
    expect(c.username).toBe('1700003600:u_alice');
    expect(c.credential).toBe('C9uTN60pMRXWv9C8Dtvai/4NVLk=');
    expect(c.expiresAt).toBe(1_700_003_600);
  });

  it('floors the clock to whole seconds', () => {
    expect(turnCredentials('s', 'u', 1_700_000_000_999, 60).username).toBe('1700000060:u');
  });
});

import { createHmac } from 'node:crypto';
import type { Config } from '../config.js';
import { HostTokenVerifier } from './host-token-verifier.js';
import type { JwksFetch } from './jwks-cache.js';
import { TokenService } from './token-service.js';

/**
 * The demo host app's signing key: derived from AUTH_SECRET so every instance of a cluster agrees
 * on it, yet it is neither the guest key nor the site's AUTH_JWT_SECRET, so turning the demo off
 * (DEMO=false) makes every demo token worthless.
 */
export function demoSecret(authSecret: string): string {
  return createHmac('sha256', authSecret).update('parley demo host app').digest('base64url');
}

/** The TokenService the configuration asks for: guests always, host tokens when keys are set, demo tokens when DEMO. */
export function tokensFromConfig(config: Config, authSecret: string, now: () => number, fetchJwks?: JwksFetch): TokenService {
  const host =
    config.authJwtSecret === undefined && config.authJwksUrl === undefined
      ? undefined
      : new HostTokenVerifier({
          secret: config.authJwtSecret,
          jwksUrl: config.authJwksUrl,
          issuer: config.authIssuer,
          audience: config.authAudience,
          now,
          ...(fetchJwks === undefined ? {} : { fetchJwks }),
        });
  return new TokenService(authSecret, config.tokenTtlS, now, {
    host,
    demoSecret: config.demo ? demoSecret(authSecret) : undefined,
    guests: config.guestAccess,
  });
}

import { jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { GUEST_ISSUER } from './guest-issuer.js';
import { JwksCache, type JwksFetch } from './jwks-cache.js';

export interface HostTokenOptions {
  /** AUTH_JWT_SECRET: HS256. */
  secret?: string | undefined;
  /** AUTH_JWKS_URL: RS256 / ES256 (and the other asymmetric algorithms jose knows) by `kid`. */
  jwksUrl?: string | undefined;
  /** AUTH_ISSUER: `iss` must equal it when set. */
  issuer?: string | undefined;
  /** AUTH_AUDIENCE: `aud` must contain it when set. */
  audience?: string | undefined;
  now: () => number;
  fetchJwks?: JwksFetch;
  jwksCooldownMs?: number;
  /** Default 5 000. */
  jwksTimeoutMs?: number;
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * Verifies tokens the embedding site signs for its users (docs/auth.md): by AUTH_JWT_SECRET when the
 * token says HS256, by the JWKS otherwise. Throws jose's errors; the caller maps them to codes.
 */
export class HostTokenVerifier {
  private readonly secret: Uint8Array | undefined;
  private readonly jwks: JwksCache | undefined;

  constructor(private readonly options: HostTokenOptions) {
    this.secret = options.secret === undefined ? undefined : new TextEncoder().encode(options.secret);
    this.jwks =
      options.jwksUrl === undefined
        ? undefined
        : new JwksCache({
            url: options.jwksUrl,
            now: options.now,
            ...(options.fetchJwks === undefined ? {} : { fetch: options.fetchJwks }),
            ...(options.jwksCooldownMs === undefined ? {} : { cooldownMs: options.jwksCooldownMs }),
            ...(options.jwksTimeoutMs === undefined ? {} : { timeoutMs: options.jwksTimeoutMs }),
          });
  }

  async verify(token: string): Promise<JWTPayload> {
    const secret = this.secret;
    const jwks = this.jwks;
    // The algorithm is chosen by which keys exist, never by the token alone: an HS256 token is only
    // ever checked against the shared secret, an RS/ES one only against the published keys.
    const getKey: JWTVerifyGetKey = (header, t) => {
      if (header.alg === 'HS256' && secret !== undefined) return secret;
      if (header.alg !== 'HS256' && jwks !== undefined) return jwks.getKey(header, t);
      throw new Error(`No host key for alg ${header.alg ?? '(none)'}`);
    };
    const { payload } = await jwtVerify(token, getKey, {
      algorithms: [...(secret === undefined ? [] : ['HS256']), ...(jwks === undefined ? [] : ASYMMETRIC)],
      currentDate: new Date(this.options.now()),
      requiredClaims: ['exp', 'sub'],
      ...(this.options.issuer === undefined ? {} : { issuer: this.options.issuer }),
      ...(this.options.audience === undefined ? {} : { audience: this.options.audience }),
    });
    // Guest tokens are Parley's own; a host key that minted one is a misconfiguration or an attack.
    if (payload.iss === GUEST_ISSUER) throw new Error('A host token cannot claim the guest issuer');
    return payload;
  }
}

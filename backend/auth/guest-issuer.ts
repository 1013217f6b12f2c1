/**
 * `iss` of every guest token Parley signs. A token claiming it is verified only with the guest key;
 * any other token only with the host keys (AUTH_JWT_SECRET / AUTH_JWKS_URL) or the demo key.
 */
export const GUEST_ISSUER = 'parley-guest';

/** `iss` of the tokens the demo host app (DEMO=true) signs with its own key. */
export const DEMO_ISSUER = 'parley-demo';

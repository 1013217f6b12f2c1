/** The identity the server stamps on everything a client does. */
export interface AuthUser {
  /** `u_…` for guests, `h_<sub>` for the embedding site's users (docs/protocol.md §1). */
  readonly id: string;
  readonly nickname: string;
  /** Avatar URL from a host token's `picture` claim. */
  readonly picture?: string;
  /** A site administrator: a host token whose `roles` claim holds `"admin"`. */
  readonly admin?: boolean;
}

/** The identity the server stamps on everything a client does. */
export interface AuthUser {
  readonly id: string;
  readonly nickname: string;
}

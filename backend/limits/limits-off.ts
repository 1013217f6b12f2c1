/**
 * The environment that switches every rate and abuse limit off (each variable's 0 means "off").
 * For load generators and tests that make many guests, rooms and messages from one address;
 * never for a public deployment.
 */
export const LIMITS_OFF_ENV: Readonly<Record<string, string>> = {
  RATE_LIMIT_PER_S: '0',
  SESSION_ADDRESS_PER_MIN: '0',
  ROOM_CREATE_USER_PER_MIN: '0',
  ROOM_CREATE_ADDRESS_PER_MIN: '0',
  JOIN_USER_PER_MIN: '0',
  TYPING_MIN_INTERVAL_MS: '0',
  OPEN_SEND_PER_S: '0',
  CHAT_ADDRESS_PER_S: '0',
  PASSWORD_TRIES: '0',
  PASSWORD_ADDRESS_TRIES: '0',
};

import { ParleyError } from '../errors.js';

/** Redis failures reach clients as `UNAVAILABLE` (a transient refusal the SDK retries). */
export async function viaRedis<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e: unknown) {
    if (e instanceof ParleyError) throw e;
    throw new ParleyError('UNAVAILABLE', 'Shared state (Redis) is not reachable', { cause: e });
  }
}

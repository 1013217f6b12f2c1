import type { ParleyError } from './errors.js';

/** Promises waiting for one event, settled together. @internal */
export interface Waiters<T> {
  /** A promise settled by the next {@link Waiters.resolve} or {@link Waiters.reject}. */
  wait(): Promise<T>;
  /** Resolves every waiting promise. */
  resolve(value: T): void;
  /** Rejects every waiting promise. */
  reject(error: ParleyError): void;
}

/** @internal */
export function waiters<T>(): Waiters<T> {
  const list: Array<[(value: T) => void, (error: ParleyError) => void]> = [];
  return {
    wait: () => new Promise<T>((resolve, reject) => list.push([resolve, reject])),
    resolve: (value) => list.splice(0).forEach((w) => w[0](value)),
    reject: (error) => list.splice(0).forEach((w) => w[1](error)),
  };
}

import type { Clock } from '../types.js';
import type { IceServerEntry, IceServersResponse } from './types.js';

/** Options of {@link IceServerManager}. */
export interface IceServerManagerOptions {
  /** `GET /api/ice-servers`. */
  fetch(): Promise<IceServersResponse>;
  /** Timers and time. */
  clock: Clock;
  /** Called with fresh servers after each scheduled refresh (then: `setConfiguration` and ICE restart). */
  onRefresh(servers: readonly IceServerEntry[]): void;
  /** A refresh failed (it is retried). */
  onError?(error: unknown): void;
  /** Refresh once this fraction of the credentials' lifetime has passed. Default 0.8. */
  refreshFraction?: number;
  /** Delay before retrying a failed refresh, ms. Default 30 000 (less when the credentials expire sooner). */
  retryMs?: number;
}

/**
 * Holds the ICE servers of a call: fetched once before the first peer connection exists, then
 * refreshed before the TURN credentials expire (`ttl` from the server). One timer at a time.
 */
export class IceServerManager {
  readonly #options: IceServerManagerOptions;
  readonly #fraction: number;
  readonly #retryMs: number;
  #servers: readonly IceServerEntry[] | undefined;
  #expiresAt = 0;
  #timer: unknown;
  #loading: Promise<readonly IceServerEntry[]> | undefined;
  #generation = 0;

  /** @param options - see {@link IceServerManagerOptions} */
  constructor(options: IceServerManagerOptions) {
    const fraction = options.refreshFraction ?? 0.8;
    if (!(fraction > 0 && fraction < 1)) throw new RangeError('IceServerManager: refreshFraction must be in (0, 1)');
    this.#options = options;
    this.#fraction = fraction;
    this.#retryMs = options.retryMs ?? 30_000;
  }

  /** The servers in use, once loaded. */
  get servers(): readonly IceServerEntry[] | undefined {
    return this.#servers;
  }

  /** When the current credentials expire (ms since the epoch); 0 before the first load. */
  get expiresAt(): number {
    return this.#expiresAt;
  }

  /**
   * Fetches the servers unless already loaded, and arms the refresh. Rejects when the first
   * fetch fails (no call can start without knowing whether TURN is needed).
   */
  load(): Promise<readonly IceServerEntry[]> {
    if (this.#servers) return Promise.resolve(this.#servers);
    const generation = this.#generation;
    this.#loading ??= this.#options.fetch().then(
      (res) => {
        this.#loading = undefined;
        if (generation === this.#generation) this.#accept(res);
        return res.iceServers;
      },
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }

  /**
   * Fetches fresh servers now (a TURN server refused our credentials: they may have expired while
   * the device slept). Calls `onRefresh` like a scheduled refresh; does nothing before `load`.
   */
  refreshNow(): Promise<void> {
    if (!this.#servers) return Promise.resolve();
    return this.#refresh(this.#generation);
  }

  /** Stops refreshing and forgets the servers (a later `load` fetches again). */
  stop(): void {
    this.#generation++;
    this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#servers = undefined;
    this.#expiresAt = 0;
  }

  #accept(res: IceServersResponse): void {
    const ttlMs = Math.max(1, res.ttl) * 1000;
    this.#servers = res.iceServers;
    this.#expiresAt = this.#options.clock.now() + ttlMs;
    this.#arm(Math.max(1000, Math.floor(ttlMs * this.#fraction)));
  }

  #arm(delayMs: number): void {
    const { clock } = this.#options;
    clock.clearTimeout(this.#timer);
    const generation = this.#generation;
    this.#timer = clock.setTimeout(() => {
      this.#timer = undefined;
      if (generation === this.#generation) void this.#refresh(generation);
    }, delayMs);
  }

  async #refresh(generation: number): Promise<void> {
    let res: IceServersResponse;
    try {
      res = await this.#options.fetch();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#options.onError?.(error);
      // Retry well before expiry while there is time, then at the normal pace.
      const left = this.#expiresAt - this.#options.clock.now();
      this.#arm(left > 2000 ? Math.min(this.#retryMs, Math.floor(left / 2)) : this.#retryMs);
      return;
    }
    if (generation !== this.#generation) return;
    this.#accept(res);
    this.#options.onRefresh(res.iceServers);
  }
}

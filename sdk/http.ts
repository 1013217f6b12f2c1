import { ParleyError, isParleyError } from './errors.js';
import type { Clock, FetchLike } from './types.js';

/** @internal */
export interface HttpOptions {
  baseUrl: string;
  fetch: FetchLike;
  clock: Clock;
  requestTimeoutMs: number;
}

/** @internal */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** @internal */
export interface HttpRequest {
  method: HttpMethod;
  path: string;
  body?: unknown;
  token?: string;
}

/**
 * JSON over fetch with a timeout; every failure becomes a {@link ParleyError}
 * (`NETWORK`, `TIMEOUT`, or the server's code with its HTTP status).
 * @internal
 */
export async function httpJson<T>(options: HttpOptions, req: HttpRequest): Promise<T> {
  const { clock, requestTimeoutMs } = options;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  // Every browser the SDK targets (ES2022) and Node 20 have AbortController.
  const controller = new AbortController();
  let timedOut = false;
  const timer = clock.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, requestTimeoutMs);
  try {
    const res = await options.fetch(`${options.baseUrl}${req.path}`, {
      method: req.method,
      headers,
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      signal: controller.signal,
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: judged by the status alone
    }
    if (!res.ok) {
      if (json !== undefined) throw ParleyError.fromServer(json, { status: res.status });
      throw new ParleyError(res.status >= 500 ? 'UNAVAILABLE' : 'INTERNAL', `HTTP ${res.status}`, { status: res.status });
    }
    return json as T;
  } catch (error) {
    // By code, not instanceof: the error may come from another copy of the SDK (an injected fetch).
    if (isParleyError(error)) throw error;
    if (timedOut) throw ParleyError.timeout(`${req.method} ${req.path}`, requestTimeoutMs);
    throw ParleyError.network(error);
  } finally {
    clock.clearTimeout(timer);
  }
}

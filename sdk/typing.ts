import type { Clock } from './types.js';

/** A room's own typing indicator. @internal */
export interface TypingIndicator {
  /** Shows (refreshed every `refreshMs`) or hides the indicator. */
  set(typing: boolean): void;
  /** Forgets the indicator without telling anyone (a send or the server ends it). */
  stop(): void;
}

/**
 * Creates a typing indicator: `set(true)` publishes at once and then every `refreshMs` until
 * `set(false)` (which publishes the end) or `stop()`.
 * @param clock - timers
 * @param refreshMs - refresh interval (`typingRefreshMs`)
 * @param publish - sends `{ typing }` (best effort)
 * @internal
 */
export function typingIndicator(clock: Clock, refreshMs: number, publish: (typing: boolean) => void): TypingIndicator {
  let on = false;
  let timer: unknown;
  const stop = (): void => {
    on = false;
    clock.clearTimeout(timer);
    timer = undefined;
  };
  const refresh = (): void => {
    timer = clock.setTimeout(() => {
      timer = undefined;
      if (!on) return;
      publish(true);
      refresh();
    }, refreshMs);
  };
  return {
    set(typing) {
      if (typing) {
        if (on) return;
        on = true;
        publish(true);
        refresh();
      } else if (on) {
        stop();
        publish(false);
      }
    },
    stop,
  };
}

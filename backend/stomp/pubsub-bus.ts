import type { PreparedMessage } from './frame.js';

/**
 * Fan-out between broker instances. The in-memory bus serves one process; the Redis bus
 * (backend/cluster/redis-bus.ts) takes its place without touching handlers: the broker
 * subscribes once per destination that has local subscribers and fans out locally.
 */
export interface PubSubBus {
  /** Fire and forget: a bus that cannot publish logs it; resume fills room gaps from the database. */
  publish(destination: string, message: PreparedMessage): void;
  /** Resolves once messages published from now on reach `listener`, with the unsubscribe function. */
  subscribe(destination: string, listener: (message: PreparedMessage) => void): Promise<() => void>;
  close(): Promise<void>;
}

export class InMemoryBus implements PubSubBus {
  private readonly listeners = new Map<string, Set<(message: PreparedMessage) => void>>();

  publish(destination: string, message: PreparedMessage): void {
    const set = this.listeners.get(destination);
    if (set === undefined) return;
    for (const listener of set) listener(message);
  }

  async subscribe(destination: string, listener: (message: PreparedMessage) => void): Promise<() => void> {
    let set = this.listeners.get(destination);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(destination, set);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(destination);
      if (current === undefined) return;
      current.delete(listener);
      if (current.size === 0) this.listeners.delete(destination);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

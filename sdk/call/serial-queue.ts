/**
 * Runs async tasks one after another, in the order they were pushed. A task that throws does not
 * stop the queue; its error goes to `onError`. Used per peer so that no two operations on one
 * RTCPeerConnection ever overlap.
 */
export class SerialQueue {
  #tail: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #onError: (error: unknown) => void;

  /** @param onError - receives what a task threw */
  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  /**
   * Appends a task; resolves when it has run (never rejects).
   * @param task - the work; not started once the queue is closed
   */
  push(task: () => Promise<void> | void): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.#closed) return;
      try {
        await task();
      } catch (error) {
        this.#onError(error);
      }
    };
    this.#tail = this.#tail.then(run);
    return this.#tail;
  }

  /** Drops every task not yet started. */
  close(): void {
    this.#closed = true;
  }

  /** Resolves once every task pushed so far has run. */
  idle(): Promise<void> {
    return this.#tail;
  }
}

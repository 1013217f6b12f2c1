import type { Clock } from './clock.js';

export interface HeartbeatPlan {
  /** 0 = the server sends none */
  sendEveryMs: number;
  /** 0 = the server expects none */
  expectEveryMs: number;
}

/**
 * https://stomp.github.io/stomp-specification-1.2.html#Heart-beating
 * Client header `cx,cy`; the server offers sx (can send) and sy (wants to receive).
 */
export function negotiateHeartbeat(clientHeader: string | undefined, serverSendMs: number, serverWantMs: number): HeartbeatPlan {
  let cx = 0;
  let cy = 0;
  if (clientHeader !== undefined) {
    const m = /^(\d+),(\d+)$/.exec(clientHeader);
    if (m === null) return { sendEveryMs: 0, expectEveryMs: 0 };
    cx = Number(m[1]);
    cy = Number(m[2]);
  }
  return {
    sendEveryMs: serverSendMs === 0 || cy === 0 ? 0 : Math.max(serverSendMs, cy),
    expectEveryMs: serverWantMs === 0 || cx === 0 ? 0 : Math.max(serverWantMs, cx),
  };
}

/**
 * Sends an EOL when the connection has been quiet outbound, and reports a client that
 * has been silent for `tolerance` intervals. Any incoming byte counts as activity.
 */
export class HeartbeatMonitor {
  private lastIn: number;
  private lastOut: number;
  private timer: unknown = undefined;

  constructor(
    private readonly plan: HeartbeatPlan,
    private readonly tolerance: number,
    private readonly clock: Clock,
    private readonly sendBeat: () => void,
    private readonly onTimeout: () => void,
  ) {
    this.lastIn = clock.now();
    this.lastOut = clock.now();
  }

  start(): void {
    const intervals = [this.plan.sendEveryMs, this.plan.expectEveryMs].filter((n) => n > 0);
    if (intervals.length === 0) return;
    // Check at half the shortest interval so a beat is never late by more than that.
    const tick = Math.max(50, Math.floor(Math.min(...intervals) / 2));
    this.timer = this.clock.setInterval(() => this.check(), tick);
  }

  sawIncoming(): void {
    this.lastIn = this.clock.now();
  }

  sawOutgoing(): void {
    this.lastOut = this.clock.now();
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearInterval(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    const now = this.clock.now();
    if (this.plan.expectEveryMs > 0 && now - this.lastIn > this.plan.expectEveryMs * this.tolerance) {
      this.stop();
      this.onTimeout();
      return;
    }
    if (this.plan.sendEveryMs > 0 && now - this.lastOut >= this.plan.sendEveryMs) {
      this.sendBeat();
      this.lastOut = now;
    }
  }
}

import { ParleyError } from './errors.js';
import { resumeMachine } from './resume-machine.js';
import type { ResumeMachine, ResumeOp } from './resume-machine.js';
import type { RoomHost } from './room-host.js';
import { historyPath } from './rooms-api.js';
import { pageEntries } from './message-buffer.js';
import type { StreamEntry } from './message-buffer.js';
import type { HistoryPage, ResumeInfo } from './types.js';

/** The driver of a room's {@link ResumeMachine}. @internal */
export interface ResumeDriver {
  readonly machine: ResumeMachine;
  /**
   * Performs what one input of the machine returned, e.g. `run(machine.received(messages))`.
   * A `reset` (see {@link ResumeDriver.reset}) drops what an older input still had to do.
   */
  run(ops: readonly ResumeOp[]): void;
  /** The connection is gone: disarm the timer, drop answers still in flight, reset the machine. */
  reset(): void;
}

/**
 * Creates the driver: REST pages and one timer for the machine, nothing else.
 * @param host - the room's client (clock, REST, error reports, `requestTimeoutMs` as the resume deadline)
 * @param roomId - the room
 * @param deliver - hands messages and mutations to the application, in order
 * @param timedOut - the subscription got no `resume` frame in time
 * @param resumed - caught up
 * @internal
 */
export function resumeDriver(
  host: RoomHost,
  roomId: number,
  deliver: (entries: readonly StreamEntry[]) => void,
  timedOut: (error: ParleyError) => void,
  resumed: (info: ResumeInfo) => void,
): ResumeDriver {
  const { clock } = host;
  const machine = resumeMachine(host.maxMessagesInMemory, host.requestTimeoutMs);
  let generation = 0;
  let timer: unknown;

  const arm = (ms: number | null): void => {
    clock.clearTimeout(timer);
    timer = undefined;
    if (ms === null) return;
    const gen = generation;
    timer = clock.setTimeout(() => {
      timer = undefined;
      if (gen === generation) run(machine.waited());
    }, ms);
  };

  // One handler per operation; `gen` is the generation the operation belongs to.
  const handlers: { [K in ResumeOp[0]]: (arg: Extract<ResumeOp, readonly [K, unknown]>[1], gen: number) => void } = {
    deliver,
    fetch: (afterSeq, gen) =>
      void host.rest<HistoryPage>('GET', historyPath(roomId, { after: afterSeq, limit: 200 }), undefined, true).then(
        (page) => gen === generation && run(machine.paged(pageEntries(page))),
        (error: unknown) => {
          if (gen !== generation) return;
          host.reportError(ParleyError.from(error));
          run(machine.pageFailed());
        },
      ),
    wait: (ms) => arm(ms),
    timeout: (ms) => timedOut(ParleyError.timeout('resume', ms)),
    missing: (gap) => host.reportError(new ParleyError('INTERNAL', `Messages ${gap.afterSeq + 1}–${gap.untilSeq} missing`)),
    resumed,
  };

  const run = (ops: readonly ResumeOp[]): void => {
    const gen = generation;
    for (const [op, arg] of ops) {
      // An op may end the subscription (a listener left the room): drop the rest.
      if (gen !== generation) return;
      (handlers[op] as (arg: unknown, gen: number) => void)(arg, gen);
    }
  };

  return {
    machine,
    run,
    reset() {
      generation++;
      arm(null);
      machine.reset();
    },
  };
}

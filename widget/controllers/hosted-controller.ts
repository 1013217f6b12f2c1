import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * A reactive controller that registers itself with its host and follows one async source at a
 * time: `generation` is bumped by each (re)start, so answers meant for an earlier one are dropped.
 */
export abstract class HostedController implements ReactiveController {
  protected readonly host: ReactiveControllerHost;
  protected generation = 0;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {}

  abstract hostDisconnected(): void;
}

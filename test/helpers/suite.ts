import { beforeAll, beforeEach } from 'vitest';

/**
 * `beforeAll`, except that a failure fails every test of the describe with its error. Vitest
 * reports the tests behind a failed `beforeAll` as skipped, and a MySQL suite that cannot reach
 * its server must read as failed, never as skipped.
 */
export function beforeAllOrFailEach(setup: () => Promise<void>): void {
  let failure: { error: unknown } | undefined;
  beforeAll(async () => {
    try {
      await setup();
    } catch (error: unknown) {
      failure = { error };
    }
  });
  beforeEach(() => {
    if (failure !== undefined) throw failure.error;
  });
}

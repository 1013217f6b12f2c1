import fc from 'fast-check';

/**
 * Property runs are bounded by count and by time: a few seconds each inside `npm test`, minutes
 * under `npm run fuzz` (FUZZ_RUNS, FUZZ_TIME_MS). The seed is printed so a failure can be replayed
 * with FUZZ_SEED.
 */
export const FUZZ_RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
export const FUZZ_TIME_MS = Number(process.env['FUZZ_TIME_MS'] ?? 3000);
/** A vitest timeout that leaves room for the time-boxed run. */
export const FUZZ_TEST_TIMEOUT_MS = FUZZ_TIME_MS + 30_000;

/** Runs a property; throws fast-check's report (with seed and counterexample) when it fails. Returns the cases tried. */
export async function runProperty<Ts>(name: string, property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>): Promise<number> {
  const seed = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
  const details = await fc.check(property as fc.IAsyncProperty<Ts>, { numRuns: FUZZ_RUNS, seed, interruptAfterTimeLimit: FUZZ_TIME_MS, markInterruptAsFailure: false });
  process.stdout.write(`[fuzz] ${name}: ${details.numRuns} cases, seed ${seed}${details.failed ? ' FAILED' : ''}\n`);
  if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? `${name} failed (seed ${seed})`);
  return details.numRuns;
}

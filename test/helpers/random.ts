import { randomInt } from 'node:crypto';

/** mulberry32: small, fast and good enough to drive test schedules; the same seed gives the same draws. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed for a randomised test: `process.env[envName]` when set (to replay a failure), else a
 * fresh one. Printed either way, because a failure that cannot be replayed cannot be debugged.
 */
export function testSeed(envName: string, label = envName): number {
  const fromEnv = process.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv);
    if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new RangeError(`${envName} must be an integer in [0, 2^32), got '${fromEnv}'`);
    console.log(`${label}: seed ${seed} (from ${envName})`);
    return seed;
  }
  const seed = randomInt(0, 0xffff_ffff);
  console.log(`${label}: seed ${seed} (replay with ${envName}=${seed})`);
  return seed;
}

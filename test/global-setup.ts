/**
 * Runs once before any test file. With REQUIRE_MYSQL=1 (CI sets it) an unreachable MySQL stops
 * the whole run here with one clear message, instead of every MySQL suite failing on its own
 * after the SQLite half has run. Without it, those suites still fail (never skip) one by one.
 */
import { mysqlTestUrl, mysqlUnreachable, runMysql } from './helpers/databases.js';

export default async function setup(): Promise<void> {
  // The WebRTC run (scripts/in-netns.sh) is cut off from MySQL by design and uses none.
  if (process.env['REQUIRE_MYSQL'] !== '1' || process.env['PARLEY_NETNS'] === '1') return;
  try {
    await runMysql(mysqlTestUrl(), ['SELECT 1']);
  } catch (e: unknown) {
    throw mysqlUnreachable(e);
  }
}

// Prints the README's environment table from backend/config.ts, so the two cannot disagree.
import { CONFIG_SPEC } from '../backend/config.js';

const rows = Object.values(CONFIG_SPEC).map((spec) => {
  const d = spec.default;
  const shown = d === undefined ? '(unset)' : Array.isArray(d) ? (d.length === 0 ? '(none)' : d.join(',')) : String(d);
  return `| \`${spec.env}\` | \`${shown}\` | ${spec.doc} |`;
});
process.stdout.write(['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n') + '\n');

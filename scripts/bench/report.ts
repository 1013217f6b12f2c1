// Turns one `npm run bench` run into bench/results/latest.{json,md,svg}. Every figure is also given
// as a ratio against the raw `ws` loop measured in the same run: the machine is shared, the
// absolute numbers drift from run to run, the ratios much less.

export interface ScenarioResult {
  latency: { offeredPerS: number; achievedPerS: number; p50Ms: number; p99Ms: number };
  saturationPerS: number;
}

export interface TargetResult {
  name: string;
  idleServerRssMiB: number;
  idleConnections: number;
  rssPerConnectionKiB: number;
  bigRoom: ScenarioResult;
  manyRooms: ScenarioResult;
  /** Parley only: replay of missed messages on resubscribe. */
  resume?: { messages: number; ms: number };
}

export interface BenchRun {
  date: string;
  commit: string;
  node: string;
  cpus: string;
  pinned: boolean;
  /** `uptime` load averages (1, 5, 15 min) before and after the run. */
  loadBefore: number[];
  loadAfter: number[];
  settings: Record<string, number | string>;
  targets: TargetResult[];
}

interface Row {
  label: string;
  value: (t: TargetResult) => number | undefined;
  unit: string;
  /** Lower is better: the ratio is still value / raw, the reader is told which way is good. */
  lowerIsBetter: boolean;
}

export const ROWS: Row[] = [
  { label: 'One room (500 subs): saturation', value: (t) => t.bigRoom.saturationPerS, unit: 'deliveries/s', lowerIsBetter: false },
  { label: 'One room: p50 at 10k deliveries/s', value: (t) => t.bigRoom.latency.p50Ms, unit: 'ms', lowerIsBetter: true },
  { label: 'One room: p99 at 10k deliveries/s', value: (t) => t.bigRoom.latency.p99Ms, unit: 'ms', lowerIsBetter: true },
  { label: '1,000 rooms × 10: saturation', value: (t) => t.manyRooms.saturationPerS, unit: 'deliveries/s', lowerIsBetter: false },
  { label: '1,000 rooms: p50 at 10k deliveries/s', value: (t) => t.manyRooms.latency.p50Ms, unit: 'ms', lowerIsBetter: true },
  { label: '1,000 rooms: p99 at 10k deliveries/s', value: (t) => t.manyRooms.latency.p99Ms, unit: 'ms', lowerIsBetter: true },
  { label: 'RSS per idle joined connection', value: (t) => t.rssPerConnectionKiB, unit: 'KiB', lowerIsBetter: true },
  { label: 'Idle server RSS', value: (t) => t.idleServerRssMiB, unit: 'MiB', lowerIsBetter: true },
  { label: 'Resume 1,000 missed messages', value: (t) => t.resume?.ms, unit: 'ms', lowerIsBetter: true },
];

const fmt = (n: number | undefined): string =>
  n === undefined || Number.isNaN(n) ? '—' : n >= 1000 ? Math.round(n).toLocaleString('en-US') : n >= 100 ? n.toFixed(0) : n.toFixed(1);

export function markdown(run: BenchRun): string {
  const raw = run.targets.find((t) => t.name === 'raw-ws')!;
  const head = `| | ${run.targets.map((t) => t.name).join(' | ')} | ${run.targets.filter((t) => t !== raw).map((t) => `${t.name} ÷ raw`).join(' | ')} |`;
  const sep = `| --- | ${run.targets.map(() => '---:').join(' | ')} | ${run.targets.filter((t) => t !== raw).map(() => '---:').join(' | ')} |`;
  const lines = ROWS.map((row) => {
    const base = row.value(raw);
    const values = run.targets.map((t) => fmt(row.value(t)));
    const ratios = run.targets.filter((t) => t !== raw).map((t) => {
      const v = row.value(t);
      return v === undefined || base === undefined || base === 0 ? '—' : `${(v / base).toFixed(2)}×`;
    });
    return `| ${row.label} (${row.unit}, ${row.lowerIsBetter ? 'lower' : 'higher'} is better) | ${values.join(' | ')} | ${ratios.join(' | ')} |`;
  });
  return [
    `Run ${run.date} on ${run.commit}, Node ${run.node}, ${run.cpus}; server ${run.pinned ? 'pinned to CPU 0, load generator to CPU 1' : 'not pinned (no taskset)'}.`,
    `Load average (1/5/15 min) before: ${run.loadBefore.join(' / ')}, after: ${run.loadAfter.join(' / ')}.`,
    '',
    head,
    sep,
    ...lines,
    '',
  ].join('\n');
}

/** Bars of each row, scaled to the raw loop (= 1.0), one group per row. */
export function svg(run: BenchRun): string {
  const raw = run.targets.find((t) => t.name === 'raw-ws')!;
  const colours = ['#8a8f98', '#e0a030', '#3a7bd5'];
  const rows = ROWS.filter((r) => r.value(raw) !== undefined);
  const barH = 14;
  const groupH = run.targets.length * barH + 26;
  const left = 300;
  const scale = 160; // px per 1.0×
  const width = left + scale * 3 + 80;
  const height = rows.length * groupH + 50;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="8" y="18" font-weight="bold">Parley vs Socket.IO vs a raw ws loop, as a ratio of the raw loop (same run, load ${run.loadBefore[0]})</text>`,
    `<line x1="${left + scale}" y1="26" x2="${left + scale}" y2="${height - 8}" stroke="#999" stroke-dasharray="3,3"/>`,
  ];
  rows.forEach((row, i) => {
    const y0 = 34 + i * groupH;
    parts.push(`<text x="8" y="${y0 + 12}">${row.label} (${row.lowerIsBetter ? 'lower' : 'higher'} is better)</text>`);
    const base = row.value(raw)!;
    run.targets.forEach((t, k) => {
      const v = row.value(t);
      const y = y0 + 18 + k * barH;
      const ratio = v === undefined || base === 0 ? 0 : v / base;
      const w = Math.min(scale * 3, ratio * scale);
      parts.push(`<text x="${left - 6}" y="${y + 10}" text-anchor="end" fill="#444">${t.name}</text>`);
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH - 3}" fill="${colours[k % colours.length]}"/>`);
      parts.push(`<text x="${left + w + 4}" y="${y + 10}" fill="#222">${v === undefined ? 'n/a' : `${ratio.toFixed(2)}× (${fmt(v)} ${row.unit})`}</text>`);
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

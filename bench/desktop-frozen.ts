// Bench: the story this product exists for, through the desktop path (issue 12). The real desktop entry under the
// Chromium-backed Electron stand-in (test/desktop/standin) backs up generated random data to a fresh local
// repository, started from the tray, either with the window's renderer suspended (SIGSTOP) for the whole backup or
// with no window at all (started --hidden). Runs are ALTERNATED in one process (none, suspended, none, ...).
//
//   node --import tsx bench/desktop-frozen.ts [--size-mb 1024] [--runs 3] [--hz 4] [--quick] [--cache-dir DIR]
//
// --quick: 256 MiB, 1 run each. Needs `npm run build` (dist/) and /usr/bin/chromium.
// Figures (medians): wall-time ratio suspended/none (target <= 1.05), the main process's RSS peak growth during the
// backup (<= 20 MB), snapshots on their way to the suspended window at once (<= 1: nothing queues per update),
// and from SIGCONT to the final state on screen (<= one UI tick, 1000/uiUpdateHz ms). Also: the page's timer ticks
// and deliveries while suspended (0: it really ran nothing).
import { parseArgs } from 'node:util';
import { defaultCacheDir, ensureBenchData } from './serve-sse/bench-data.js';
import { runFrozenBackup, type FrozenRun } from '../test/desktop/frozen-story.js';

const { values } = parseArgs({
  options: {
    'size-mb': { type: 'string' },
    runs: { type: 'string' },
    hz: { type: 'string', default: '4' },
    quick: { type: 'boolean', default: false },
    'cache-dir': { type: 'string' },
  },
});

const sizeMiB = Number(values['size-mb'] ?? (values.quick ? '256' : '1024'));
const runs = Number(values.runs ?? (values.quick ? '1' : '3'));
const hz = Number(values.hz);
if (!Number.isInteger(sizeMiB) || sizeMiB < 1 || !Number.isInteger(runs) || runs < 1 || !(hz > 0)) {
  throw new Error('--size-mb and --runs must be whole numbers >= 1, --hz > 0');
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const sourceDir = await ensureBenchData(values['cache-dir'] ?? defaultCacheDir(sizeMiB), sizeMiB, log);
log(`source ${sourceDir}: ${sizeMiB} MiB; ${runs} run(s) each, alternated: no window, window suspended; uiUpdateHz ${hz}`);

const rows: FrozenRun[] = [];
for (let i = 0; i < runs; i++) {
  for (const mode of ['none', 'suspended'] as const) {
    const row = await runFrozenBackup({ mode, sourceDir, uiUpdateHz: hz, log });
    rows.push(row);
    process.stdout.write(`${JSON.stringify({ bench: 'desktop-frozen', run: i + 1, sizeMiB, ...row })}\n`);
  }
}

const of = (mode: FrozenRun['mode']) => rows.filter((r) => r.mode === mode);
const none = median(of('none').map((r) => r.wallSeconds));
const suspended = median(of('suspended').map((r) => r.wallSeconds));
const ratio = suspended / none;
const rssGrowth = median(of('suspended').map((r) => r.rssPeakGrowthMB));
const rssGrowthNone = median(of('none').map((r) => r.rssPeakGrowthMB));
const maxPending = Math.max(...of('suspended').map((r) => r.maxPendingSends));
const thaw = median(of('suspended').map((r) => r.finalStateAfterThawMs ?? Infinity));
const ticks = Math.max(...of('suspended').map((r) => r.pageTicksWhileSuspended ?? 0));
const deliveries = Math.max(...of('suspended').map((r) => r.pageDeliveriesWhileSuspended ?? 0));
const tick = 1000 / hz;
const ok = {
  ratio: ratio <= 1.05,
  rss: rssGrowth <= 20,
  pending: maxPending <= 1,
  thaw: thaw <= tick,
  suspended: ticks === 0 && deliveries === 0,
  success: rows.every((r) => r.status === 'success'),
};
const summary = {
  bench: 'desktop-frozen',
  summary: true,
  sizeMiB,
  runs,
  uiUpdateHz: hz,
  wallSecondsNone: none,
  wallSecondsSuspended: suspended,
  wallRatio: Math.round(ratio * 1000) / 1000,
  rssPeakGrowthMBSuspended: rssGrowth,
  rssPeakGrowthMBNone: rssGrowthNone,
  maxPendingSends: maxPending,
  finalStateAfterThawMs: thaw,
  pageTicksWhileSuspended: ticks,
  pageDeliveriesWhileSuspended: deliveries,
  targets: { wallRatio: 1.05, rssPeakGrowthMB: 20, maxPendingSends: 1, finalStateAfterThawMs: tick },
  ok,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
const verdict = (b: boolean) => (b ? 'ok' : 'MISSED');
log(
  [
    `backup of ${sizeMiB} MiB, medians of ${runs} run(s) each`,
    `wall time: no window ${none.toFixed(2)} s, window suspended ${suspended.toFixed(2)} s, ratio ${ratio.toFixed(3)} (<= 1.05: ${verdict(ok.ratio)})`,
    `main-process RSS peak growth: suspended ${rssGrowth.toFixed(1)} MB, no window ${rssGrowthNone.toFixed(1)} MB (<= 20 MB: ${verdict(ok.rss)})`,
    `snapshots on their way to the suspended window at once: max ${maxPending} (<= 1: ${verdict(ok.pending)})`,
    `thawed -> final state on screen: ${thaw} ms (<= ${tick} ms: ${verdict(ok.thaw)})`,
    `page while suspended: ${ticks} timer ticks, ${deliveries} deliveries (0: ${verdict(ok.suspended)}); all succeeded: ${ok.success}`,
  ].join('\n'),
);
process.exitCode = Object.values(ok).every(Boolean) ? 0 : 1;

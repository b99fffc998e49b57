// Bench: what non-reading SSE clients cost `backstay serve` (issue 3). A script, not a timed test.
//
//   node --import tsx bench/serve-sse.ts [--size-mb 2048] [--clients 50] [--runs 3] [--warmup 1] [--hz 4]
//                                        [--plans 200] [--cache-dir DIR]
//   node --expose-gc --import tsx bench/serve-sse.ts --mode fake [--seconds 10] [--clients 50] [--rate 2000] [--pad 0]
//
// --mode real (default): a real restic backup of --size-mb MiB of random data (generated once into --cache-dir,
// default $TMPDIR/backstay-bench-data/<size>MiB) to a fresh local repository, through the engine of a separate host
// process, with 0 and with --clients SSE clients that never read (and one that reads), alternated --runs times each.
// Reports the medians: wall-time ratio (target <= 1.05), host RSS growth (<= 20 MB), event-loop delay p99 of the
// host during the backup (<= 10 ms). --plans adds plans to config.json so that each snapshot is large enough
// (~50 KB at 200) for a stuck client's kernel buffers to fill and the server's backpressure to act.
//
// --mode fake: the synthetic flood over a fake engine (bench/serve-sse/fake-workload.ts).
import { parseArgs } from 'node:util';
import { runFakeBench } from './serve-sse/fake-workload.js';
import { runRealBench } from './serve-sse/real-backup.js';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'real' },
    clients: { type: 'string', default: '50' },
    hz: { type: 'string', default: '4' },
    // real
    'size-mb': { type: 'string', default: '2048' },
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    plans: { type: 'string', default: '200' },
    'cache-dir': { type: 'string' },
    // fake
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '2000' },
    pad: { type: 'string', default: '0' },
  },
});

function whole(name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number >= ${min} (got "${value}")`);
  return n;
}

if (values.mode === 'fake') {
  await runFakeBench({
    seconds: Number(values.seconds),
    clients: whole('clients', values.clients, 0),
    rate: Number(values.rate),
    hz: Number(values.hz),
    pad: whole('pad', values.pad, 0),
  });
} else if (values.mode === 'real') {
  await runRealBench({
    sizeMiB: whole('size-mb', values['size-mb'], 1),
    clients: whole('clients', values.clients, 1),
    runs: whole('runs', values.runs, 1),
    warmup: whole('warmup', values.warmup, 0),
    hz: Number(values.hz),
    extraPlans: whole('plans', values.plans, 0),
    cacheDir: values['cache-dir'] ?? null,
  });
} else {
  throw new Error(`--mode must be "real" or "fake" (got "${values.mode}")`);
}

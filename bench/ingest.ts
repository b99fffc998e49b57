// Ingest benchmark (issue 2): how many restic output lines per second the reader + parser + supervisor sustain.
// restic itself sends at most 60 status lines a second; the target (>= 200,000 lines/s on a 2-core machine) is the
// headroom that keeps Backstay from ever being the reason restic waits on a full pipe.
//
//   node --import tsx bench/ingest.ts [--lines N] [--quick]
//
// Three figures, each over N status lines (default 2,000,000; --quick 200,000):
// - supervisor: a ResticProcess (main/core/supervisor) running the fake restic with `floodStatus N`, measured from
//   spawn to `done` (process start, pipe, line splitting, JSON parsing, progress tracking, events).
// - producer: the same fake restic with its stdout only drained, no parsing: the ceiling the fake itself sets. When
//   the supervisor figure is close to it, the fake is the bottleneck and Backstay's own rate is higher still.
// - in-process: LineSplitter + parseResticLine + ProgressTracker over a prebuilt buffer fed in 64 KiB chunks (no
//   process, no pipe): the cost of Backstay's own code per line.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LineSplitter } from '../main/core/restic/line-reader.js';
import { parseResticLine } from '../main/core/restic/parse.js';
import { ProgressTracker } from '../main/core/supervisor/progress-tracker.js';
import { ResticProcess } from '../main/core/supervisor/restic-process.js';
import { makeFakeRestic } from '../test/helpers/fake-restic.js';

const TARGET = 200_000;
const CHUNK_BYTES = 64 * 1024;

const { values } = parseArgs({
  options: {
    lines: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});
const lines = Number(values.lines ?? (values.quick ? 200_000 : 2_000_000));
if (!Number.isInteger(lines) || lines < 1000) throw new Error('--lines must be a whole number >= 1000');

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

async function supervisorRate(binary: string): Promise<{ linesPerSecond: number; progressEvents: number; seconds: number }> {
  let progressEvents = 0;
  const proc = new ResticProcess({
    binary,
    args: ['backup', '--json', '--', '/data'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    kind: 'backup',
    stallAfterMs: 300_000,
    cancelGraceMs: 15_000,
    onEvent: (event) => {
      if (event.type === 'progress') progressEvents += 1;
    },
  });
  const started = process.hrtime.bigint();
  proc.start();
  // Bounded: a supervisor that falls behind must show up as a failed figure, not as a bench that never ends.
  const boundMs = Math.max(60_000, lines / 10);
  const timer = setTimeout(() => proc.cancel('user'), boundMs);
  const outcome = await proc.done;
  clearTimeout(timer);
  const took = seconds(started);
  if (outcome.cancelReason) {
    throw new Error(
      `the supervisor did not finish ${lines} lines in ${boundMs / 1000} s (progress reached ${outcome.progress.bytesDone / 1000} lines)`,
    );
  }
  if (outcome.exitCode !== 0) throw new Error(`fake restic exited ${outcome.exitCode}: ${outcome.stderrTail.join(' ')}`);
  if (outcome.progress.bytesDone !== lines * 1000) throw new Error(`progress ended at ${outcome.progress.bytesDone}, not ${lines * 1000}`);
  return { linesPerSecond: lines / took, progressEvents, seconds: took };
}

async function producerRate(binary: string): Promise<{ linesPerSecond: number; seconds: number }> {
  const started = process.hrtime.bigint();
  let newlines = 0;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(binary, ['backup', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines += 1;
    });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`fake restic exited ${code}`))));
  });
  const took = seconds(started);
  if (newlines !== lines) throw new Error(`producer sent ${newlines} lines, not ${lines}`);
  return { linesPerSecond: lines / took, seconds: took };
}

/** The same lines the fake's floodStatus prints. */
function statusBuffer(count: number): Buffer {
  const parts: string[] = [];
  const total = count * 1000;
  for (let j = 0; j < count; j++) {
    parts.push(
      `{"message_type":"status","percent_done":${(j + 1) / count},"total_files":${count},"files_done":${j},"total_bytes":${total},"bytes_done":${(j + 1) * 1000},"current_files":["/data/file-${j}"]}\n`,
    );
  }
  return Buffer.from(parts.join(''));
}

function inProcessRate(buffer: Buffer, count: number): { linesPerSecond: number; seconds: number } {
  const tracker = new ProgressTracker(() => Date.now());
  let seen = 0;
  const splitter = new LineSplitter((text) => {
    const message = parseResticLine(text, { kind: 'backup' });
    if (message.type === 'status') tracker.onStatus(message.progress);
    seen += 1;
  });
  const started = process.hrtime.bigint();
  for (let at = 0; at < buffer.length; at += CHUNK_BYTES) splitter.push(buffer.subarray(at, at + CHUNK_BYTES));
  splitter.end();
  const took = seconds(started);
  if (seen !== count || tracker.bytesDone !== count * 1000) throw new Error(`in-process saw ${seen} lines, ${tracker.bytesDone} bytes`);
  return { linesPerSecond: count / took, seconds: took };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'backstay-bench-ingest-'));
  try {
    const { binary } = await makeFakeRestic(dir, { steps: [{ floodStatus: lines }], exitCode: 0 });
    console.log(`ingest: ${lines.toLocaleString('en')} status lines; ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const producer = await producerRate(binary);
    console.log(`producer (fake restic, stdout drained only): ${fmt(producer.linesPerSecond)} lines/s in ${producer.seconds.toFixed(2)} s`);
    const supervisor = await supervisorRate(binary);
    console.log(
      `supervisor (ResticProcess, spawn to done):   ${fmt(supervisor.linesPerSecond)} lines/s in ${supervisor.seconds.toFixed(2)} s ` +
        `(${supervisor.progressEvents.toLocaleString('en')} progress events)`,
    );
    const buffer = statusBuffer(lines);
    const warmUp = Math.min(lines, 50_000);
    inProcessRate(statusBuffer(warmUp), warmUp); // let the JIT settle before timing
    const inProcess = inProcessRate(buffer, lines);
    console.log(`in-process (split + parse + track):          ${fmt(inProcess.linesPerSecond)} lines/s in ${inProcess.seconds.toFixed(2)} s`);
    console.log(`target >= ${fmt(TARGET)} lines/s: ${supervisor.linesPerSecond >= TARGET ? 'met' : 'NOT met'}`);
    console.log(
      JSON.stringify({
        bench: 'ingest',
        lines,
        supervisorLinesPerSecond: Math.round(supervisor.linesPerSecond),
        producerLinesPerSecond: Math.round(producer.linesPerSecond),
        inProcessLinesPerSecond: Math.round(inProcess.linesPerSecond),
        target: TARGET,
        pass: supervisor.linesPerSecond >= TARGET,
        loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
        cpus: os.cpus().length,
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en');
}

await main();

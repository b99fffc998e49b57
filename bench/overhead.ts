// Overhead benchmark (issue 2): what `backstay backup PLAN --json` costs over plain `restic backup --json` with the
// same arguments, on the same generated data, to a local repository.
//
//   node --import tsx bench/overhead.ts [--gib N] [--runs N] [--quick] [--cache-dir DIR]
//
// --gib (default 2): random data (restic can neither compress nor deduplicate it), generated once into a cache folder
// under os.tmpdir() (shared with bench/serve-sse.ts) and reused. --runs (default 3): runs of each, ALTERNATED in one
// process (restic, backstay, restic, backstay, ...) so that a machine that gets busier or quieter affects both alike.
// Every run goes into a fresh repository (`restic init` untimed): into one repository, deduplication would make every
// later run trivial. Wall time from spawn to exit, including Node's start-up for the CLI. --quick: 0.25 GiB.
// Figure: median(backstay) / median(restic) of wall time. Target <= 1.03. Also printed, to tell Backstay's cost from a
// busy machine: restic's own total_duration in both, and the CPU seconds of the CLI process itself. The CLI is the built one when
// dist/ exists (package.json's `bin`, as `npx backstay`), else the sources through tsx; the output says which.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { planTag } from '../main/core/restic/args.js';
import { defaultCacheDir, ensureBenchData } from './serve-sse/bench-data.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PLAN = 'bench';
const PASSWORD = 'bench-password-not-secret';

const { values } = parseArgs({
  options: {
    gib: { type: 'string' },
    runs: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    'cache-dir': { type: 'string' },
  },
});

const gib = Number(values.gib ?? (values.quick ? '0.25' : '2'));
const runs = Number(values.runs);
if (!(gib > 0) || !Number.isInteger(runs) || runs < 1) throw new Error('--gib must be > 0 and --runs a whole number >= 1');
const sizeMiB = Math.round(gib * 1024);

interface Cli {
  label: 'built' | 'tsx';
  command: string[];
}

/** The built CLI through package.json's `bin` entry when dist/ exists (what `npx backstay` runs), else tsx. */
function cliCommand(): Cli {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  const bin = pkg.bin?.backstay;
  if (bin && existsSync(path.join(ROOT, 'dist/main/hosts/cli/main.js')) && existsSync(path.join(ROOT, bin))) {
    return { label: 'built', command: [process.execPath, path.join(ROOT, bin)] };
  }
  return { label: 'tsx', command: [process.execPath, '--import', 'tsx', path.join(ROOT, 'main/hosts/cli/main.ts')] };
}

/** Runs a command with stdin closed and stdout read to the end (as a script consuming --json would); wall seconds. */
interface Timed {
  seconds: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The child's own CPU seconds (not its children's), sampled every 200 ms from /proc: the last sample. */
  ownCpuSeconds: number | null;
}

function timed(argv: string[], env: NodeJS.ProcessEnv): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
    let ownCpuSeconds: number | null = null;
    const sampler = setInterval(() => {
      ownCpuSeconds = cpuSecondsOf(child.pid) ?? ownCpuSeconds;
    }, 200);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    // Only the last part of stdout is kept (the finished line / summary); restic prints many status lines.
    let outBytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      out.push(chunk);
      outBytes += chunk.length;
      while (outBytes > 256 * 1024 && out.length > 1) outBytes -= out.shift()!.length;
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      clearInterval(sampler);
      resolve({ seconds, exitCode: code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ownCpuSeconds });
    });
  });
}

/** utime + stime of one process (Linux /proc; clock ticks are 100 a second there), or null. */
function cpuSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

interface RunFigures {
  wall: number;
  /** restic's own total_duration from its summary: the backup itself, without any start-up around it. */
  resticDuration: number;
  /** The CLI process's own CPU seconds (backstay runs only). */
  cliCpu: number | null;
}

async function freshRepo(workDir: string, n: number): Promise<{ repo: string; passwordFile: string }> {
  const repo = path.join(workDir, `repo-${n}`);
  const passwordFile = path.join(workDir, 'password');
  await writeFile(passwordFile, PASSWORD, { mode: 0o600 });
  const init = await timed(['restic', 'init'], resticEnv(repo, passwordFile));
  if (init.exitCode !== 0) throw new Error(`restic init failed: ${init.stderr}`);
  return { repo, passwordFile };
}

function resticEnv(repo: string, passwordFile: string): NodeJS.ProcessEnv {
  return { ...process.env, RESTIC_REPOSITORY: repo, RESTIC_PASSWORD_FILE: passwordFile, RESTIC_PASSWORD: undefined };
}

async function runRestic(workDir: string, n: number, source: string): Promise<RunFigures> {
  const { repo, passwordFile } = await freshRepo(workDir, n);
  // The same arguments the engine builds for a plan (main/core/restic/args.ts backupArgs).
  const result = await timed(['restic', 'backup', '--json', '--tag', planTag(PLAN), '--', source], resticEnv(repo, passwordFile));
  if (result.exitCode !== 0) throw new Error(`restic backup exited ${result.exitCode}: ${result.stderr}`);
  const summary = result.stdout.split('\n').find((l) => l.includes('"message_type":"summary"'));
  if (!summary) throw new Error('restic printed no summary');
  await rm(repo, { recursive: true, force: true });
  return { wall: result.seconds, resticDuration: Number(JSON.parse(summary).total_duration), cliCpu: null };
}

async function runBackstay(cli: Cli, workDir: string, n: number, source: string): Promise<RunFigures> {
  const { repo, passwordFile } = await freshRepo(workDir, n);
  const dataDir = path.join(workDir, `data-${n}`);
  await mkdir(dataDir, { recursive: true });
  const config = {
    version: 1,
    repos: [{ id: 'local', uri: repo, password: { file: passwordFile } }],
    plans: [{ id: PLAN, repo: 'local', paths: [source] }],
    settings: { resticBinary: null, stallAfterSeconds: 300, cancelGraceSeconds: 15, uiUpdateHz: 4 },
  };
  await writeFile(path.join(dataDir, 'config.json'), JSON.stringify(config, null, 2));
  const env = { ...process.env, BACKSTAY_RESTIC: undefined, BACKSTAY_DATA_DIR: undefined };
  const result = await timed([...cli.command, 'backup', PLAN, '--json', '--data-dir', dataDir], env);
  const finished = result.stdout.split('\n').filter((l) => l.includes('"type":"finished"')).pop();
  if (result.exitCode !== 0 || !finished || JSON.parse(finished).status !== 'success') {
    throw new Error(`backstay backup exited ${result.exitCode}: ${result.stderr.trim()} ${finished ?? ''}`);
  }
  await rm(repo, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
  return { wall: result.seconds, resticDuration: Number(JSON.parse(finished).summary?.totalDuration), cliCpu: result.ownCpuSeconds };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Reads every file once so that the first timed run does not pay for a cold page cache alone. */
async function warmPageCache(dir: string): Promise<void> {
  for (const name of await readdir(dir)) await readFile(path.join(dir, name));
}

async function main(): Promise<void> {
  const cli = cliCommand();
  const source = await ensureBenchData(values['cache-dir'] ?? defaultCacheDir(sizeMiB), sizeMiB, (l) => console.log(l));
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'backstay-bench-overhead-'));
  console.log(`overhead: ${sizeMiB} MiB from ${source}, ${runs} runs each, alternated; CLI: ${cli.label} (${cli.command.slice(1).join(' ')})`);
  console.log(`restic: ${(await timed(['restic', 'version'], process.env)).stdout.trim()}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const restic: RunFigures[] = [];
  const backstay: RunFigures[] = [];
  try {
    await warmPageCache(source);
    for (let i = 0; i < runs; i += 1) {
      const r = await runRestic(workDir, 2 * i, source);
      restic.push(r);
      console.log(`run ${i + 1}: restic   ${r.wall.toFixed(2)} s (${(sizeMiB / r.wall).toFixed(0)} MiB/s; restic's own duration ${r.resticDuration.toFixed(2)} s)`);
      const b = await runBackstay(cli, workDir, 2 * i + 1, source);
      backstay.push(b);
      console.log(
        `run ${i + 1}: backstay ${b.wall.toFixed(2)} s (${(sizeMiB / b.wall).toFixed(0)} MiB/s; restic's own duration ${b.resticDuration.toFixed(2)} s; ` +
          `CLI process CPU ${b.cliCpu?.toFixed(2) ?? '?'} s)`,
      );
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  const wall = { restic: median(restic.map((r) => r.wall)), backstay: median(backstay.map((r) => r.wall)) };
  const inner = { restic: median(restic.map((r) => r.resticDuration)), backstay: median(backstay.map((r) => r.resticDuration)) };
  const cliCpu = median(backstay.map((r) => r.cliCpu ?? Number.NaN));
  const ratio = wall.backstay / wall.restic;
  console.log(`median wall: restic ${wall.restic.toFixed(2)} s, backstay ${wall.backstay.toFixed(2)} s, ratio ${ratio.toFixed(3)} (target <= 1.03)`);
  console.log(
    `median of restic's own duration: plain ${inner.restic.toFixed(2)} s, under backstay ${inner.backstay.toFixed(2)} s ` +
      `(ratio ${(inner.backstay / inner.restic).toFixed(3)}); backstay CLI CPU ${cliCpu.toFixed(2)} s per run`,
  );
  console.log(
    JSON.stringify({
      bench: 'overhead',
      mib: sizeMiB,
      runs,
      cli: cli.label,
      resticSeconds: restic.map((r) => round3(r.wall)),
      backstaySeconds: backstay.map((r) => round3(r.wall)),
      resticMedianSeconds: round3(wall.restic),
      backstayMedianSeconds: round3(wall.backstay),
      ratio: round3(ratio),
      target: 1.03,
      pass: ratio <= 1.03,
      resticOwnDurationMedian: { plain: round3(inner.restic), underBackstay: round3(inner.backstay) },
      backstayCliCpuSecondsMedian: round3(cliCpu),
      loadAverage: os.loadavg().map(round3),
      cpus: os.cpus().length,
    }),
  );
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

await main();

// The real-restic workload of the serve-sse bench (issue 3): the same backup of generated random data to a fresh
// local repository, with 0 and with N SSE clients that never read (plus, in both, one client that reads), runs
// alternated (0, N, 0, N, ...). Each run is its own host process (host-run.ts); the clients live here. Reports per
// run and the medians: wall-time ratio N/0 (target <= 1.05), host RSS growth (<= 20 MB), event-loop delay p99 of
// the host during the backup (<= 10 ms).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { HostClient } from '../../main/hosts/headless/client.js';
import { stuckSseClient } from '../../main/hosts/headless/testing/http.js';
import { defaultCacheDir, ensureBenchData } from './bench-data.js';
import type { HostRunResult } from './host-run.js';

export interface RealBenchOptions {
  sizeMiB: number;
  clients: number;
  runs: number;
  warmup: number;
  hz: number;
  /** Extra plans in config.json: they make each snapshot bigger, so that a stuck client's kernel buffers fill. */
  extraPlans: number;
  cacheDir: string | null;
}

interface RunRow extends Omit<HostRunResult, 'type' | 'startEpochMs' | 'endEpochMs'> {
  run: string;
  nonReaders: number;
  snapshotKB: number;
  readerPerSecond: number;
}

const HOST_RUN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'host-run.ts');

function nextMessage<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`host-run: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: { type?: string }) => {
      if (message?.type === type) finish(null, message as T);
    };
    const onExit = (code: number | null) => finish(new Error(`host-run exited (${code}) before "${type}"`));
    const finish = (error: Error | null, value?: T) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value!);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function prepareDataDir(root: string, sourceDir: string, opts: RealBenchOptions): Promise<string> {
  const dataDir = path.join(root, 'data');
  const repoPath = path.join(root, 'repo');
  const passwordFile = path.join(root, 'password');
  await mkdir(dataDir);
  await writeFile(passwordFile, randomBytes(16).toString('hex'), { mode: 0o600 });
  await execa('restic', ['init'], { env: { RESTIC_REPOSITORY: repoPath, RESTIC_PASSWORD_FILE: passwordFile }, stdin: 'ignore' });
  const extra = Array.from({ length: opts.extraPlans }, (_, i) => ({
    id: `plan-${i}`,
    repo: 'local',
    paths: [path.join(root, 'elsewhere', `some-long-directory-name-that-makes-the-state-realistically-large-${i}`)],
  }));
  const config = {
    version: 1,
    repos: [{ id: 'local', uri: repoPath, password: { file: passwordFile } }],
    plans: [{ id: 'bench', repo: 'local', paths: [sourceDir] }, ...extra],
    settings: { uiUpdateHz: opts.hz },
  };
  await writeFile(path.join(dataDir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
  return dataDir;
}

async function oneRun(label: string, nonReaders: number, sourceDir: string, opts: RealBenchOptions): Promise<RunRow> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'backstay-bench-'));
  const stuck: net.Socket[] = [];
  const abort = new AbortController();
  let child: ChildProcess | null = null;
  try {
    const dataDir = await prepareDataDir(root, sourceDir, opts);
    child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', HOST_RUN, '--data-dir', dataDir], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await nextMessage<{ port: number; token: string; snapshotBytes: number }>(child, 'ready', 60_000);
    for (let i = 0; i < nonReaders; i += 1) stuck.push(await stuckSseClient(ready.port, ready.token));
    const readerTimes: number[] = [];
    void new HostClient({ port: ready.port, token: ready.token })
      .events(() => readerTimes.push(Date.now()), abort.signal)
      .catch(() => undefined);
    child.send({ type: 'start', streams: nonReaders + 1 });
    const result = await nextMessage<HostRunResult>(child, 'result', 60 * 60_000);
    const { type: _type, startEpochMs, endEpochMs, ...figures } = result;
    const delivered = readerTimes.filter((t) => t >= startEpochMs && t <= endEpochMs).length;
    child.send({ type: 'exit' });
    await new Promise((resolve) => child!.once('exit', resolve));
    return {
      run: label,
      nonReaders,
      snapshotKB: Math.round(ready.snapshotBytes / 1024),
      ...figures,
      readerPerSecond: Math.round((delivered / ((endEpochMs - startEpochMs) / 1000)) * 10) / 10,
    };
  } finally {
    abort.abort();
    for (const socket of stuck) socket.destroy();
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function runRealBench(opts: RealBenchOptions): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const sourceDir = await ensureBenchData(opts.cacheDir ?? defaultCacheDir(opts.sizeMiB), opts.sizeMiB, log);
  log(`source ${sourceDir}: ${opts.sizeMiB} MiB; ${opts.runs} runs each of 0 and ${opts.clients} non-reading clients (after ${opts.warmup} warm-up)`);
  for (let i = 0; i < opts.warmup; i += 1) {
    const row = await oneRun(`warmup-${i + 1}`, 0, sourceDir, opts);
    log(`warm-up: ${row.wallSeconds} s (not counted)`);
  }
  const rows: RunRow[] = [];
  for (let i = 0; i < opts.runs; i += 1) {
    for (const n of [0, opts.clients]) {
      const row = await oneRun(`${i + 1}`, n, sourceDir, opts);
      rows.push(row);
      process.stdout.write(`${JSON.stringify(row)}\n`);
    }
  }
  console.table(rows);

  const of = (n: number, key: keyof RunRow) => rows.filter((r) => r.nonReaders === n).map((r) => Number(r[key]));
  const base = median(of(0, 'wallSeconds'));
  const loaded = median(of(opts.clients, 'wallSeconds'));
  const ratio = loaded / base;
  const rssGrowth = Math.max(median(of(0, 'rssPeakGrowthMB')), median(of(opts.clients, 'rssPeakGrowthMB')));
  const rssGrowthLoaded = median(of(opts.clients, 'rssPeakGrowthMB'));
  const p99 = Math.max(median(of(0, 'loopDelayP99ms')), median(of(opts.clients, 'loopDelayP99ms')));
  const statusesOk = rows.every((r) => r.status === 'success');
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const summary = [
    `backup of ${opts.sizeMiB} MiB, medians of ${opts.runs} runs each, uiUpdateHz ${opts.hz}, snapshot ${rows[0]?.snapshotKB} KB`,
    `wall time: 0 clients ${base.toFixed(2)} s, ${opts.clients} clients ${loaded.toFixed(2)} s, ratio ${ratio.toFixed(3)} (target <= 1.05: ${verdict(ratio <= 1.05)})`,
    `host RSS peak growth during the backup: ${opts.clients} clients ${rssGrowthLoaded.toFixed(1)} MB, worst median ${rssGrowth.toFixed(1)} MB (target <= 20 MB: ${verdict(rssGrowth <= 20)})`,
    `event-loop delay p99 during the backup: worst median ${p99.toFixed(2)} ms (target <= 10 ms: ${verdict(p99 <= 10)})`,
    `host CPU during the backup: 0 clients ${median(of(0, 'hostCpuSeconds')).toFixed(2)} s, ${opts.clients} clients ${median(of(opts.clients, 'hostCpuSeconds')).toFixed(2)} s`,
    `every backup succeeded: ${statusesOk}; max publisher pending ${Math.max(...rows.map((r) => r.maxPending))}; ` +
      `stuck streams blocked (max) ${Math.max(...of(opts.clients, 'maxBlockedStreams'))}/${opts.clients}`,
  ];
  process.stdout.write(`\n${summary.join('\n')}\n`);
}

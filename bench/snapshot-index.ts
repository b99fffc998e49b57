// Snapshot index benchmark: index a snapshot listing, then open folders from the index.
//   node --import tsx bench/snapshot-index.ts [--files N] [--real M]
// --files N (default 1,000,000): a generated `restic ls --json` stream in restic 0.14's line format, fed through a
//   fake runner; run at N/10 and at N, each in its own process, so the peak RSS of the two can be compared.
// --real M (default 0 = skip): also a real restic 0.14 snapshot of M small files (backup time is reported apart).
// Figures: time to index, p50/p99 of opening a folder (target < 20 ms), peak RSS while indexing (target: flat in N).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SnapshotService } from '../main/core/snapshots/index.js';
import type { ResticCommandRunner } from '../main/core/snapshots/runner.js';
import { FAKE_SNAPSHOT_ID, fakeLsRunner } from '../test/helpers/fake-ls.js';
import { writeManySmallFiles } from '../test/helpers/file-tree.js';
import { createTempRepo, fastTempParent } from '../test/helpers/restic-repo.js';

const FOLDER_OPENS = 2_000;
const FILES_PER_DIR = 100;
const DIRS_PER_GROUP = 100;

interface Result {
  source: 'generated' | 'real restic';
  files: number;
  indexSeconds: number;
  backupSeconds?: number;
  indexMiB: number;
  baselineRssMiB: number;
  peakRssMiB: number;
  openP50Ms: number;
  openP99Ms: number;
  openMaxMs: number;
  searchMs: number;
  sizeOfMs: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function measure(
  source: Result['source'],
  files: number,
  runner: ResticCommandRunner,
  snapshotId: string,
  root: string,
  folderPath: (i: number) => string,
): Promise<Result> {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'backstay-bench-index-'));
  const service = new SnapshotService({ runner, cacheDir });
  try {
    await service.list('bench'); // not part of indexing
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t0 = performance.now();
    await service.browse('bench', snapshotId, root);
    const indexSeconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    const opens: number[] = [];
    for (let i = 0; i < FOLDER_OPENS; i++) {
      const p = folderPath(Math.floor(Math.random() * 1e9));
      const s = performance.now();
      await service.browse('bench', snapshotId, p);
      opens.push(performance.now() - s);
    }
    opens.sort((a, b) => a - b);
    let s = performance.now();
    await service.search('bench', snapshotId, 'f0042', 200);
    const searchMs = performance.now() - s;
    s = performance.now();
    await service.sizeOf('bench', snapshotId, root);
    const sizeOfMs = performance.now() - s;
    const full = (await service.resolve('bench', snapshotId)).id;
    return {
      source,
      files,
      indexSeconds: round(indexSeconds),
      indexMiB: mib(statSync(service.indexes.fileFor('bench', full)).size),
      baselineRssMiB: mib(baseline),
      peakRssMiB: mib(peak),
      openP50Ms: round(opens[opens.length >> 1]!),
      openP99Ms: round(opens[Math.floor(opens.length * 0.99)]!),
      openMaxMs: round(opens[opens.length - 1]!),
      searchMs: round(searchMs),
      sizeOfMs: round(sizeOfMs),
    };
  } finally {
    await service.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

const round = (v: number): number => Math.round(v * 100) / 100;

async function generated(files: number): Promise<Result> {
  const runner = fakeLsRunner({ files, filesPerDir: FILES_PER_DIR, dirsPerGroup: DIRS_PER_GROUP });
  const leafDirs = Math.ceil(files / FILES_PER_DIR);
  const pad = (n: number): string => String(n).padStart(4, '0');
  return measure('generated', files, runner, FAKE_SNAPSHOT_ID, '/data', (r) => {
    const leaf = r % leafDirs;
    return `/data/a${pad(Math.floor(leaf / DIRS_PER_GROUP))}/b${pad(leaf % DIRS_PER_GROUP)}`;
  });
}

async function real(files: number): Promise<Result> {
  const repo = await createTempRepo({ parentDir: fastTempParent() });
  try {
    const src = path.join(repo.dir, 'src');
    const folders = writeManySmallFiles(src, files);
    const t0 = performance.now();
    const snap = await repo.backup([src]);
    const backupSeconds = round((performance.now() - t0) / 1000);
    const result = await measure('real restic', files, repo.runner, snap, src, (r) => {
      const leaf = r % folders;
      return `${src}/d${String(Math.floor(leaf / 100)).padStart(2, '0')}/e${String(leaf % 100).padStart(3, '0')}`;
    });
    return { ...result, backupSeconds };
  } finally {
    await repo.cleanup();
  }
}

/** Each size runs in a fresh process so its peak RSS is its own. */
function inChild(mode: '--one-generated' | '--one-real', files: number): Result {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, mode, String(files)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`benchmark child failed (${mode} ${files}): exit ${child.status}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as Result;
}

async function main(): Promise<void> {
  const one = process.argv.find((a) => a.startsWith('--one-'));
  if (one) {
    const n = Number(process.argv[process.argv.indexOf(one) + 1]);
    const result = one === '--one-real' ? await real(n) : await generated(n);
    console.log(JSON.stringify(result));
    return;
  }
  const files = arg('--files', 1_000_000);
  const realFiles = arg('--real', 0);
  const results: Result[] = [];
  for (const n of [Math.max(1, Math.round(files / 10)), files]) {
    console.error(`indexing a generated listing of ${n.toLocaleString('en')} files ...`);
    results.push(inChild('--one-generated', n));
  }
  if (realFiles > 0) {
    console.error(`backing up and indexing a real restic snapshot of ${realFiles.toLocaleString('en')} files ...`);
    results.push(inChild('--one-real', realFiles));
  }
  console.table(results);
  const [small, large] = results;
  console.log(
    `peak RSS growth while indexing: ${round(small!.peakRssMiB - small!.baselineRssMiB)} MiB at ${small!.files.toLocaleString('en')} files, ` +
      `${round(large!.peakRssMiB - large!.baselineRssMiB)} MiB at ${large!.files.toLocaleString('en')} files`,
  );
  const worst = Math.max(...results.map((r) => r.openP99Ms));
  console.log(`folder open p99 ${worst} ms (target < 20 ms): ${worst < 20 ? 'met' : 'NOT met'}`);
}

await main();

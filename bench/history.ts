// History index benchmark (issue 14): a repository history, then adding one more snapshot and querying it.
//   node --import tsx bench/history.ts [--files N] [--snapshots S] [--real M] [--quick]
// Generated part: a tree of N files (default 100,000) in folders of 100, S snapshots (default 100), each changing,
//   adding and deleting about 1% of the files (0.4% changed, 0.3% added, 0.3% deleted), as `restic ls --json`
//   streams in restic 0.14's line format fed through a fake runner (lines made before the clock starts).
//   Figures: time to add snapshot S+1 (history index), its size next to one snapshot's own index (the browse
//   index of snapshot S+1), history p99, findAll first result / all results p99, deleted p99.
// Real part (--real M, default 20,000 files; 0 skips): real restic 0.14 on a RAM-backed repository, 3 snapshots,
//   then per round a new snapshot: `restic ls --json` of it to /dev/null, and adding it to the index, side by side.
import { spawnSync } from 'node:child_process';
import { openSync, closeSync, mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HistoryService } from '../main/core/history/history-service.js';
import { compileQuery } from '../main/core/history/query-pattern.js';
import { SnapshotIndexStore } from '../main/core/snapshots/snapshot-index.js';
import type { ResticCommandRunner, ResticRunHandlers, ResticRunResult } from '../main/core/snapshots/runner.js';
import { writeManySmallFiles } from '../test/helpers/file-tree.js';
import { createTempRepo, fastTempParent } from '../test/helpers/restic-repo.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const quick = process.argv.includes('--quick');
const FILES = arg('--files', quick ? 20_000 : 100_000);
const SNAPSHOTS = arg('--snapshots', quick ? 20 : 100);
const REAL = arg('--real', quick ? 5_000 : 20_000);
const QUERIES = 500;

const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
const ms = (x: number): number => Math.round(x * 100) / 100;
function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return ms(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!);
}
function p50(samples: number[]): number {
  return ms([...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!);
}
function fileSize(file: string): number {
  return ['', '-wal'].reduce((n, s) => n + (existsSync(file + s) ? statSync(file + s).size : 0), 0);
}

// A deterministic pseudo-random source, so every run measures the same history.
let seed = 42;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

interface FileState {
  size: number;
  mtime: string;
}

/** The tree of the generated repository at its newest snapshot: folder -> file name -> state. */
class GeneratedTree {
  readonly dirs = new Map<string, Map<string, FileState>>();
  private nextName = 0;
  private tick = Date.parse('2026-01-01T00:00:00Z');

  constructor(files: number) {
    for (let i = 0; i < files; i++) this.addFile(`/data/a${String(Math.floor(i / 10_000)).padStart(3, '0')}/b${String(Math.floor(i / 100) % 100).padStart(3, '0')}`);
  }

  private addFile(dir: string): void {
    let files = this.dirs.get(dir);
    if (!files) this.dirs.set(dir, (files = new Map()));
    files.set(`f${String(this.nextName++).padStart(7, '0')}.dat`, { size: 1000 + Math.floor(rand() * 100_000), mtime: this.time() });
  }

  private time(): string {
    this.tick += 1000;
    return new Date(this.tick).toISOString().replace('Z', '123456+00:00');
  }

  /** About 1% of the files: changed, added, deleted. */
  mutate(files: number): void {
    const dirs = [...this.dirs.keys()];
    const pickDir = () => dirs[Math.floor(rand() * dirs.length)]!;
    for (let i = 0; i < files * 0.004; i++) {
      const d = this.dirs.get(pickDir())!;
      const names = [...d.keys()];
      if (names.length) d.set(names[Math.floor(rand() * names.length)]!, { size: Math.floor(rand() * 100_000), mtime: this.time() });
    }
    for (let i = 0; i < files * 0.003; i++) this.addFile(pickDir());
    for (let i = 0; i < files * 0.003; i++) {
      const d = this.dirs.get(pickDir())!;
      const names = [...d.keys()];
      if (names.length) d.delete(names[Math.floor(rand() * names.length)]!);
    }
  }

  /** `restic ls --json` of the tree now: depth-first, names sorted, as restic 0.14 prints it. */
  lsLines(id: string, time: string): string[] {
    const lines = [JSON.stringify({ time, tree: 'e'.repeat(64), paths: ['/data'], hostname: 'bench', tags: ['backstay:plan=bench'], id, short_id: id.slice(0, 8), struct_type: 'snapshot' })];
    const node = (name: string, type: string, p: string, size: number | null, mtime: string) =>
      JSON.stringify({ name, type, path: p, uid: 0, gid: 0, ...(size !== null ? { size } : {}), mode: 420, permissions: '-rw-r--r--', mtime, atime: mtime, ctime: mtime, struct_type: 'node' });
    const sortedDirs = [...this.dirs.keys()].sort();
    let lastA = '';
    lines.push(node('data', 'dir', '/data', null, time));
    for (const dir of sortedDirs) {
      const a = dir.slice(0, dir.lastIndexOf('/'));
      if (a !== lastA) lines.push(node(a.slice(a.lastIndexOf('/') + 1), 'dir', a, null, time));
      lastA = a;
      const files = this.dirs.get(dir)!;
      // A folder's mtime is its newest file's (it changed when one of them did).
      let newest = '';
      for (const f of files.values()) if (f.mtime > newest) newest = f.mtime;
      lines.push(node(dir.slice(dir.lastIndexOf('/') + 1), 'dir', dir, null, newest || time));
      for (const name of [...files.keys()].sort()) {
        const f = files.get(name)!;
        lines.push(node(name, 'file', `${dir}/${name}`, f.size, f.mtime));
      }
    }
    return lines;
  }
}

/** A runner that answers `snapshots --json` and `ls --json ID` from prepared lines. */
class GeneratedRepo implements ResticCommandRunner {
  readonly snapshots: { id: string; short_id: string; time: string; paths: string[]; hostname: string; tags: string[] }[] = [];
  private readonly listings = new Map<string, string[]>();

  add(lines: string[], id: string, time: string): void {
    this.snapshots.push({ id, short_id: id.slice(0, 8), time, paths: ['/data'], hostname: 'bench', tags: ['backstay:plan=bench'] });
    this.listings.set(id, lines);
  }

  /** Keeps memory flat: a listing is dropped once indexed. */
  drop(id: string): void {
    this.listings.delete(id);
  }

  async run(_repoId: string, args: string[], handlers: ResticRunHandlers): Promise<ResticRunResult> {
    if (args.includes('snapshots')) handlers.onStdoutLine(JSON.stringify(this.snapshots));
    else if (args.includes('ls')) for (const line of this.listings.get(args[args.indexOf('ls') + 2]!) ?? []) handlers.onStdoutLine(line);
    return { exitCode: 0, stderrTail: [] };
  }
}

const snapshotId = (i: number): string => i.toString(16).padStart(8, '0') + 'c'.repeat(56);
const snapshotTime = (i: number): string => new Date(Date.parse('2026-01-01T00:00:00Z') + i * 3_600_000).toISOString();

async function generated(): Promise<Record<string, unknown>> {
  const cacheDir = mkdtempSync(path.join(fastTempParent(), 'backstay-bench-history-'));
  try {
    const tree = new GeneratedTree(FILES);
    const repo = new GeneratedRepo();
    const service = new HistoryService({ runner: repo, cacheDir });
    let buildSeconds = 0;
    for (let i = 1; i <= SNAPSHOTS; i++) {
      if (i > 1) tree.mutate(FILES);
      repo.add(tree.lsLines(snapshotId(i), snapshotTime(i)), snapshotId(i), snapshotTime(i));
      const t0 = performance.now();
      await service.update('bench');
      buildSeconds += (performance.now() - t0) / 1000;
      repo.drop(snapshotId(i - 1));
    }
    const sizeBefore = fileSize(service.fileFor('bench'));
    // Snapshot S+1: the figure the issue asks for.
    tree.mutate(FILES);
    const last = SNAPSHOTS + 1;
    const lines = tree.lsLines(snapshotId(last), snapshotTime(last));
    repo.add(lines, snapshotId(last), snapshotTime(last));
    const t0 = performance.now();
    const added = await service.update('bench');
    const addSeconds = (performance.now() - t0) / 1000;
    // Reading the same lines without indexing (JSON parse only): what any consumer of ls pays at least.
    const t1 = performance.now();
    for (const line of lines) JSON.parse(line);
    const parseSeconds = (performance.now() - t1) / 1000;
    // One snapshot's own (browse) index, for the size comparison.
    const browse = new SnapshotIndexStore({ runner: repo, cacheDir });
    await browse.reader('bench', snapshotId(last));
    await browse.close();
    const oneSnapshotBytes = statSync(browse.fileFor('bench', snapshotId(last))).size;
    // The index file as it rests (the WAL checkpointed into it).
    await service.close();
    const historyBytes = fileSize(service.fileFor('bench'));

    const reader = service.reader('bench')!;
    const allFiles: string[] = [];
    for (const [dir, files] of tree.dirs) for (const name of files.keys()) allFiles.push(`${dir}/${name}`);
    const historyMs: number[] = [];
    for (let q = 0; q < QUERIES; q++) {
      const p = allFiles[Math.floor(rand() * allFiles.length)]!;
      const s = performance.now();
      reader.history(p);
      historyMs.push(performance.now() - s);
    }
    const firstMs: number[] = [];
    const allMs: number[] = [];
    let matches = 0;
    for (let q = 0; q < QUERIES / 5; q++) {
      // A name fragment such as "f00123": about 100 files in any snapshot.
      const fragment = `f${String(Math.floor(rand() * FILES / 100)).padStart(5, '0')}`;
      const s = performance.now();
      const it = reader.findAll(compileQuery(fragment));
      it.next();
      firstMs.push(performance.now() - s);
      for (const _ of it) matches++;
      allMs.push(performance.now() - s);
    }
    const deletedMs: number[] = [];
    const dirs = [...tree.dirs.keys()];
    let deletedFound = 0;
    for (let q = 0; q < QUERIES; q++) {
      const s = performance.now();
      deletedFound += reader.deleted(dirs[Math.floor(rand() * dirs.length)]!).length;
      deletedMs.push(performance.now() - s);
    }
    await service.close();
    // Retention's usual forget: the oldest snapshot goes (taken out in place; a fresh process, so quick_check runs).
    repo.snapshots.shift();
    const again = new HistoryService({ runner: repo, cacheDir });
    const t2 = performance.now();
    const forgot = await again.update('bench');
    const forgetSeconds = (performance.now() - t2) / 1000;
    await again.close();
    if (forgot.snapshotsRemoved !== 1 || forgot.snapshotsAdded !== 0) throw new Error('forget did not remove exactly one snapshot');
    return {
      bench: 'history',
      source: 'generated ls --json',
      forgetOldestSeconds: Math.round(forgetSeconds * 1000) / 1000,
      files: FILES,
      snapshots: last,
      buildAllSeconds: Math.round(buildSeconds * 10) / 10,
      addSnapshotSeconds: Math.round(addSeconds * 1000) / 1000,
      parseOnlySeconds: Math.round(parseSeconds * 1000) / 1000,
      addedRuns: added.versions,
      historyIndexMiB: mib(historyBytes),
      historyIndexBeforeLastMiB: mib(sizeBefore),
      oneSnapshotIndexMiB: mib(oneSnapshotBytes),
      sizeRatio: Math.round((historyBytes / oneSnapshotBytes) * 100) / 100,
      historyP50Ms: p50(historyMs),
      historyP99Ms: p99(historyMs),
      findFirstP50Ms: p50(firstMs),
      findFirstP99Ms: p99(firstMs),
      findAllP50Ms: p50(allMs),
      findAllP99Ms: p99(allMs),
      findMatchesAvg: Math.round(matches / (QUERIES / 5)),
      deletedP50Ms: p50(deletedMs),
      deletedP99Ms: p99(deletedMs),
      deletedFoundAvg: Math.round((deletedFound / QUERIES) * 10) / 10,
    };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function real(): Promise<Record<string, unknown>> {
  const repo = await createTempRepo({ parentDir: fastTempParent() });
  try {
    const src = path.join(repo.dir, 'src');
    writeManySmallFiles(src, REAL);
    const service = new HistoryService({ runner: repo.runner, cacheDir: path.join(repo.dir, 'cache-backstay') });
    for (let i = 0; i < 3; i++) {
      writeFileSync(path.join(src, `changed-${i}.txt`), String(i));
      await repo.backup([src], ['backstay:plan=bench']);
    }
    await service.update('test');
    const lsSeconds: number[] = [];
    const listSeconds: number[] = [];
    const addSeconds: number[] = [];
    for (let round = 0; round < 3; round++) {
      writeFileSync(path.join(src, `round-${round}.txt`), String(round));
      const id = await repo.backup([src], ['backstay:plan=bench']);
      const devNull = openSync('/dev/null', 'w');
      const t0 = performance.now();
      const ls = spawnSync(process.env.BACKSTAY_RESTIC ?? 'restic', ['ls', '--json', id], { env: repo.env, stdio: ['ignore', devNull, 'ignore'] });
      lsSeconds.push((performance.now() - t0) / 1000);
      closeSync(devNull);
      if (ls.status !== 0) throw new Error('restic ls failed');
      // The snapshot list every update starts with (it checks the index against the repository), measured apart.
      const t2 = performance.now();
      spawnSync(process.env.BACKSTAY_RESTIC ?? 'restic', ['snapshots', '--json'], { env: repo.env, stdio: ['ignore', 'ignore', 'ignore'] });
      listSeconds.push((performance.now() - t2) / 1000);
      const t1 = performance.now();
      const r = await service.update('test'); // `restic snapshots` + `restic ls` of the new snapshot + merging it in
      addSeconds.push((performance.now() - t1) / 1000);
      if (r.snapshotsAdded !== 1) throw new Error(`expected one snapshot added, got ${r.snapshotsAdded}`);
    }
    await service.close();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    return {
      bench: 'history',
      source: 'real restic 0.14',
      files: REAL,
      lsToDevNullSeconds: Math.round(median(lsSeconds) * 1000) / 1000,
      addSnapshotSeconds: Math.round(median(addSeconds) * 1000) / 1000,
      snapshotListSeconds: Math.round(median(listSeconds) * 1000) / 1000,
      ratio: Math.round((median(addSeconds) / median(lsSeconds)) * 100) / 100,
      ratioWithoutSnapshotList: Math.round(((median(addSeconds) - median(listSeconds)) / median(lsSeconds)) * 100) / 100,
    };
  } finally {
    await repo.cleanup();
  }
}

console.log(JSON.stringify(await generated()));
if (REAL > 0) console.log(JSON.stringify(await real()));

// Snapshot indexes on disk: one SQLite file per snapshot at `<cacheDir>/snapshot-index/<repoId>-<snapshotId>.sqlite`.
//
// One file per snapshot rather than one database with a table per snapshot: a snapshot never changes, so its
// index is written once and then only read; a file can be built under a temp name and renamed into place
// (a crash leaves no half index), evicted by deleting it (its size on disk is exactly what it costs), and read by
// several Backstay processes at once without any writer lock between snapshots.
//
// The first browse of a snapshot runs ONE `restic ls --json <id>` and streams it into the file; concurrent
// browses of the same snapshot wait for that run. Every later browse, search and size comes from the index.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { BackstayError } from '../../common/errors.js';
import type { SnapshotEntry } from '../../common/rpc.js';
import { INDEX_FORMAT, IndexBuilder, IndexReader, type IndexedNode } from './index-db.js';
import { normalizeSnapshotPath, parseLsLine } from './ls-lines.js';
import { lsArgs } from '../restic/args.js';
import { resticCommandFailure } from '../restic/run-restic.js';
import type { ResticCommandRunner } from './runner.js';

export interface SnapshotIndexStoreOptions {
  runner: ResticCommandRunner;
  /** The folder under which `snapshot-index/` is kept (the data directory's cache). */
  cacheDir: string;
  /** Indexes kept open at once (each costs a file handle and a small page cache). */
  maxOpen?: number;
  /** Called after a new index was written (the service evicts old ones then). */
  onIndexBuilt?: (file: string) => void;
}

export interface EvictionLimits {
  /** Total size of all indexes; the least recently used go first. */
  maxBytes: number;
  /** Indexes not used for this many days are removed. */
  maxAgeDays: number;
}

export interface EvictionResult {
  removed: string[];
  keptBytes: number;
}

/** A snapshot as the store needs it: the full id names the file; the short id goes into messages. */
export interface SnapshotRef {
  id: string;
  shortId?: string;
}

const TOUCH_INTERVAL_MS = 60 * 60 * 1000;
const FULL_ID = /^[0-9a-f]{64}$/;
const INDEX_FILE = /^(.+)-([0-9a-f]{64})\.sqlite$/;
const TEMP_FILE = /\.sqlite\.(\d+)-[0-9a-f]+\.tmp$/;

export class SnapshotIndexStore {
  readonly dir: string;
  private readonly runner: ResticCommandRunner;
  private readonly maxOpen: number;
  /** Open readers, least recently used first. */
  private readonly readers = new Map<string, IndexReader>();
  private readonly pending = new Map<string, Promise<IndexReader>>();
  private readonly tempFiles = new Set<string>();
  private readonly touchedAt = new Map<string, number>();
  private readonly closing = new AbortController();
  private readonly onIndexBuilt: ((file: string) => void) | undefined;
  /** Completed `restic ls` runs, for tests and diagnostics. */
  lsRuns = 0;

  constructor(opts: SnapshotIndexStoreOptions) {
    this.runner = opts.runner;
    this.dir = path.join(opts.cacheDir, 'snapshot-index');
    this.maxOpen = opts.maxOpen ?? 8;
    this.onIndexBuilt = opts.onIndexBuilt;
  }

  fileFor(repoId: string, snapshotId: string): string {
    if (!FULL_ID.test(snapshotId)) throw new BackstayError('INTERNAL', `Not a full snapshot id: ${snapshotId}`);
    return path.join(this.dir, `${repoId}-${snapshotId}.sqlite`);
  }

  /** Children of a folder, folders first then by name. */
  async browse(repoId: string, snapshot: SnapshotRef, folder: string, page?: { limit: number; offset: number }): Promise<SnapshotEntry[]> {
    const reader = await this.reader(repoId, snapshot.id);
    const node = this.nodeAt(reader, repoId, snapshot, folder);
    if (node.type !== 'dir') {
      throw new BackstayError('BAD_PARAMS', `"${node.path}" is a ${node.type} in snapshot ${short(snapshot)}, not a folder.`);
    }
    return reader.listChildren(node, page);
  }

  /** Nodes whose name contains `query` (case-insensitive for ASCII), in tree order. */
  async search(repoId: string, snapshot: SnapshotRef, query: string, limit: number): Promise<SnapshotEntry[]> {
    const reader = await this.reader(repoId, snapshot.id);
    if (query === '' || limit <= 0) return [];
    return reader.search(query, limit);
  }

  /** Bytes under a path (a file's own size; a folder's recursive sum, precomputed when indexing). */
  async sizeOf(repoId: string, snapshot: SnapshotRef, nodePath: string): Promise<number> {
    const reader = await this.reader(repoId, snapshot.id);
    return this.nodeAt(reader, repoId, snapshot, nodePath).size ?? 0;
  }

  /** The entry at a path, e.g. to check restore selections; PATH_NOT_IN_SNAPSHOT if absent. */
  async entry(repoId: string, snapshot: SnapshotRef, nodePath: string): Promise<SnapshotEntry> {
    const reader = await this.reader(repoId, snapshot.id);
    const { id: _id, ...entry } = this.nodeAt(reader, repoId, snapshot, nodePath);
    return entry;
  }

  /** The open index of a snapshot, built on first use. Concurrent callers share one build. */
  async reader(repoId: string, snapshotId: string): Promise<IndexReader> {
    const reader = await this.readerOnce(repoId, snapshotId);
    // Many snapshots opened at once may push this one out of the open set before the caller ran: reopen.
    return reader.isOpen ? reader : this.readerOnce(repoId, snapshotId);
  }

  private readerOnce(repoId: string, snapshotId: string): Promise<IndexReader> {
    const file = this.fileFor(repoId, snapshotId);
    const open = this.readers.get(file);
    if (open) {
      this.readers.delete(file);
      this.readers.set(file, open);
      this.touch(file);
      return Promise.resolve(open);
    }
    let pending = this.pending.get(file);
    if (!pending) {
      pending = this.openOrBuild(repoId, snapshotId, file).finally(() => this.pending.delete(file));
      this.pending.set(file, pending);
    }
    return pending;
  }

  /** Removes indexes unused for `maxAgeDays`, then the least recently used until the total fits `maxBytes`. */
  async evictIndexes(limits: EvictionLimits, now = Date.now()): Promise<EvictionResult> {
    const files = await this.indexFiles();
    const removed: string[] = [];
    let keptBytes = 0;
    const kept: typeof files = [];
    for (const f of files) {
      if (!this.inUse(f.file) && now - f.usedAt > limits.maxAgeDays * 86_400_000 && (await this.remove(f.file))) {
        removed.push(f.file);
      } else {
        kept.push(f);
        keptBytes += f.bytes;
      }
    }
    for (const f of kept) {
      if (keptBytes <= limits.maxBytes) break;
      if (this.inUse(f.file)) continue;
      if (await this.remove(f.file)) {
        removed.push(f.file);
        keptBytes -= f.bytes;
      }
    }
    await this.removeOrphanTempFiles();
    return { removed, keptBytes };
  }

  /** Removes the indexes of a repository's snapshots that no longer exist (after forget). */
  async removeIndexesExcept(repoId: string, liveSnapshotIds: ReadonlySet<string>): Promise<string[]> {
    const removed: string[] = [];
    for (const f of await this.indexFiles()) {
      if (f.repoId === repoId && !liveSnapshotIds.has(f.snapshotId) && (await this.remove(f.file))) removed.push(f.file);
    }
    return removed;
  }

  /** Stops running `restic ls` runs and closes every index. */
  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([...this.pending.values()]);
    for (const reader of this.readers.values()) reader.close();
    this.readers.clear();
  }

  private nodeAt(reader: IndexReader, repoId: string, snapshot: SnapshotRef, nodePath: string): IndexedNode {
    const normalized = normalizeSnapshotPath(nodePath);
    const node = reader.find(normalized);
    if (!node) {
      throw new BackstayError(
        'PATH_NOT_IN_SNAPSHOT',
        `"${normalized}" is not in snapshot ${short(snapshot)} of repository ${repoId}.`,
      );
    }
    return node;
  }

  private async openOrBuild(repoId: string, snapshotId: string, file: string): Promise<IndexReader> {
    if (this.closing.signal.aborted) throw new BackstayError('CANCELLED', 'Backstay is shutting down.');
    const existing = await tryOpen(file);
    if (existing) return this.remember(file, existing);
    await this.build(repoId, snapshotId, file);
    const built = await tryOpen(file);
    if (!built) throw new BackstayError('STORAGE_FAILED', `The index of snapshot ${snapshotId.slice(0, 8)} could not be opened.`);
    return this.remember(file, built);
  }

  private async build(repoId: string, snapshotId: string, file: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    this.tempFiles.add(temp);
    const stop = new AbortController();
    const onClosing = (): void => stop.abort();
    this.closing.signal.addEventListener('abort', onClosing);
    let builder: IndexBuilder | null = null;
    try {
      builder = new IndexBuilder(temp);
      const b = builder;
      let writeError: unknown = null;
      const result = await this.runner.run(repoId, lsArgs({ snapshotId }), {
        signal: stop.signal,
        onStdoutLine: (line) => {
          if (writeError) return;
          try {
            b.add(parseLsLine(line));
          } catch (err) {
            // The disk is full or similar: stop restic rather than read a listing we cannot keep.
            writeError = err;
            stop.abort();
          }
        },
      });
      this.lsRuns++;
      if (writeError) {
        throw new BackstayError('STORAGE_FAILED', `Could not write the index of snapshot ${snapshotId.slice(0, 8)}.`, String(writeError));
      }
      if (result.exitCode !== 0) {
        throw resticCommandFailure(`reading snapshot ${snapshotId.slice(0, 8)}`, repoId, result, { aborted: stop.signal.aborted, kind: 'ls' });
      }
      // restic 0.14 exits 0 for an unknown id ("Ignoring ...: no matching ID found"), printing no snapshot line.
      if (!b.snapshotId) throw new BackstayError('UNKNOWN_SNAPSHOT', `No snapshot ${snapshotId.slice(0, 8)} in repository ${repoId}.`);
      if (b.snapshotId !== snapshotId) {
        throw new BackstayError('INTERNAL', `restic listed snapshot ${b.snapshotId.slice(0, 8)} when asked for ${snapshotId.slice(0, 8)}.`);
      }
      b.finish();
      await rename(temp, file);
      this.onIndexBuilt?.(file);
    } catch (err) {
      builder?.abandon();
      await rm(temp, { force: true });
      throw err;
    } finally {
      this.tempFiles.delete(temp);
      this.closing.signal.removeEventListener('abort', onClosing);
    }
  }

  private remember(file: string, reader: IndexReader): IndexReader {
    this.readers.set(file, reader);
    while (this.readers.size > this.maxOpen) {
      const [oldest, r] = this.readers.entries().next().value as [string, IndexReader];
      r.close();
      this.readers.delete(oldest);
    }
    this.touch(file);
    return reader;
  }

  /** The file's mtime is its "last used" time for eviction; refreshed at most hourly. */
  private touch(file: string): void {
    const now = Date.now();
    if (now - (this.touchedAt.get(file) ?? 0) < TOUCH_INTERVAL_MS) return;
    this.touchedAt.set(file, now);
    const t = new Date(now);
    utimes(file, t, t).catch(() => undefined);
  }

  private inUse(file: string): boolean {
    return this.readers.has(file) || this.pending.has(file);
  }

  private async remove(file: string): Promise<boolean> {
    const reader = this.readers.get(file);
    if (reader) {
      reader.close();
      this.readers.delete(file);
    }
    try {
      await rm(file, { force: true });
      this.touchedAt.delete(file);
      return true;
    } catch {
      return false; // e.g. held open by another process on Windows; next time
    }
  }

  /** Index files, least recently used first. */
  private async indexFiles(): Promise<{ file: string; repoId: string; snapshotId: string; bytes: number; usedAt: number }[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const files = [];
    for (const name of names) {
      const m = INDEX_FILE.exec(name);
      if (!m) continue;
      const file = path.join(this.dir, name);
      try {
        const s = await stat(file);
        files.push({ file, repoId: m[1]!, snapshotId: m[2]!, bytes: s.size, usedAt: s.mtimeMs });
      } catch {
        // removed meanwhile
      }
    }
    return files.sort((a, b) => a.usedAt - b.usedAt);
  }

  /** Temp files of builds that died with their process. */
  private async removeOrphanTempFiles(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      const m = TEMP_FILE.exec(name);
      if (!m) continue;
      const file = path.join(this.dir, name);
      const pid = Number(m[1]);
      if (this.tempFiles.has(file) || (pid !== process.pid && isAlive(pid))) continue;
      await rm(file, { force: true }).catch(() => undefined);
    }
  }
}

async function tryOpen(file: string): Promise<IndexReader | null> {
  try {
    await stat(file);
  } catch {
    return null;
  }
  try {
    const reader = new IndexReader(file);
    if (reader.meta.format === INDEX_FORMAT) return reader;
    reader.close();
  } catch {
    // unreadable: rebuilt below
  }
  await rm(file, { force: true });
  return null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function short(snapshot: SnapshotRef): string {
  return snapshot.shortId ?? snapshot.id.slice(0, 8);
}

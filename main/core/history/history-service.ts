// The history indexes of the repositories: bringing one up to date (the `index` operation, and the CLI without a
// host), and answering history, search and undelete from it.
//
// An index is checked against `restic snapshots` every time it is brought up to date, never trusted on its own:
// - a snapshot that is gone (forget) is taken out of its lineage's runs in place (no listing: retention forgets
//   after every backup); one older than its lineage's newest indexed snapshot (copied in, or a clock that was off)
//   makes that lineage be rebuilt from its snapshots, oldest first (rare, and simple to get right);
// - a file that does not open as an index, or fails SQLite's quick_check, is deleted and built again.
// Answers say `complete: false` while the index does not cover every snapshot the snapshot list shows.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { BackstayError } from '../../common/errors.js';
import type { SnapshotInfo } from '../../common/rpc.js';
import { lsArgs } from '../restic/args.js';
import { resticCommandFailure } from '../restic/run-restic.js';
import { parseLsLine } from '../snapshots/ls-lines.js';
import type { ResticCommandRunner } from '../snapshots/runner.js';
import { listSnapshots } from '../snapshots/snapshot-list.js';
import { openHistoryDb, type LineageRow, type SnapshotRow } from './history-db.js';
import { HistoryReader } from './history-reader.js';
import { HistoryWriter, lineageOf } from './history-writer.js';

export interface UpdateProgress {
  snapshotsDone: number;
  snapshotsTotal: number;
}

export interface UpdateOptions {
  /** restic as the caller runs it (the index operation's own env and flags); default: the service's runner. */
  runner?: ResticCommandRunner;
  signal?: AbortSignal;
  onProgress?(progress: UpdateProgress): void;
  /** One line per notable step (a rebuild and why), for the operation's log. */
  log?(text: string): void;
  /** Checked between snapshots: true stops after the snapshot just committed (a backup wants the queue). */
  shouldYield?(): boolean;
}

export interface UpdateResult {
  snapshotsAdded: number;
  snapshotsRemoved: number;
  /** Why the whole file or some lineages were built again, if they were. */
  rebuilt: string[];
  versions: number;
  /** Stopped early for shouldYield(); what was committed stays. */
  yielded: boolean;
}

export interface HistoryServiceOptions {
  runner: ResticCommandRunner;
  /** The data directory's `cache/`; indexes go to `<cacheDir>/history/<repoId>.sqlite`. */
  cacheDir: string;
}

export class HistoryService {
  readonly dir: string;
  private readonly runner: ResticCommandRunner;
  private readonly readers = new Map<string, { db: Database.Database; reader: HistoryReader }>();
  private readonly updating = new Map<string, Promise<UpdateResult>>();
  /**
   * Files this process has checked page by page (quick_check) since it made or first opened them. Checking at
   * every update would cost more than adding a snapshot to a large index; a file damaged while this process
   * runs shows up as SQLite errors instead, after which it is checked again.
   */
  private readonly verified = new Set<string>();
  /** Completed `restic ls` runs, for tests and diagnostics. */
  lsRuns = 0;

  constructor(opts: HistoryServiceOptions) {
    this.runner = opts.runner;
    this.dir = path.join(opts.cacheDir, 'history');
  }

  fileFor(repoId: string): string {
    return path.join(this.dir, `${repoId}.sqlite`);
  }

  /** Whether a repository's history was ever asked for here (from then on it is kept up to date after backups). */
  exists(repoId: string): boolean {
    return existsSync(this.fileFor(repoId));
  }

  /** Brings the index up to date with `restic snapshots`; one update per repository at a time. */
  update(repoId: string, opts: UpdateOptions = {}): Promise<UpdateResult> {
    const previous = this.updating.get(repoId) ?? Promise.resolve(null);
    const run = previous.catch(() => null).then(() => this.updateNow(repoId, opts));
    const tracked = run.finally(() => {
      if (this.updating.get(repoId) === tracked) this.updating.delete(repoId);
    });
    this.updating.set(repoId, tracked);
    return tracked;
  }

  /** The reader of an index, or null when there is none or it cannot be read (an update rebuilds it). */
  reader(repoId: string): HistoryReader | null {
    const open = this.readers.get(repoId);
    if (open) return open.reader;
    try {
      const db = openHistoryDb(this.fileFor(repoId), { readonly: true });
      const reader = new HistoryReader(db);
      this.readers.set(repoId, { db, reader });
      return reader;
    } catch {
      return null;
    }
  }

  /** Whether the index holds exactly the snapshots of this list. */
  covers(repoId: string, snapshots: readonly SnapshotInfo[]): boolean {
    const reader = this.reader(repoId);
    if (!reader) return false;
    const ids = reader.snapshotIds();
    return ids.size === snapshots.length && snapshots.every((s) => ids.has(s.id));
  }

  /** Runs a query; an index found damaged while reading is closed (the next update rebuilds it) and reads as empty. */
  query<T>(repoId: string, fallback: T, read: (reader: HistoryReader) => T): T {
    const reader = this.reader(repoId);
    if (!reader) return fallback;
    try {
      return read(reader);
    } catch (err) {
      if (!isSqliteError(err)) throw err;
      this.closeReader(repoId);
      this.verified.delete(this.fileFor(repoId));
      return fallback;
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.updating.values()]);
    for (const repoId of [...this.readers.keys()]) this.closeReader(repoId);
  }

  private closeReader(repoId: string): void {
    const open = this.readers.get(repoId);
    if (open?.db.open) open.db.close();
    this.readers.delete(repoId);
  }

  private async updateNow(repoId: string, opts: UpdateOptions): Promise<UpdateResult> {
    const { signal } = opts;
    const runner = opts.runner ?? this.runner;
    const live = await listSnapshots(runner, repoId, { signal });
    const result: UpdateResult = { snapshotsAdded: 0, snapshotsRemoved: 0, rebuilt: [], versions: 0, yielded: false };
    await mkdir(this.dir, { recursive: true });
    const db = await this.openForWriting(repoId, result, opts);
    try {
      const writer = new HistoryWriter(db);
      const toAdd = this.reconcile(db, writer, live, result, opts);
      const total = toAdd.length;
      opts.onProgress?.({ snapshotsDone: 0, snapshotsTotal: total });
      for (const [i, snapshot] of toAdd.entries()) {
        if (signal?.aborted) throw cancelled();
        if (i > 0 && opts.shouldYield?.()) {
          result.yielded = true;
          break;
        }
        await this.addSnapshot(runner, repoId, writer, snapshot, signal);
        result.snapshotsAdded++;
        opts.onProgress?.({ snapshotsDone: i + 1, snapshotsTotal: total });
      }
      result.versions = db.prepare('SELECT count(*) FROM runs').pluck().get() as number;
      return result;
    } catch (err) {
      if (isSqliteError(err)) this.verified.delete(this.fileFor(repoId)); // checked page by page next time
      throw err;
    } finally {
      db.close();
    }
  }

  /** Drops what `restic snapshots` no longer lists; returns the snapshots to add, oldest first. */
  private reconcile(db: Database.Database, writer: HistoryWriter, live: SnapshotInfo[], result: UpdateResult, opts: UpdateOptions): SnapshotInfo[] {
    const liveIds = new Set(live.map((s) => s.id));
    const indexed = db.prepare('SELECT * FROM snapshots').all() as SnapshotRow[];
    const lineages = new Map((db.prepare('SELECT * FROM lineages').all() as LineageRow[]).map((l) => [l.id, l]));
    // Forgotten snapshots leave without listing anything; the newest first, so the others keep their places meanwhile.
    const gone = indexed.filter((s) => !liveIds.has(s.id)).sort((a, b) => b.seq - a.seq);
    for (const s of gone) {
      writer.removeSnapshot(s.id);
      result.snapshotsRemoved++;
    }
    if (gone.length > 0) opts.log?.(`removed ${gone.length} forgotten snapshot${gone.length === 1 ? '' : 's'} from the history index`);
    const rebuild = new Map<number, string>();
    const remaining = indexed.filter((s) => liveIds.has(s.id));
    const indexedIds = new Set(remaining.map((s) => s.id));
    const headTime = new Map<number, number>();
    for (const s of remaining) headTime.set(s.lineage_id, Math.max(headTime.get(s.lineage_id) ?? -Infinity, s.time_ms));
    const keyToLineage = new Map([...lineages.values()].map((l) => [l.key, l.id]));
    for (const s of live) {
      if (indexedIds.has(s.id)) continue;
      const lineageId = keyToLineage.get(lineageOf(s).key);
      if (lineageId !== undefined && Date.parse(s.time) <= (headTime.get(lineageId) ?? -Infinity) && !rebuild.has(lineageId)) {
        rebuild.set(lineageId, `snapshot ${s.id.slice(0, 8)} is older than the newest one indexed`);
      }
    }
    for (const [lineageId, why] of rebuild) {
      const l = lineages.get(lineageId);
      writer.dropLineage(lineageId);
      const text = `rebuilding the history of ${l?.plan_id ? `plan ${l.plan_id}` : describeLineage(l)}: ${why}`;
      result.rebuilt.push(text);
      opts.log?.(text);
    }
    const stillIndexed = new Set(remaining.filter((s) => !rebuild.has(s.lineage_id)).map((s) => s.id));
    return live
      .filter((s) => !stillIndexed.has(s.id))
      .sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  }

  private async addSnapshot(runner: ResticCommandRunner, repoId: string, writer: HistoryWriter, snapshot: SnapshotInfo, signal: AbortSignal | undefined): Promise<void> {
    const ingest = writer.begin(snapshot);
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal?.addEventListener('abort', onAbort);
    let writeError: unknown = null;
    try {
      const res = await runner.run(repoId, lsArgs({ snapshotId: snapshot.id }), {
        signal: stop.signal,
        onStdoutLine: (line) => {
          if (writeError) return;
          try {
            ingest.add(parseLsLine(line));
          } catch (err) {
            writeError = err; // the disk is full or similar: stop restic rather than read what cannot be kept
            stop.abort();
          }
        },
      });
      this.lsRuns++;
      if (signal?.aborted) throw cancelled();
      if (writeError) throw new BackstayError('STORAGE_FAILED', `Could not write the history index of ${repoId}.`, String(writeError));
      if (res.exitCode !== 0) throw resticCommandFailure(`listing snapshot ${snapshot.shortId}`, repoId, res, { aborted: stop.signal.aborted, kind: 'ls' });
      // restic 0.14 exits 0 for an id it does not find, printing no snapshot line: never record an empty snapshot.
      if (ingest.listedSnapshotId !== snapshot.id) {
        throw new BackstayError('UNKNOWN_SNAPSHOT', `restic did not list snapshot ${snapshot.shortId} of ${repoId} (was it forgotten meanwhile?).`);
      }
      ingest.commit();
    } finally {
      ingest.abandon();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async openForWriting(repoId: string, result: UpdateResult, opts: UpdateOptions): Promise<Database.Database> {
    const file = this.fileFor(repoId);
    try {
      const db = openHistoryDb(file, { verify: !this.verified.has(file) });
      this.verified.add(file);
      return db;
    } catch (err) {
      const text = `the history index file could not be used (${(err as Error).message}); building it again`;
      result.rebuilt.push(text);
      opts.log?.(text);
      this.closeReader(repoId);
      await Promise.all(['', '-wal', '-shm', '-journal'].map((suffix) => rm(file + suffix, { force: true })));
      const db = openHistoryDb(file);
      this.verified.add(file);
      return db;
    }
  }
}

function describeLineage(l: LineageRow | undefined): string {
  return l ? `host ${l.hostname}` : 'a lineage';
}

function cancelled(): BackstayError {
  return new BackstayError('CANCELLED', 'Indexing was cancelled.');
}

function isSqliteError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'SqliteError';
}

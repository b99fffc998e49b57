// What the engine's RPC methods `snapshots.list`, `snapshots.browse`, `snapshots.search` and `snapshots.diff`
// call. Snapshot ids may be full, a unique prefix (the short id) or "latest"; they are resolved against the
// cached list so that indexes are always named by full id and unknown ids fail before restic runs.
import type { SnapshotEntry, SnapshotInfo, SnapshotSize } from '../../common/rpc.js';
import { diffSnapshots, type SnapshotDiff } from './diff.js';
import { SnapshotListCache } from './snapshot-list.js';
import { SnapshotIndexStore, type EvictionLimits, type EvictionResult } from './snapshot-index.js';
import type { ResticCommandRunner } from './runner.js';
import { SnapshotSizes } from './snapshot-size.js';

export type { SnapshotDiff } from './diff.js';
export type { EvictionLimits, EvictionResult } from './snapshot-index.js';

export const DEFAULT_INDEX_EVICTION: EvictionLimits = { maxBytes: 2 * 1024 ** 3, maxAgeDays: 30 };
export const DEFAULT_SEARCH_LIMIT = 200;

export interface SnapshotServiceOptions {
  runner: ResticCommandRunner;
  /** Indexes go to `<cacheDir>/snapshot-index/`. */
  cacheDir: string;
  /** Applied after each new index is built. */
  eviction?: EvictionLimits;
  maxOpenIndexes?: number;
}

export class SnapshotService {
  private readonly runner: ResticCommandRunner;
  private readonly lists: SnapshotListCache;
  readonly indexes: SnapshotIndexStore;
  private readonly sizes: SnapshotSizes;
  private readonly eviction: EvictionLimits;
  private evicting: Promise<unknown> = Promise.resolve();

  constructor(opts: SnapshotServiceOptions) {
    this.runner = opts.runner;
    this.lists = new SnapshotListCache(opts.runner);
    this.eviction = opts.eviction ?? DEFAULT_INDEX_EVICTION;
    this.sizes = new SnapshotSizes(opts.runner, opts.cacheDir);
    this.indexes = new SnapshotIndexStore({
      runner: opts.runner,
      cacheDir: opts.cacheDir,
      maxOpen: opts.maxOpenIndexes,
      onIndexBuilt: () => void this.evictIndexes(),
    });
  }

  /** Snapshots of a repository, or of one plan, newest first. */
  list(repoId: string, planId?: string): Promise<SnapshotInfo[]> {
    return this.lists.list(repoId, planId);
  }

  /** The snapshot an id, unique prefix or "latest" names; UNKNOWN_SNAPSHOT otherwise. */
  resolve(repoId: string, snapshotId: string): Promise<SnapshotInfo> {
    return this.lists.resolve(repoId, snapshotId);
  }

  /** Children of a folder of a snapshot ("/" is the root), folders first then by name. */
  async browse(repoId: string, snapshotId: string, path: string): Promise<SnapshotEntry[]> {
    const snapshot = await this.resolve(repoId, snapshotId);
    return this.indexes.browse(repoId, snapshot, path);
  }

  async search(repoId: string, snapshotId: string, query: string, limit = DEFAULT_SEARCH_LIMIT): Promise<SnapshotEntry[]> {
    const snapshot = await this.resolve(repoId, snapshotId);
    return this.indexes.search(repoId, snapshot, query, limit);
  }

  async sizeOf(repoId: string, snapshotId: string, path: string): Promise<number> {
    const snapshot = await this.resolve(repoId, snapshotId);
    return this.indexes.sizeOf(repoId, snapshot, path);
  }

  /** What restoring the whole snapshot writes (issue 13): from its summary, else measured once and cached. */
  async totalSize(repoId: string, snapshotId: string): Promise<SnapshotSize> {
    return this.sizes.sizeOf(repoId, await this.resolve(repoId, snapshotId));
  }

  /** One entry; PATH_NOT_IN_SNAPSHOT if absent (the restore task checks the chosen paths with it). */
  async entry(repoId: string, snapshotId: string, path: string): Promise<SnapshotEntry> {
    const snapshot = await this.resolve(repoId, snapshotId);
    return this.indexes.entry(repoId, snapshot, path);
  }

  async diff(repoId: string, a: string, b: string): Promise<SnapshotDiff> {
    const [sa, sb] = await Promise.all([this.resolve(repoId, a), this.resolve(repoId, b)]);
    return diffSnapshots(this.runner, repoId, sa.id, sb.id);
  }

  /** The engine calls this after a backup, forget or prune of the repository finished. */
  invalidate(repoId: string): void {
    this.lists.invalidate(repoId);
  }

  /** Runs one eviction at a time. */
  evictIndexes(limits: EvictionLimits = this.eviction): Promise<EvictionResult | null> {
    const run = this.evicting.then(() => this.indexes.evictIndexes(limits)).catch(() => null);
    this.evicting = run;
    return run;
  }

  async close(): Promise<void> {
    await this.indexes.close();
    await this.evicting;
  }
}

// Queries over a history index, on a connection of its own: the writer commits one snapshot per transaction, so a
// reader never sees half a snapshot. All synchronous; each answer reads the (small) snapshot table once.
import type Database from 'better-sqlite3';
import type { DeletedEntry, FoundPath, PathVersion, SnapshotMark } from '../../common/rpc.js';
import { KIND_NAMES, ROOT_PATH_ID, type LineageRow, type PathRow, type RunRow, type SnapshotRow } from './history-db.js';
import { naturalCompare } from './natural-order.js';
import type { PathMatcher } from './query-pattern.js';
import { formatExactTime } from './restic-time.js';

export interface HistoryFilter {
  planId?: string;
  host?: string;
}

export interface FindFilter {
  planId?: string;
  /** ISO times: only versions present in a snapshot taken in this range. */
  since?: string;
  until?: string;
}

/** The lineages and snapshots of the index, read once per answer. */
interface Timeline {
  lineages: Map<number, LineageRow>;
  /** `${lineageId}:${seq}` -> snapshot */
  bySeq: Map<string, SnapshotRow>;
  ids: Set<string>;
  newest: SnapshotRow | null;
}

const PATH_CACHE_LIMIT = 200_000;

export class HistoryReader {
  private readonly stmt;
  private readonly pathCache = new Map<number, string>();
  private timelineCache: { version: number; timeline: Timeline } | null = null;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      lineages: db.prepare('SELECT * FROM lineages'),
      snapshots: db.prepare('SELECT * FROM snapshots'),
      child: db.prepare('SELECT id FROM paths WHERE parent_id = ? AND name = ?').pluck(),
      children: db.prepare('SELECT id, parent_id, name FROM paths WHERE parent_id = ?'),
      pathById: db.prepare('SELECT id, parent_id, name FROM paths WHERE id = ?'),
      pathsLike: db.prepare(`SELECT id, parent_id, name FROM paths WHERE name LIKE ? ESCAPE '\\' AND id <> ${ROOT_PATH_ID} ORDER BY id`),
      allPaths: db.prepare(`SELECT id, parent_id, name FROM paths WHERE id <> ${ROOT_PATH_ID} ORDER BY id`),
      runsOf: db.prepare('SELECT * FROM runs WHERE path_id = ?'),
    };
  }

  /** Full ids of the snapshots the index holds. */
  snapshotIds(): Set<string> {
    return this.timeline().ids;
  }

  newestSnapshot(): SnapshotMark | null {
    const n = this.timeline().newest;
    return n ? mark(n) : null;
  }

  /** Every version of a path, newest first; [] when the path is in no indexed snapshot. */
  history(path: string, filter: HistoryFilter = {}): PathVersion[] {
    const pathId = this.lookup(path);
    if (pathId === null) return [];
    const tl = this.timeline();
    const runs = (this.stmt.runsOf.all(pathId) as RunRow[]).filter((r) => lineageMatches(tl.lineages.get(r.lineage_id), filter));
    // "changed" compares with the run before it on the same lineage's timeline.
    runs.sort((a, b) => a.lineage_id - b.lineage_id || a.first_seq - b.first_seq);
    const versions: { v: PathVersion; lastMs: number; firstMs: number }[] = [];
    let previous: RunRow | null = null;
    for (const run of runs) {
      const lineage = tl.lineages.get(run.lineage_id)!;
      const first = tl.bySeq.get(`${run.lineage_id}:${run.first_seq}`);
      const lastSeq = run.last_seq ?? lineage.head_seq;
      const last = tl.bySeq.get(`${run.lineage_id}:${lastSeq}`);
      if (!first || !last) continue; // cannot happen in a consistent index; never show half a version
      const changed = previous !== null && previous.lineage_id === run.lineage_id && !sameContent(previous, run);
      previous = run;
      versions.push({
        v: {
          type: KIND_NAMES[run.kind] ?? 'other',
          size: run.size,
          mtime: formatExactTime(run.mtime_ms, run.mtime_ns),
          firstSeen: mark(first),
          lastSeen: mark(last),
          snapshots: lastSeq - run.first_seq + 1,
          changed,
          planId: lineage.plan_id,
          hostname: lineage.hostname,
        },
        lastMs: last.time_ms,
        firstMs: first.time_ms,
      });
    }
    versions.sort((a, b) => b.lastMs - a.lastMs || b.firstMs - a.firstMs);
    return versions.map((x) => x.v);
  }

  /** Paths whose name (or whole path, for a glob with "/") matches, in the order the index holds them (tree order). */
  *findAll(matcher: PathMatcher, filter: FindFilter = {}): Generator<FoundPath> {
    const tl = this.timeline();
    const sinceMs = filter.since ? Date.parse(filter.since) : -Infinity;
    const untilMs = filter.until ? Date.parse(filter.until) : Infinity;
    const rows = (matcher.nameLike ? this.stmt.pathsLike.iterate(matcher.nameLike) : this.stmt.allPaths.iterate()) as Iterable<PathRow>;
    for (const row of rows) {
      const fullPath = matcher.wholePath ? this.pathOf(row) : null;
      if (!matcher.matches(row.name, fullPath ?? '')) continue;
      let versions = 0;
      let latest: { run: RunRow; last: SnapshotRow } | null = null;
      for (const run of this.stmt.runsOf.iterate(row.id) as Iterable<RunRow>) {
        const lineage = tl.lineages.get(run.lineage_id);
        if (!lineage || (filter.planId !== undefined && lineage.plan_id !== filter.planId)) continue;
        const first = tl.bySeq.get(`${run.lineage_id}:${run.first_seq}`);
        const last = tl.bySeq.get(`${run.lineage_id}:${run.last_seq ?? lineage.head_seq}`);
        if (!first || !last || first.time_ms > untilMs || last.time_ms < sinceMs) continue;
        versions++;
        if (!latest || last.time_ms > latest.last.time_ms) latest = { run, last };
      }
      if (!latest) continue;
      yield { path: fullPath ?? this.pathOf(row), type: KIND_NAMES[latest.run.kind] ?? 'other', versions, lastSeen: mark(latest.last) };
    }
  }

  /**
   * Children of a folder that were in earlier snapshots and are not in the newest snapshot that has the folder
   * (on that snapshot's lineage), names in natural order.
   */
  deleted(folder: string): DeletedEntry[] {
    const folderId = this.lookup(folder);
    if (folderId === null) return [];
    const tl = this.timeline();
    let newest: { lineageId: number; seq: number; timeMs: number } | null = null;
    for (const run of this.stmt.runsOf.all(folderId) as RunRow[]) {
      if (run.kind !== 0) continue;
      const lineage = tl.lineages.get(run.lineage_id);
      const seq = run.last_seq ?? lineage?.head_seq ?? 0;
      const snap = tl.bySeq.get(`${run.lineage_id}:${seq}`);
      if (snap && (!newest || snap.time_ms > newest.timeMs)) newest = { lineageId: run.lineage_id, seq, timeMs: snap.time_ms };
    }
    if (!newest) return [];
    const folderPath = folderId === ROOT_PATH_ID ? '/' : this.pathOf(this.stmt.pathById.get(folderId) as PathRow);
    const entries: DeletedEntry[] = [];
    for (const child of this.stmt.children.all(folderId) as PathRow[]) {
      let present = false;
      let lastRun: RunRow | null = null;
      let lastSeq = 0;
      for (const run of this.stmt.runsOf.iterate(child.id) as Iterable<RunRow>) {
        if (run.lineage_id !== newest.lineageId) continue;
        const end = run.last_seq ?? tl.lineages.get(run.lineage_id)!.head_seq;
        if (run.first_seq <= newest.seq && newest.seq <= end) present = true;
        if (end < newest.seq && end > lastSeq) {
          lastSeq = end;
          lastRun = run;
        }
      }
      if (present || !lastRun) continue;
      const snap = tl.bySeq.get(`${newest.lineageId}:${lastSeq}`);
      if (!snap) continue;
      entries.push({
        name: child.name,
        type: KIND_NAMES[lastRun.kind] ?? 'other',
        path: folderPath === '/' ? `/${child.name}` : `${folderPath}/${child.name}`,
        size: lastRun.size,
        lastSeen: mark(snap),
      });
    }
    return entries.sort((a, b) => naturalCompare(a.name, b.name));
  }

  /** The path id of a normalised path, or null. */
  lookup(path: string): number | null {
    let id = ROOT_PATH_ID;
    for (const name of path.split('/')) {
      if (name === '') continue;
      const next = this.stmt.child.get(id, name) as number | undefined;
      if (next === undefined) return null;
      id = next;
    }
    return id;
  }

  private pathOf(row: PathRow): string {
    const cached = this.pathCache.get(row.id);
    if (cached !== undefined) return cached;
    const parent =
      row.parent_id === ROOT_PATH_ID || row.parent_id === 0 ? '' : this.pathOf(this.stmt.pathById.get(row.parent_id) as PathRow);
    const path = `${parent}/${row.name}`;
    if (this.pathCache.size >= PATH_CACHE_LIMIT) this.pathCache.clear();
    this.pathCache.set(row.id, path);
    return path;
  }

  /** Re-read only when another connection committed since (PRAGMA data_version tells). */
  private timeline(): Timeline {
    const version = this.stmt.dataVersion.get() as number;
    if (this.timelineCache?.version === version) return this.timelineCache.timeline;
    const lineages = new Map((this.stmt.lineages.all() as LineageRow[]).map((l) => [l.id, l]));
    const bySeq = new Map<string, SnapshotRow>();
    const ids = new Set<string>();
    let newest: SnapshotRow | null = null;
    for (const s of this.stmt.snapshots.all() as SnapshotRow[]) {
      bySeq.set(`${s.lineage_id}:${s.seq}`, s);
      ids.add(s.id);
      if (!newest || s.time_ms > newest.time_ms) newest = s;
    }
    const timeline = { lineages, bySeq, ids, newest };
    this.timelineCache = { version, timeline };
    return timeline;
  }
}

function lineageMatches(lineage: LineageRow | undefined, filter: HistoryFilter): boolean {
  if (!lineage) return false;
  if (filter.planId !== undefined && lineage.plan_id !== filter.planId) return false;
  if (filter.host !== undefined && lineage.hostname !== filter.host) return false;
  return true;
}

function sameContent(a: RunRow, b: RunRow): boolean {
  return a.kind === b.kind && a.size === b.size && a.mtime_ms === b.mtime_ms && a.mtime_ns === b.mtime_ns;
}

function mark(s: SnapshotRow): SnapshotMark {
  return { snapshotId: s.id, time: s.time };
}

// Adds snapshots to a history index, one snapshot per transaction: a snapshot is either wholly in the index or not
// at all, so an index interrupted half-way (cancel, crash, a backup taking the queue) is behind, never wrong.
//
// A new snapshot of a lineage is merged against the lineage's newest indexed snapshot: its open runs are held in
// memory for the whole update (one map entry per path present there), each listed node either matches its open run
// (nothing is written), or closes it and opens a new one; open runs not listed any more are closed at the end.
import type Database from 'better-sqlite3';
import { PLAN_TAG_PREFIX } from '../restic/args.js';
import { parentPath, type LsLine } from '../snapshots/ls-lines.js';
import { KIND_CODES, ROOT_PATH_ID, type LineageRow } from './history-db.js';
import { parseResticTime } from './restic-time.js';

/** What the writer needs to know of a snapshot (from `restic snapshots --json`). */
export interface SnapshotHeader {
  id: string;
  time: string;
  hostname: string;
  paths: readonly string[];
  tags: readonly string[];
}

/** A folder of the listing being read, with its children's path ids once they were asked for. */
interface OpenFolder {
  path: string;
  id: number;
  children: Map<string, number> | null;
}

interface OpenRun {
  runId: number;
  kind: number;
  size: number | null;
  mtimeMs: number | null;
  mtimeNs: number | null;
}

/** The lineage a snapshot belongs to: its plan on its host, else its host and its set of paths. */
export function lineageOf(s: SnapshotHeader): { key: string; hostname: string; planId: string | null } {
  const planTag = s.tags.find((t) => t.startsWith(PLAN_TAG_PREFIX));
  const planId = planTag ? planTag.slice(PLAN_TAG_PREFIX.length) : null;
  const key = planId !== null ? `${s.hostname}\u0000plan\u0000${planId}` : `${s.hostname}\u0000paths\u0000${[...s.paths].sort().join('\u0000')}`;
  return { key, hostname: s.hostname, planId };
}

export class HistoryWriter {
  private readonly openRuns = new Map<number, Map<number, OpenRun>>();
  private readonly stmt: WriterStatements;

  constructor(private readonly db: Database.Database) {
    this.stmt = prepareStatements(db);
  }

  lineage(s: SnapshotHeader): LineageRow {
    const { key, hostname, planId } = lineageOf(s);
    const found = this.stmt.lineageByKey.get(key) as LineageRow | undefined;
    if (found) return found;
    this.stmt.insertLineage.run(key, hostname, planId);
    return this.stmt.lineageByKey.get(key) as LineageRow;
  }

  /** Forgets everything indexed for a lineage (its snapshots are then added again, oldest first). */
  dropLineage(lineageId: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM runs WHERE lineage_id = ?').run(lineageId);
      this.db.prepare('DELETE FROM snapshots WHERE lineage_id = ?').run(lineageId);
      this.stmt.setHead.run(0, lineageId);
    })();
    this.openRuns.delete(lineageId);
  }

  /**
   * Takes a forgotten snapshot out of its lineage without listing anything (forget after every backup is common):
   * runs only in it go, runs that began or ended at it are clipped, the runs on both sides of it that hold the same
   * version become one, and the later snapshots move down one place so the timeline has no hole.
   */
  removeSnapshot(snapshotId: string): void {
    const snap = this.db.prepare('SELECT lineage_id, seq FROM snapshots WHERE id = ?').get(snapshotId) as { lineage_id: number; seq: number } | undefined;
    if (!snap) return;
    const { lineage_id: l, seq: k } = snap;
    this.db.transaction(() => {
      const head = this.db.prepare('SELECT head_seq FROM lineages WHERE id = ?').pluck().get(l) as number;
      const run = (sql: string) => this.db.prepare(sql).run({ l, k, head });
      run('DELETE FROM runs WHERE lineage_id = @l AND first_seq = @k AND COALESCE(last_seq, @head) = @k');
      run('UPDATE runs SET first_seq = @k + 1 WHERE lineage_id = @l AND first_seq = @k');
      run('UPDATE runs SET last_seq = @k - 1 WHERE lineage_id = @l AND last_seq = @k');
      // The newest snapshot gone: what was in the one before it is now at the lineage's head (open).
      if (k === head) run('UPDATE runs SET last_seq = NULL WHERE lineage_id = @l AND last_seq = @k - 1');
      else if (k > 1) {
        const pairs = this.db
          .prepare(
            `SELECT a.id AS a, b.id AS b, b.last_seq AS last FROM runs a JOIN runs b ON b.path_id = a.path_id AND b.lineage_id = a.lineage_id
              WHERE a.lineage_id = @l AND a.last_seq = @k - 1 AND b.first_seq = @k + 1
                AND a.kind = b.kind AND a.size IS b.size AND a.mtime_ms IS b.mtime_ms AND a.mtime_ns IS b.mtime_ns`,
          )
          .all({ l, k }) as { a: number; b: number; last: number | null }[];
        const extend = this.db.prepare('UPDATE runs SET last_seq = ? WHERE id = ?');
        const drop = this.db.prepare('DELETE FROM runs WHERE id = ?');
        for (const p of pairs) {
          extend.run(p.last, p.a);
          drop.run(p.b);
        }
      }
      run('DELETE FROM snapshots WHERE lineage_id = @l AND seq = @k');
      run('UPDATE runs SET first_seq = first_seq - 1 WHERE lineage_id = @l AND first_seq > @k');
      run('UPDATE runs SET last_seq = last_seq - 1 WHERE lineage_id = @l AND last_seq > @k');
      // Two steps, so that (lineage_id, seq) stays unique whatever order SQLite updates the rows in.
      run('UPDATE snapshots SET seq = -(seq - 1) WHERE lineage_id = @l AND seq > @k');
      run('UPDATE snapshots SET seq = -seq WHERE lineage_id = @l AND seq < 0');
      run('UPDATE lineages SET head_seq = head_seq - 1 WHERE id = @l');
    })();
    this.openRuns.delete(l);
  }

  /** Starts adding one snapshot as the newest of its lineage; feed it ls lines, then commit() or abandon(). */
  begin(s: SnapshotHeader): SnapshotIngest {
    const lineage = this.lineage(s);
    const open = this.openRunsFor(lineage.id);
    this.db.exec('BEGIN');
    return new SnapshotIngest(this.db, this.stmt, lineage, open, s, () => this.openRuns.delete(lineage.id));
  }

  private openRunsFor(lineageId: number): Map<number, OpenRun> {
    let open = this.openRuns.get(lineageId);
    if (!open) {
      open = new Map();
      for (const r of this.stmt.openRunsOf.iterate(lineageId) as Iterable<{ id: number; path_id: number; kind: number; size: number | null; mtime_ms: number | null; mtime_ns: number | null }>) {
        open.set(r.path_id, { runId: r.id, kind: r.kind, size: r.size, mtimeMs: r.mtime_ms, mtimeNs: r.mtime_ns });
      }
      this.openRuns.set(lineageId, open);
    }
    return open;
  }
}

function prepareStatements(db: Database.Database) {
  return {
    lineageByKey: db.prepare('SELECT * FROM lineages WHERE key = ?'),
    insertLineage: db.prepare('INSERT INTO lineages (key, hostname, plan_id) VALUES (?, ?, ?)'),
    child: db.prepare('SELECT id FROM paths WHERE parent_id = ? AND name = ?').pluck(),
    childrenOf: db.prepare('SELECT id, name FROM paths WHERE parent_id = ?'),
    insertPath: db.prepare('INSERT INTO paths (parent_id, name) VALUES (?, ?)'),
    openRunsOf: db.prepare('SELECT id, path_id, kind, size, mtime_ms, mtime_ns FROM runs WHERE lineage_id = ? AND last_seq IS NULL'),
    insertRun: db.prepare(
      'INSERT INTO runs (path_id, lineage_id, kind, size, mtime_ms, mtime_ns, first_seq, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)',
    ),
    closeRun: db.prepare('UPDATE runs SET last_seq = ? WHERE id = ?'),
    insertSnapshot: db.prepare('INSERT INTO snapshots (id, lineage_id, seq, time, time_ms) VALUES (?, ?, ?, ?, ?)'),
    setHead: db.prepare('UPDATE lineages SET head_seq = ? WHERE id = ?'),
  };
}

type WriterStatements = ReturnType<typeof prepareStatements>;

export class SnapshotIngest {
  /** Folders from the root down to the last folder listed (restic lists parents before children). */
  private readonly stack: OpenFolder[] = [{ path: '/', id: ROOT_PATH_ID, children: null }];
  private readonly seen = new Set<number>();
  private readonly seq: number;
  private done = false;
  listedSnapshotId: string | null = null;
  nodes = 0;
  runsOpened = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly stmt: WriterStatements,
    private readonly lineage: LineageRow,
    private readonly open: Map<number, OpenRun>,
    private readonly snapshot: SnapshotHeader,
    private readonly dropOpenRuns: () => void,
  ) {
    this.seq = lineage.head_seq + 1;
  }

  add(line: LsLine): void {
    if (line.kind === 'snapshot') {
      this.listedSnapshotId ??= line.id;
      return;
    }
    if (line.kind !== 'node' || line.path === '/') return;
    const pathId = this.pathId(line.path, line.type === 'dir');
    if (this.seen.has(pathId)) return; // listed twice: keep the first
    this.seen.add(pathId);
    this.nodes++;
    const kind = KIND_CODES[line.type];
    const size = line.type === 'file' ? line.size : null;
    const t = parseResticTime(line.mtime);
    const mtimeMs = t?.ms ?? null;
    const mtimeNs = t?.ns ?? null;
    const current = this.open.get(pathId);
    if (current && current.kind === kind && current.size === size && current.mtimeMs === mtimeMs && current.mtimeNs === mtimeNs) return;
    if (current) this.stmt.closeRun.run(this.lineage.head_seq, current.runId);
    const info = this.stmt.insertRun.run(pathId, this.lineage.id, kind, size, mtimeMs, mtimeNs, this.seq);
    this.open.set(pathId, { runId: Number(info.lastInsertRowid), kind, size, mtimeMs, mtimeNs });
    this.runsOpened++;
  }

  /** Closes the runs of paths not listed, records the snapshot and commits. */
  commit(): void {
    for (const [pathId, run] of this.open) {
      if (this.seen.has(pathId)) continue;
      this.stmt.closeRun.run(this.lineage.head_seq, run.runId);
      this.open.delete(pathId);
    }
    const timeMs = Date.parse(this.snapshot.time);
    this.stmt.insertSnapshot.run(this.snapshot.id, this.lineage.id, this.seq, this.snapshot.time, Number.isNaN(timeMs) ? 0 : timeMs);
    this.stmt.setHead.run(this.seq, this.lineage.id);
    this.db.exec('COMMIT');
    this.done = true;
  }

  /** Rolls the snapshot back; the in-memory open runs no longer match the file, so they are dropped. */
  abandon(): void {
    if (this.done) return;
    this.done = true;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.dropOpenRuns();
  }

  private pathId(path: string, isDir: boolean): number {
    const parent = parentPath(path);
    while (this.stack.length > 1 && this.stack[this.stack.length - 1]!.path !== parent && !parent.startsWith(this.stack[this.stack.length - 1]!.path + '/')) {
      this.stack.pop();
    }
    const top = this.stack[this.stack.length - 1]!;
    const name = path.slice(path.lastIndexOf('/') + 1);
    const id = top.path === parent ? this.childOf(top, name) : this.childId(this.resolveFolder(parent), name);
    if (isDir) this.stack.push({ path, id, children: null });
    return id;
  }

  /** A child of a folder on the stack: its known children are read in one query when the first one is asked for. */
  private childOf(folder: OpenFolder, name: string): number {
    if (!folder.children) {
      folder.children = new Map();
      for (const row of this.stmt.childrenOf.iterate(folder.id) as Iterable<{ id: number; name: string }>) folder.children.set(row.name, row.id);
    }
    const known = folder.children.get(name);
    if (known !== undefined) return known;
    const id = Number(this.stmt.insertPath.run(folder.id, name).lastInsertRowid);
    folder.children.set(name, id);
    return id;
  }

  /** A folder reached out of restic's usual order: walk from the root (creating path rows as needed). */
  private resolveFolder(folder: string): number {
    let id = ROOT_PATH_ID;
    for (const name of folder.split('/').filter((p) => p !== '')) id = this.childId(id, name);
    return id;
  }

  private childId(parentId: number, name: string): number {
    const found = this.stmt.child.get(parentId, name) as number | undefined;
    if (found !== undefined) return found;
    return Number(this.stmt.insertPath.run(parentId, name).lastInsertRowid);
  }
}

// The on-disk index of one snapshot: a small SQLite file with one row per node of the tree.
//
// Schema choice: rows point at their parent folder by row id (an integer) rather than repeating the parent's
// path text, which keeps a 1,000,000-file index about half the size; folders also keep their full path
// (`dir_path`, indexed) so that opening a folder is one indexed lookup plus one indexed range scan.
// Row 1 is the snapshot's root "/".
import Database from 'better-sqlite3';
import type { SnapshotEntry } from '../../common/rpc.js';
import { parentPath, type LsLine } from './ls-lines.js';

export const INDEX_FORMAT = '1';
const ROOT_ID = 1;
const BATCH_ROWS = 10_000;

const KIND_CODES = { dir: 0, file: 1, symlink: 2, other: 3 } as const;
const KIND_NAMES: SnapshotEntry['type'][] = ['dir', 'file', 'symlink', 'other'];

const SCHEMA = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE nodes (
    id        INTEGER PRIMARY KEY,
    parent_id INTEGER NOT NULL,
    name      TEXT NOT NULL,
    kind      INTEGER NOT NULL,  -- 0 dir, 1 file, 2 symlink, 3 other
    size      INTEGER,           -- files: bytes; folders: recursive sum; others: NULL
    mtime     TEXT,
    dir_path  TEXT               -- folders only
  );
  -- Partial (folders only), so keeping it during the bulk insert costs little; it serves lookups while building.
  CREATE INDEX nodes_by_dir_path ON nodes(dir_path) WHERE dir_path IS NOT NULL;
`;
// Built after the bulk insert (faster than maintaining it row by row). It orders a folder's children
// "folders first, then by name" so browsing needs no sort.
const INDEXES = `
  CREATE INDEX nodes_by_parent ON nodes(parent_id, (kind <> 0), name COLLATE NOCASE);
`;

interface OpenFolder {
  id: number;
  path: string;
  size: number;
}

/**
 * Writes an index from ls lines fed one at a time. Memory stays flat in the number of files: only the chain of
 * open folders (the tree depth) is held; rows go to SQLite in batched transactions.
 */
export class IndexBuilder {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly setSize: Database.Statement;
  private readonly findDir: Database.Statement;
  private readonly setMtime: Database.Statement;
  /** Folders from the root down to the last folder seen; restic's pre-order walk makes this a stack. */
  private readonly open: OpenFolder[] = [{ id: ROOT_ID, path: '/', size: 0 }];
  private rowsInBatch = 0;
  private outOfOrder = false;
  snapshotId: string | null = null;
  nodeCount = 0;

  constructor(file: string) {
    this.db = new Database(file);
    // A temp file that is thrown away on any failure: durability would only cost time.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('cache_size = -16000'); // 16 MB page cache: bounds memory whatever the snapshot size
    this.db.exec(SCHEMA);
    this.insert = this.db.prepare(
      'INSERT INTO nodes (parent_id, name, kind, size, mtime, dir_path) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.setSize = this.db.prepare('UPDATE nodes SET size = ? WHERE id = ?');
    this.findDir = this.db.prepare('SELECT id FROM nodes WHERE dir_path = ?').pluck();
    this.setMtime = this.db.prepare('UPDATE nodes SET mtime = ? WHERE id = ?');
    this.db.exec('BEGIN');
    this.insert.run(0, '', KIND_CODES.dir, 0, null, '/');
  }

  add(line: LsLine): void {
    if (line.kind === 'snapshot') {
      this.snapshotId ??= line.id;
      return;
    }
    if (line.kind !== 'node' || line.path === '/') return;
    const parent = this.parentFolder(parentPath(line.path));
    const isDir = line.type === 'dir';
    if (isDir && this.outOfOrder && this.adoptPlaceholder(line.path, line.mtime)) return;
    const info = this.insert.run(parent.id, line.name, KIND_CODES[line.type], line.size, line.mtime, isDir ? line.path : null);
    if (isDir) this.open.push({ id: Number(info.lastInsertRowid), path: line.path, size: 0 });
    else if (line.size) parent.size += line.size;
    this.nodeCount++;
    if (++this.rowsInBatch >= BATCH_ROWS) {
      this.db.exec('COMMIT; BEGIN');
      this.rowsInBatch = 0;
    }
  }

  /** Closes the last folders, builds the indexes and closes the file. The caller renames it into place. */
  finish(): void {
    while (this.open.length > 0) this.closeTop();
    if (this.outOfOrder) this.recomputeFolderSizes();
    const putMeta = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    putMeta.run('format', INDEX_FORMAT);
    putMeta.run('snapshot_id', this.snapshotId ?? '');
    putMeta.run('node_count', String(this.nodeCount));
    putMeta.run('indexed_at', new Date().toISOString());
    this.db.exec('COMMIT');
    this.db.exec(INDEXES);
    this.db.close();
  }

  /** Gives up: closes the file (the caller deletes it). */
  abandon(): void {
    if (this.db.open) this.db.close();
  }

  private parentFolder(path: string): OpenFolder {
    while (this.open.length > 1 && !isSelfOrInside(path, this.open[this.open.length - 1]!.path)) this.closeTop();
    const top = this.open[this.open.length - 1]!;
    if (top.path === path) return top;
    return this.parentOutOfOrder(path);
  }

  /**
   * restic walks the tree parents-first, so this is not expected; it keeps the index right if some version does
   * not (folder sizes are then recomputed at the end). Missing folders are created so no node is orphaned.
   */
  private parentOutOfOrder(path: string): OpenFolder {
    this.outOfOrder = true;
    const id = this.findDir.get(path) as number | undefined;
    if (id !== undefined) return { id, path, size: 0 };
    const grand = this.parentOutOfOrder(parentPath(path));
    const name = path.slice(path.lastIndexOf('/') + 1);
    const info = this.insert.run(grand.id, name, KIND_CODES.dir, 0, null, path);
    return { id: Number(info.lastInsertRowid), path, size: 0 };
  }

  /** A folder created earlier as a stand-in for a parent that had not arrived yet: fill it in. */
  private adoptPlaceholder(path: string, mtime: string | null): boolean {
    const id = this.findDir.get(path) as number | undefined;
    if (id === undefined) return false;
    this.setMtime.run(mtime, id);
    this.open.push({ id, path, size: 0 });
    return true;
  }

  private closeTop(): void {
    const folder = this.open.pop()!;
    this.setSize.run(folder.size, folder.id);
    const parent = this.open[this.open.length - 1];
    if (parent) parent.size += folder.size;
  }

  private recomputeFolderSizes(): void {
    // A child folder's path is always longer than its parent's: deepest first makes one pass enough.
    const folders = this.db.prepare('SELECT id FROM nodes WHERE kind = 0 ORDER BY length(dir_path) DESC').pluck();
    const sum = this.db.prepare('SELECT COALESCE(SUM(size), 0) FROM nodes WHERE parent_id = ?').pluck();
    for (const id of folders.all() as number[]) this.setSize.run(sum.get(id), id);
  }
}

function isSelfOrInside(path: string, folder: string): boolean {
  return folder === '/' || path === folder || path.startsWith(folder + '/');
}

export interface IndexedNode extends SnapshotEntry {
  id: number;
}

interface NodeRow {
  id: number;
  name: string;
  kind: number;
  size: number | null;
  mtime: string | null;
  parent_path?: string;
}

/** Read-only queries over a finished index. All synchronous and indexed. */
export class IndexReader {
  private readonly db: Database.Database;
  private readonly dirByPath: Database.Statement;
  private readonly childByName: Database.Statement;
  private readonly children: Database.Statement;
  private readonly childrenPage: Database.Statement;
  private readonly searchByName: Database.Statement;
  readonly meta: Record<string, string>;

  constructor(readonly file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.meta = Object.fromEntries(
      (this.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]),
    );
    const columns = 'id, name, kind, size, mtime';
    this.dirByPath = this.db.prepare(`SELECT ${columns} FROM nodes WHERE dir_path = ?`);
    this.childByName = this.db.prepare(`SELECT ${columns} FROM nodes WHERE parent_id = ? AND name = ?`);
    const order = 'ORDER BY parent_id, (kind <> 0), name COLLATE NOCASE';
    this.children = this.db.prepare(`SELECT ${columns} FROM nodes WHERE parent_id = ? ${order}`);
    this.childrenPage = this.db.prepare(`SELECT ${columns} FROM nodes WHERE parent_id = ? ${order} LIMIT ? OFFSET ?`);
    // Tree order (row id) lets LIMIT stop the scan early instead of sorting every match.
    this.searchByName = this.db.prepare(
      `SELECT n.id, n.name, n.kind, n.size, n.mtime, p.dir_path AS parent_path
         FROM nodes n JOIN nodes p ON p.id = n.parent_id
        WHERE n.name LIKE ? ESCAPE '\\' AND n.id <> ${ROOT_ID}
        ORDER BY n.id LIMIT ?`,
    );
  }

  /** The node at `path` (normalised), or null. */
  find(path: string): IndexedNode | null {
    const dir = this.dirByPath.get(path) as NodeRow | undefined;
    if (dir) return toEntry(dir, parentPath(path), path === '/' ? '/' : undefined);
    if (path === '/') return null;
    const parent = this.dirByPath.get(parentPath(path)) as NodeRow | undefined;
    if (!parent) return null;
    const row = this.childByName.get(parent.id, path.slice(path.lastIndexOf('/') + 1)) as NodeRow | undefined;
    return row ? toEntry(row, parentPath(path)) : null;
  }

  listChildren(folder: IndexedNode, page?: { limit: number; offset: number }): SnapshotEntry[] {
    const rows = (page ? this.childrenPage.all(folder.id, page.limit, page.offset) : this.children.all(folder.id)) as NodeRow[];
    return rows.map((r) => stripId(toEntry(r, folder.path)));
  }

  search(query: string, limit: number): SnapshotEntry[] {
    const pattern = `%${escapeLike(query)}%`;
    return (this.searchByName.all(pattern, limit) as NodeRow[]).map((r) => stripId(toEntry(r, r.parent_path ?? '/')));
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Escapes LIKE's wildcards so a name with "%" or "_" is searched literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}

function toEntry(row: NodeRow, parent: string, ownPath?: string): IndexedNode {
  const path = ownPath ?? (parent === '/' ? '/' + row.name : parent + '/' + row.name);
  return { id: row.id, name: row.name, type: KIND_NAMES[row.kind] ?? 'other', path, size: row.size, mtime: row.mtime };
}

function stripId(node: IndexedNode): SnapshotEntry {
  const { id: _id, ...entry } = node;
  return entry;
}

// The history index of one repository: every distinct version of every path across its snapshots, in one SQLite
// file (`<data dir>/cache/history/<repoId>.sqlite`).
//
// Snapshots are grouped into lineages: the snapshots of one plan on one host (Backstay's `backstay:plan=<id>` tag),
// or, for snapshots Backstay did not make, of one host and one set of backed-up paths (restic's own grouping). Each
// lineage is a timeline ordered by snapshot time, numbered 1, 2, 3, ... (`seq`). A path's presence is stored as
// runs: one row per stretch of consecutive snapshots of a lineage in which the path had the same type, size and
// mtime, as [first_seq, last_seq] (last_seq NULL: still present at the lineage's newest snapshot). An unchanged file
// therefore costs nothing when a snapshot is added; a changed one closes its run and opens a new one.
//
// Paths are stored once, as (parent id, name), like the per-snapshot index: a full path is rebuilt by walking up.
import Database from 'better-sqlite3';
import type { SnapshotEntry } from '../../common/rpc.js';

export const HISTORY_FORMAT = '1';
export const ROOT_PATH_ID = 1;

export const KIND_CODES = { dir: 0, file: 1, symlink: 2, other: 3 } as const;
export const KIND_NAMES: SnapshotEntry['type'][] = ['dir', 'file', 'symlink', 'other'];

const SCHEMA = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE lineages (
    id       INTEGER PRIMARY KEY,
    key      TEXT NOT NULL UNIQUE,
    hostname TEXT NOT NULL,
    plan_id  TEXT,
    head_seq INTEGER NOT NULL DEFAULT 0   -- seq of the newest indexed snapshot of the lineage
  );
  CREATE TABLE snapshots (
    id         TEXT PRIMARY KEY,          -- full restic snapshot id
    lineage_id INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    time       TEXT NOT NULL,             -- as restic prints it
    time_ms    INTEGER NOT NULL,
    UNIQUE (lineage_id, seq)
  );
  CREATE TABLE paths (
    id        INTEGER PRIMARY KEY,
    parent_id INTEGER NOT NULL,
    name      TEXT NOT NULL,
    UNIQUE (parent_id, name)
  );
  CREATE TABLE runs (
    id         INTEGER PRIMARY KEY,
    path_id    INTEGER NOT NULL,
    lineage_id INTEGER NOT NULL,
    kind       INTEGER NOT NULL,          -- 0 dir, 1 file, 2 symlink, 3 other
    size       INTEGER,                   -- files only
    mtime_ms   INTEGER,
    mtime_ns   INTEGER,                   -- nanoseconds below the millisecond
    first_seq  INTEGER NOT NULL,
    last_seq   INTEGER                    -- NULL: present in the lineage's newest snapshot
  );
  CREATE INDEX runs_by_path ON runs(path_id);
`;

export interface LineageRow {
  id: number;
  key: string;
  hostname: string;
  plan_id: string | null;
  head_seq: number;
}

export interface SnapshotRow {
  id: string;
  lineage_id: number;
  seq: number;
  time: string;
  time_ms: number;
}

export interface RunRow {
  id: number;
  path_id: number;
  lineage_id: number;
  kind: number;
  size: number | null;
  mtime_ms: number | null;
  mtime_ns: number | null;
  first_seq: number;
  last_seq: number | null;
}

export interface PathRow {
  id: number;
  parent_id: number;
  name: string;
}

/**
 * Opens (creating when absent) an index file. Throws when the file is not a usable index of this format, or, with
 * `verify`, when SQLite's quick_check finds damage (a damaged file can open and read its first pages fine).
 */
export function openHistoryDb(file: string, opts: { readonly?: boolean; verify?: boolean } = {}): Database.Database {
  const db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  try {
    db.pragma('busy_timeout = 5000');
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").pluck().get();
      if (!hasMeta) {
        db.exec('BEGIN');
        db.exec(SCHEMA);
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('format', HISTORY_FORMAT);
        db.prepare('INSERT INTO paths (id, parent_id, name) VALUES (?, 0, ?)').run(ROOT_PATH_ID, '');
        db.exec('COMMIT');
      }
    }
    const format = db.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get();
    if (format !== HISTORY_FORMAT) throw new Error(`history index format ${String(format)}, expected ${HISTORY_FORMAT}`);
    if (opts.verify ?? true) {
      const check = db.prepare('PRAGMA quick_check').pluck().all() as string[];
      if (check.length !== 1 || check[0] !== 'ok') throw new Error(`history index damaged: ${check.slice(0, 3).join('; ')}`);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

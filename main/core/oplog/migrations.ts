// Schema of the operation log, by version. PRAGMA user_version holds the version a file is at; each migration runs
// in its own transaction together with the bump of user_version, so a crash mid-migration leaves the previous version.
// Append new migrations; never edit one that has shipped.
import type Database from 'better-sqlite3';
import { BackstayError } from '../../common/index.js';

export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'operations, op_log and meta',
    up(db) {
      // AUTOINCREMENT: ids only ever increase, even if rows are deleted, so paging by id and "retryOf" stay sound.
      // No CHECK constraints on kind/status: a newer Backstay may add values and older ones must still read rows.
      db.exec(`
        CREATE TABLE operations (
          id               INTEGER PRIMARY KEY AUTOINCREMENT,
          kind             TEXT NOT NULL,
          trigger          TEXT NOT NULL,
          plan_id          TEXT,
          repo_id          TEXT NOT NULL,
          status           TEXT NOT NULL,
          created_at       TEXT NOT NULL,
          started_at       TEXT,
          ended_at         TEXT,
          snapshot_id      TEXT,
          error            TEXT,
          progress         TEXT,
          summary          TEXT,
          stalled_since    TEXT,
          stall            TEXT,
          item_errors      TEXT NOT NULL DEFAULT '[]',
          retry_of         INTEGER,
          owner_pid        INTEGER,
          owner_started_at TEXT,
          restic_pid       INTEGER,
          params           TEXT
        );
        -- Newest first is the rowid itself. The others end in id so each serves "newest first" without a sort.
        CREATE INDEX operations_by_plan        ON operations (plan_id, id);
        CREATE INDEX operations_by_repo        ON operations (repo_id, id);
        CREATE INDEX operations_by_status      ON operations (status, id);
        CREATE INDEX operations_by_kind        ON operations (kind, id);
        CREATE INDEX operations_by_kind_plan   ON operations (kind, plan_id, id);
        CREATE INDEX operations_by_kind_plan_status ON operations (kind, plan_id, status, id);

        CREATE TABLE op_log (
          op_id  INTEGER NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
          seq    INTEGER NOT NULL,
          time   TEXT NOT NULL,
          stream TEXT NOT NULL,
          text   TEXT NOT NULL,
          PRIMARY KEY (op_id, seq)
        ) WITHOUT ROWID;

        CREATE TABLE meta (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) WITHOUT ROWID;
      `);
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the file up to the newest version this Backstay knows. Returns the versions applied.
 * A file from a newer Backstay is refused rather than written with an older idea of the schema.
 */
export function runMigrations(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new BackstayError(
      'STORAGE_FAILED',
      `The operation log was written by a newer version of Backstay (schema ${current}, this one knows up to ${latest}). Update Backstay to use it.`,
    );
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    // IMMEDIATE takes the write lock first, so two processes opening a fresh file do not both migrate it:
    // the second waits (busy_timeout), then sees the new version and skips.
    const apply = db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return false;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
      return true;
    });
    if (apply.immediate()) applied.push(migration.version);
  }
  return applied;
}

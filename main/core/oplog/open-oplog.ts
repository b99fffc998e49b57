// Opens the operation log of a data directory. There is no silent fallback to memory: an oplog that is not on disk
// would forget every operation at exit, and a user would trust a history that is not there.
//
// A damaged file (SQLite says "file is not a database" or "database disk image is malformed") is another matter.
// The oplog is Backstay's history of what it did, not the backups: those live in the restic repositories and are
// untouched. Refusing to start would stop every scheduled backup until someone repairs a file they never chose to
// know about, which is the worse of the two outcomes. So the host (the one process per data directory, which holds
// the host lock, so no two processes do this at once) moves the damaged file aside under a name that says what it is,
// with its -wal and -shm beside it so that `sqlite3 FILE .recover` can still read it, starts a new log, and tells the
// user where the old one is (a warning in the state and one log line). Other processes (`backstay ops`, a one-shot
// `backstay backup`) never move it: they report OPLOG_CORRUPT with what SQLite said and what to do.
// Only corruption is handled so: a busy, read-only, full or missing-folder failure says so and moves nothing.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BackstayError } from '../../common/index.js';
import type { Logger } from '../engine-api.js';
import { openSqliteStore, type SqliteOpStore } from './sqlite-store.js';

export const OPLOG_FILE_NAME = 'oplog.sqlite';
/** SQLite keeps these beside the database; they belong to it and move with it. */
const COMPANION_SUFFIXES = ['-wal', '-shm'] as const;

export function oplogPath(dataDir: string): string {
  return join(dataDir, OPLOG_FILE_NAME);
}

export interface OpenOplogOptions {
  logger?: Logger;
  busyTimeoutMs?: number;
}

/** Opens the oplog; a damaged file is an OPLOG_CORRUPT error (nothing is moved). */
export function openOplog(dataDir: string, opts: OpenOplogOptions = {}): SqliteOpStore {
  const file = oplogPath(dataDir);
  // A read-only look first: a read-write connection that fails leaves SQLite to remove the -wal and -shm files on
  // close (it takes itself for the last user of an unreadable log), and they belong to what must be kept.
  const damage = probeForDamage(file);
  if (damage) throw damage;
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    return openSqliteStore(file, opts);
  } catch (err) {
    throw describeOpenFailure(err, file);
  }
}

export interface MovedAsideOplog {
  /** Where the damaged file is now. */
  movedTo: string;
  /** What SQLite said about it. */
  sqliteMessage: string;
}

/**
 * For the host only (it holds the data directory's host lock): opens the oplog, and if the file is damaged moves it
 * (and its -wal, -shm) aside as `oplog.sqlite.corrupt-<time>` and starts a new one.
 */
export function openOplogRecoveringCorruption(
  dataDir: string,
  opts: OpenOplogOptions & { now?: () => Date } = {},
): { store: SqliteOpStore; movedAside: MovedAsideOplog | null } {
  const file = oplogPath(dataDir);
  let damage: BackstayError;
  try {
    return { store: openOplog(dataDir, opts), movedAside: null };
  } catch (err) {
    if (!(err instanceof BackstayError) || err.code !== 'OPLOG_CORRUPT') throw err;
    damage = err;
  }
  const stamp = (opts.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
  let movedTo = `${file}.corrupt-${stamp}`;
  for (let n = 2; existsSync(movedTo); n++) movedTo = `${file}.corrupt-${stamp}-${n}`;
  try {
    renameSync(file, movedTo);
    for (const suffix of COMPANION_SUFFIXES) {
      if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix);
    }
  } catch (moveError) {
    throw new BackstayError(
      'OPLOG_CORRUPT',
      `${damage.message} Backstay could not move it aside (${(moveError as NodeJS.ErrnoException).code ?? String(moveError)}).`,
      damage.detail,
    );
  }
  const sqliteMessage = damage.detail ?? 'damaged';
  opts.logger?.warn('oplog: the operation log was damaged; moved it aside and started a new one', { file, movedTo, sqlite: sqliteMessage });
  return { store: openOplog(dataDir, opts), movedAside: { movedTo, sqliteMessage } };
}

/** OPLOG_CORRUPT if SQLite finds `file` damaged on a read-only look; null if it reads (or does not exist). */
function probeForDamage(file: string): BackstayError | null {
  if (!existsSync(file)) return null;
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('user_version');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return null;
  } catch (err) {
    const failure = describeOpenFailure(err, file);
    return failure.code === 'OPLOG_CORRUPT' ? failure : null; // anything else: the real open says it properly
  } finally {
    db?.close();
  }
}

/** The user-facing error for a failure to open `file`, with SQLite's own words in `detail`. */
function describeOpenFailure(err: unknown, file: string): BackstayError {
  if (err instanceof BackstayError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown }).code;
  const sqliteCode = typeof code === 'string' ? code : '';
  if (sqliteCode.startsWith('SQLITE_NOTADB') || sqliteCode.startsWith('SQLITE_CORRUPT')) {
    return new BackstayError(
      'OPLOG_CORRUPT',
      `The operation log ${file} is damaged (SQLite says: ${reason}). Your backups are not affected. ` +
        'Start Backstay (the app or `backstay serve`): it moves the damaged file aside and starts a new log. ' +
        'Or move it (with its -wal and -shm files) elsewhere yourself.',
      reason,
    );
  }
  if (sqliteCode.startsWith('SQLITE_BUSY') || sqliteCode.startsWith('SQLITE_LOCKED')) {
    return new BackstayError('STORAGE_FAILED', `The operation log ${file} is locked by another process; try again in a moment.`, reason);
  }
  if (sqliteCode.startsWith('SQLITE_READONLY')) {
    return new BackstayError('STORAGE_FAILED', `The operation log ${file} cannot be written (read-only file or folder).`, reason);
  }
  if (sqliteCode.startsWith('SQLITE_FULL')) {
    return new BackstayError('STORAGE_FAILED', `The disk holding the operation log ${file} is full.`, reason);
  }
  return new BackstayError(
    'STORAGE_FAILED',
    `Backstay could not open its operation log at ${file} (${reason}). Check that the folder exists and can be written.`,
    reason,
  );
}

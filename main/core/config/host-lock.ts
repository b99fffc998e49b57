// Exactly one host (`backstay serve` or the desktop app) per data directory: both run schedules and supervise
// operations, and two of them would start every scheduled backup twice.
//
// The decision is an OS lock, not a pid file: a pid file is a check-then-write race (two processes started at the
// same moment both find it absent) and it outlives a SIGKILL. The lock is SQLite's own file lock on `host.lock`
// (better-sqlite3 is already a dependency): `locking_mode=EXCLUSIVE` plus a held `BEGIN EXCLUSIVE` transaction keeps
// an exclusive fcntl lock (LockFileEx on Windows) for as long as this process lives, a second taker gets SQLITE_BUSY
// at once (busy_timeout 0), and the kernel drops the lock when the process dies, however it dies. SQLite also
// tracks its locks per file inside one process, so a second taker in the same process is refused as well.
//
// The lock cannot carry the winner's pid (the exclusive lock keeps others from reading the file), so the winner
// writes `host.json` right after taking it. A loser keeps trying the lock while it waits briefly for a host.json that
// names a living process: between the winner's lock and its write, the file may still name a dead predecessor, and
// two takers racing can both be refused for a moment with nobody holding the lock.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BackstayError } from '../../common/errors.js';
import { currentProcessIdentity, isSameProcessAlive } from '../process/process-identity.js';
import { writeFileAtomic } from './atomic-write.js';

export const HOST_LOCK_FILE = 'host.lock';
export const HOST_INFO_FILE = 'host.json';

export type HostKind = 'serve' | 'electron';

export interface HostInfo {
  pid: number;
  /** Start time of the process (with the pid, tells a living host from a reused pid). */
  processStartedAt: string;
  host: HostKind;
  since: string;
}

export interface HostLock {
  readonly dataDir: string;
  readonly info: HostInfo;
  /** Gives the data directory up (engine shutdown). Idempotent. The OS does the same if the process dies. */
  release(): void;
}

export interface AcquireHostLockOptions {
  host: HostKind;
  /** How long a refused taker keeps trying the lock while it waits for the winner's host.json (default 3 s). */
  ownerWaitMs?: number;
}

const OWNER_POLL_MS = 50;

/** Takes the data directory's host lock, or throws BackstayError('HOST_RUNNING') naming the running host's pid. */
export async function acquireHostLock(dataDir: string, opts: AcquireHostLockOptions): Promise<HostLock> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lockFile = path.join(dataDir, HOST_LOCK_FILE);
  const db = await lockOrFindOwner(dataDir, lockFile, opts.ownerWaitMs ?? 3000);
  const self = currentProcessIdentity();
  const info: HostInfo = { pid: self.pid, processStartedAt: self.startedAt, host: opts.host, since: new Date().toISOString() };
  try {
    await writeFileAtomic(path.join(dataDir, HOST_INFO_FILE), JSON.stringify(info) + '\n', { mode: 0o600 });
  } catch (err) {
    db.close();
    throw err;
  }
  let released = false;
  return {
    dataDir,
    info,
    release() {
      if (released) return;
      released = true;
      // host.json first, while the lock still says it is ours to remove.
      if (readHostInfo(dataDir)?.pid === info.pid) rmSync(path.join(dataDir, HOST_INFO_FILE), { force: true });
      db.close(); // ends the transaction: the lock is free
    },
  };
}

/** The open connection holding the lock, or null if another connection (any process) holds it. */
function tryLock(lockFile: string): Database.Database | null {
  let db: Database.Database;
  try {
    db = new Database(lockFile);
  } catch (err) {
    throw new BackstayError('STORAGE_FAILED', `Backstay could not open ${lockFile} (${(err as Error).message}).`);
  }
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return null;
    // Never written by Backstay, so damage there is someone else's file: say so rather than guess.
    throw new BackstayError(
      'STORAGE_FAILED',
      `Backstay could not lock ${lockFile} (SQLite says: ${(err as Error).message}). If no Backstay is running, delete that file.`,
    );
  }
}

/**
 * The lock, or HOST_RUNNING once a living owner is known (or the wait is over). SQLITE_BUSY alone does not prove a
 * host: two takers started at once can both hold SHARED on the way to EXCLUSIVE, and then both are refused. So a
 * refused taker tries again, with jitter so the two do not collide in step, until it wins or finds the winner.
 */
async function lockOrFindOwner(dataDir: string, lockFile: string, waitMs: number): Promise<Database.Database> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const db = tryLock(lockFile);
    if (db !== null) return db;
    const info = readHostInfo(dataDir);
    // In this same process (two engines on one data dir, as tests do) the file names ourselves.
    if (info && (info.pid === process.pid || isSameProcessAlive(info.pid, info.processStartedAt))) {
      throw hostRunningError(dataDir, info);
    }
    if (Date.now() >= deadline) throw hostRunningError(dataDir, null);
    await new Promise((resolve) => setTimeout(resolve, OWNER_POLL_MS + Math.random() * OWNER_POLL_MS));
  }
}

export function readHostInfo(dataDir: string): HostInfo | null {
  try {
    const value = JSON.parse(readFileSync(path.join(dataDir, HOST_INFO_FILE), 'utf8')) as Partial<HostInfo>;
    if (!Number.isInteger(value.pid) || typeof value.processStartedAt !== 'string') return null;
    return value as HostInfo;
  } catch {
    return null;
  }
}

function hostRunningError(dataDir: string, owner: HostInfo | null): BackstayError {
  const what = owner ? `${owner.host === 'electron' ? 'the desktop app' : '`backstay serve`'}, pid ${owner.pid}` : 'pid not known yet';
  return new BackstayError(
    'HOST_RUNNING',
    `Backstay is already running on the data directory ${dataDir} (${what}); only one may run there. ` +
      'Use that one, or stop it first.',
  );
}

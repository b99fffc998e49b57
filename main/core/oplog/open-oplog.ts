// Opens the operation log of a data directory. There is no silent fallback to memory: an oplog that is not on disk
// would forget every operation at exit, and a user would trust a history that is not there.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BackstayError } from '../../common/index.js';
import type { Logger } from '../engine-api.js';
import { openSqliteStore, type SqliteOpStore } from './sqlite-store.js';

export const OPLOG_FILE_NAME = 'oplog.sqlite';

export function oplogPath(dataDir: string): string {
  return join(dataDir, OPLOG_FILE_NAME);
}

export function openOplog(dataDir: string, opts: { logger?: Logger; busyTimeoutMs?: number } = {}): SqliteOpStore {
  const file = oplogPath(dataDir);
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    return openSqliteStore(file, opts);
  } catch (err) {
    if (err instanceof BackstayError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new BackstayError(
      'STORAGE_FAILED',
      `Backstay could not open its operation log at ${file}. Check that the folder exists and can be written.`,
      reason,
    );
  }
}

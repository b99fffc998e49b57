// The operation log: the OpStore seam, its SQLite and in-memory stores, startup reconciliation of orphaned
// operations, process identity helpers, and the rate-bounded progress writer.
export type { ListQuery, NewOperation, OpStore, OperationPatch, OrphanedOperation } from './store.js';
export { openSqliteStore, SqliteOpStore, type SqliteStoreOptions } from './sqlite-store.js';
export { createMemoryStore } from './memory-store.js';
export { openOplog, oplogPath, OPLOG_FILE_NAME } from './open-oplog.js';
export { LATEST_SCHEMA_VERSION } from './migrations.js';
export {
  LIST_DEFAULT_LIMIT,
  LIST_MAX_LIMIT,
  LOG_HEAD_LINES,
  LOG_TAIL_LINES,
  LOG_MAX_LINES,
  LOG_MAX_LINE_CHARS,
} from './store-rules.js';
export {
  reconcileOrphans,
  systemReconcileDeps,
  interruptedMessage,
  looksLikeRestic,
  type ReconcileDeps,
  type ReconcileResult,
} from './reconcile.js';
export {
  currentProcessIdentity,
  processStartTime,
  isPidAlive,
  isSameProcessAlive,
  processCpuSeconds,
  processCommandLine,
  descendantPids,
  killProcessTree,
  terminateProcessTreeSync,
  waitForExitSync,
  START_TIME_TOLERANCE_MS,
  type ProcessIdentity,
} from '../process/process-identity.js';
export { ProgressWriter, type ProgressWriterOptions, type TimerApi } from './progress-writer.js';

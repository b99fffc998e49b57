// Contract types for operations, shared by the engine, the hosts, the preload and the renderer.
// This folder imports nothing outside itself.

export const OP_KINDS = [
  'backup',
  'forget',
  'prune',
  'check',
  'unlock',
  'repairIndex',
  'restore',
  'stats',
  // Turn 2 additions: copy a plan's snapshots to a mirror repository; a restore test; the history index of a repository.
  'copy',
  'verify',
  'index',
] as const;
export type OpKind = (typeof OP_KINDS)[number];

export const OP_TRIGGERS = ['manual', 'schedule', 'tray', 'retry', 'system'] as const;
export type OpTrigger = (typeof OP_TRIGGERS)[number];

// `cancelling`: from the cancel request until the operation is terminal (restic asked to stop, then forced).
export const LIVE_STATUSES = ['queued', 'running', 'stalled', 'cancelling'] as const;
export const TERMINAL_STATUSES = ['success', 'warning', 'error', 'cancelled', 'interrupted'] as const;
export type LiveStatus = (typeof LIVE_STATUSES)[number];
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];
export type OpStatus = LiveStatus | TerminalStatus;

export function isLiveStatus(status: OpStatus): status is LiveStatus {
  return (LIVE_STATUSES as readonly string[]).includes(status);
}
export function isTerminalStatus(status: OpStatus): status is TerminalStatus {
  return !isLiveStatus(status);
}

/** Live progress of an operation, camelCased from restic's `status` messages. Absent fields are unknown. */
export interface Progress {
  percent?: number; // 0..1
  bytesDone?: number;
  totalBytes?: number;
  filesDone?: number;
  totalFiles?: number;
  etaSeconds?: number | null;
  currentFiles?: string[];
  /** Bytes per second over the last few seconds of forward progress, computed by the supervisor. Absent while
   * nothing moves (see RunningOp.waitingSince), never extrapolated from numbers that stopped moving. */
  bytesPerSecond?: number;
}

/** How far a cancel has gone: SIGINT sent (restic asked to stop), SIGTERM, then SIGKILL. */
export const CANCEL_STAGES = ['interrupt', 'terminate', 'kill'] as const;
export type CancelStage = (typeof CANCEL_STAGES)[number];
export interface CancelInfo {
  /** ISO time the user (or shutdown) asked to cancel. */
  requestedAt: string;
  stage: CancelStage;
}

/** Why an operation is considered stalled: what a person needs to judge whether to wait. */
export interface StallEvidence {
  /** ISO time of the last forward progress. */
  since: string;
  bytesDone: number;
  filesDone: number;
  /** CPU seconds restic used in total, where the OS tells it (Linux /proc); null elsewhere. */
  cpuSeconds: number | null;
  /** CPU seconds restic used since the last forward progress; ~0 means "restic idle, waiting on something". */
  cpuSecondsSinceProgress: number | null;
}

/** restic's backup `summary`, camelCased. */
export interface BackupSummary {
  filesNew?: number;
  filesChanged?: number;
  filesUnmodified?: number;
  dirsNew?: number;
  dirsChanged?: number;
  dirsUnmodified?: number;
  dataBlobs?: number;
  treeBlobs?: number;
  dataAdded?: number;
  totalFilesProcessed?: number;
  totalBytesProcessed?: number;
  totalDuration?: number;
  snapshotId?: string;
}

/** What forget learnt: snapshots kept and removed over all groups. */
export interface ForgetSummary {
  kept: number;
  removed: number;
}

/**
 * What prune reported (issue 13): `figures` are restic's own lines ("to delete: 3 blobs / 840 B"), label and value as
 * printed, in its order; `dryRun` when nothing was removed (a preview).
 */
export interface PruneSummary {
  dryRun?: boolean;
  figures?: { label: string; value: string }[];
}

/** restic's `stats --mode raw-data`, camelCased; null where that restic version does not report the field. */
export interface StatsSummary {
  totalSize: number | null;
  totalUncompressedSize: number | null;
  totalBlobCount: number | null;
  snapshotsCount: number | null;
  compressionRatio: number | null;
}

/**
 * A restore's end: restic's restore `summary` camelCased (0.16+), or, when restic printed none (0.14), the last
 * progress under `target`. Every field may be absent.
 */
export interface RestoreSummary {
  totalFiles?: number;
  filesRestored?: number;
  filesSkipped?: number;
  filesDeleted?: number;
  totalBytes?: number;
  bytesRestored?: number;
  bytesSkipped?: number;
  secondsElapsed?: number;
  target?: Progress | null;
}

/** A copy to a mirror (`restic copy`): what it copied. */
export interface CopySummary {
  /** Snapshots of the plan copied to the mirror by this run. */
  snapshotsCopied?: number;
  /** The mirror's id of the newest copied snapshot. */
  snapshotId?: string;
}

/** A restore test (`verify`): what was restored and compared, and what failed, by path. */
export interface VerifySummary {
  snapshotId?: string;
  filesChecked?: number;
  bytesChecked?: number;
  /** Files restored but not compared with the source (it changed since the snapshot). */
  filesSkipped?: number;
  failures?: { path: string; reason: string }[];
}

/** The history index brought up to date. */
export interface IndexSummary {
  snapshotsAdded?: number;
  snapshotsRemoved?: number;
  /** Distinct path versions in the index after this run. */
  versions?: number;
  /** Stopped early to let other work on the repository go first (it is queued again). */
  yielded?: boolean;
}

/** Kinds that record no summary (an empty object is all they could hold). */
export type NoSummary = Record<string, never>;

/** The summary each kind of operation records (Operation.summary). */
export interface OpSummaryByKind {
  backup: BackupSummary;
  forget: ForgetSummary;
  prune: PruneSummary;
  check: NoSummary;
  unlock: NoSummary;
  repairIndex: NoSummary;
  restore: RestoreSummary;
  stats: StatsSummary;
  copy: CopySummary;
  verify: VerifySummary;
  index: IndexSummary;
}
/** The summary of an operation of kind K; without K, of any kind (read it with summaryOf). */
export type OperationSummary<K extends OpKind = OpKind> = OpSummaryByKind[K];

/** What to restore, where (the parameters restore.start records). */
export interface RestoreParams {
  snapshotId: string;
  /** Paths inside the snapshot; empty restores all of it. */
  paths: string[];
  /** The folder restored into (absolute, resolved by the host). */
  target: string;
  overwrite: boolean;
  /** restic 0.17+ `--overwrite` (issue 13); absent: restic's default. Older restic always overwrites. */
  overwriteMode?: RestoreOverwriteMode;
  /** Each chosen path lands directly in `target` (target/<name>), without the folders above it in the snapshot. */
  flatten?: boolean;
  /** Back where the files came from (`--target /`): `target` is "/". */
  originalLocation?: boolean;
}

/** restic 0.17+ `restore --overwrite` choices Backstay offers. */
export const RESTORE_OVERWRITE_MODES = ['never', 'if-changed', 'always'] as const;
export type RestoreOverwriteMode = (typeof RESTORE_OVERWRITE_MODES)[number];

/** `forget` of chosen snapshots (issue 13) instead of the plan's retention rules. */
export interface ForgetParams {
  snapshotIds?: string[];
}

export interface PruneParams {
  /** `prune --dry-run`: what it would remove, nothing removed. */
  dryRun?: boolean;
}

export interface CheckParams {
  /** restic check --read-data-subset (e.g. "10%"), when the plan or the caller asks for one. */
  readDataSubset?: string;
}

export interface UnlockParams {
  /** The operation whose cancel left a stale lock that this unlock removes. */
  afterCancelOf?: number;
}

export interface CopyParams {
  /** The repository the snapshots come from (the plan's own); `repoId` of the operation is the mirror. */
  sourceRepoId: string;
}

export interface BackupParams {
  /** The backup this one continues: it was stopped to restart with new bandwidth limits ("Slow down", issue 16). */
  restartOf?: number;
}

/** Kinds that take no parameters. */
export type NoParams = Record<never, never>;

/** Any kind of operation, when it is a retry (trigger "retry"), also records which attempt it is (1, 2, ...). */
export interface RetryParams {
  attempt?: number;
}

/** The parameters each kind of operation records (Operation.params), besides RetryParams. */
export interface OpParamsByKind {
  backup: BackupParams;
  forget: ForgetParams;
  prune: PruneParams;
  check: CheckParams;
  unlock: UnlockParams;
  repairIndex: NoParams;
  restore: RestoreParams;
  stats: NoParams;
  copy: CopyParams;
  verify: NoParams;
  index: NoParams;
}
/** The parameters of an operation of kind K; without K, of any kind (read them with paramsOf). */
export type OperationParams<K extends OpKind = OpKind> = OpParamsByKind[K] & RetryParams;

/** A file or item restic could not process (backup `error` messages). */
export interface ItemError {
  path: string | null;
  during: string | null;
  message: string;
}

export interface OpError {
  code: string; // one of ErrorCode (errors.ts), kept as string for forward compatibility of stored rows
  message: string; // user-facing words
  /** restic's own words (last relevant stderr line), secrets redacted. */
  detail?: string | null;
}

export interface Operation {
  id: number;
  kind: OpKind;
  trigger: OpTrigger;
  planId: string | null;
  repoId: string;
  status: OpStatus;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  snapshotId: string | null;
  error: OpError | null;
  progress: Progress | null;
  /** What the operation learnt, by kind (OpSummaryByKind): read it with summaryOf(op, kind). */
  summary: OperationSummary | null;
  /** Set while (or last time) the operation was stalled. */
  stalledSince: string | null;
  stall: StallEvidence | null;
  /** Files that failed (restic exit 3), capped. */
  itemErrors: ItemError[];
  /** The operation this one retries (trigger "retry"). */
  retryOf: number | null;
  /** Process that supervises this operation (pid + its start time), for reconciliation after a crash. */
  ownerPid: number | null;
  ownerStartedAt: string | null;
  /** pid of the restic child while it runs. */
  resticPid: number | null;
  /** The parameters of the operation, by kind (OpParamsByKind): read them with paramsOf(op, kind). */
  params: OperationParams | null;
}

/**
 * The params of `op` as kind K records them, or null when `op` is of another kind or has none. The one place that
 * says "the params of a K are OpParamsByKind[K]": the oplog stores them as JSON written only by the engine.
 */
export function paramsOf<K extends OpKind>(op: Pick<Operation, 'kind' | 'params'>, kind: K): OperationParams<K> | null {
  return op.kind === kind ? (op.params as OperationParams<K> | null) : null;
}

/** The summary of `op` as kind K records it, or null when `op` is of another kind or has none. */
export function summaryOf<K extends OpKind>(op: Pick<Operation, 'kind' | 'summary'>, kind: K): OperationSummary<K> | null {
  return op.kind === kind ? (op.summary as OperationSummary<K> | null) : null;
}

export interface OpLogLine {
  opId: number;
  seq: number;
  time: string;
  stream: 'stdout' | 'stderr' | 'backstay';
  text: string;
}

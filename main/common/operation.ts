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
  /** For backups a BackupSummary; other kinds put what they learnt here (e.g. stats, forget results). */
  summary: Record<string, unknown> | null;
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
  /** Free-form parameters of the operation (restore target, paths, ...). */
  params: Record<string, unknown> | null;
}

export interface OpLogLine {
  opId: number;
  seq: number;
  time: string;
  stream: 'stdout' | 'stderr' | 'backstay';
  text: string;
}

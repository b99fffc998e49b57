// The state snapshot every subscriber (window, SSE client, tray, notifier, CLI follower) receives whole.
import type { CancelInfo, OpKind, OpStatus, OpTrigger, Progress, StallEvidence, Operation } from './operation.js';

export interface RunningOp {
  opId: number;
  planId: string | null;
  repoId: string;
  kind: OpKind;
  trigger: OpTrigger;
  status: 'queued' | 'running' | 'stalled' | 'cancelling';
  createdAt: string;
  startedAt: string | null;
  progress: Progress | null;
  stalledSince: string | null;
  stall: StallEvidence | null;
  /** ISO time since which no forward progress was seen (after 3 s), while the stall threshold is not reached.
   * While set, progress has no etaSeconds and no bytesPerSecond. */
  waitingSince?: string | null;
  /** Set from the cancel request until the operation is terminal (status `cancelling`). */
  cancel?: CancelInfo | null;
}

/** The last operation of a plan, as much as the dashboard shows. */
export interface LastOp {
  opId: number;
  kind: OpKind;
  status: OpStatus;
  startedAt: string | null;
  endedAt: string | null;
  dataAdded: number | null;
  errorMessage: string | null;
  /** The ErrorCode of errorMessage, so a window can say it in its own language. */
  errorCode?: string | null;
}

export type ScheduleSpec = { cron: string } | { everyMinutes: number } | null;

export interface Retention {
  keepLast?: number;
  keepHourly?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  keepYearly?: number;
  keepWithin?: string;
}

/**
 * How far one mirror of a plan is behind (issue 15). "Behind" counts the plan's successful backups (success or
 * warning, in the plan's repository) that ended after the last successful copy to the mirror started: each saved
 * a snapshot that copy could not have seen. Honest and cheap (the oplog alone, no restic call); a snapshot removed
 * from the source by retention before it was copied still counts until the next successful copy.
 */
export interface MirrorState {
  repo: string;
  behindSnapshots: number;
  /** When the oldest snapshot the mirror lacks was saved (ISO); null when it lacks none. */
  behindSince: string | null;
  /** When the last successful copy to the mirror ended (ISO); null if none did. */
  lastCopyAt: string | null;
  /** `ok`: lacks nothing; `behind`: lacks snapshots; `failed`: the last copy failed (see lastError). */
  status: 'ok' | 'behind' | 'failed';
  /** From the config: lacking a snapshot for longer than this is a warning (overall status `mirror-behind`). */
  warnAfterDays: number;
  /** From the config too (so that a window editing the plan keeps its mirrors): the mirror's keep rules and schedule. */
  retention: Retention | null;
  schedule: ScheduleSpec;
  lastError?: string | null;
  lastErrorCode?: string | null;
}

export interface PlanState {
  id: string;
  repoId: string;
  paths: string[];
  excludes: string[];
  schedule: ScheduleSpec;
  retention: Retention | null;
  /** Last backup of this plan (any status). */
  lastOp: LastOp | null;
  lastSuccessAt: string | null;
  nextRunAt: string | null;
  /** The last restore test that ran to its end (issue 15); null when none has. Proven restorable only when `ok`. */
  lastVerified?: LastVerified | null;
  /** The plan's restore-test settings from config.json, when it has them (a window saving the plan keeps them). */
  verify?: { schedule: ScheduleSpec; files: number; maxMiB: number };
  /** A scheduled run waiting for its conditions (issue 16): why, and since when; absent or null when none waits. */
  postponed?: { reason: PostponeReason; since: string } | null;
  /** Addition (issue 15): one entry per mirror in the plan's config, in its order; absent or [] without mirrors. */
  mirrors?: MirrorState[];
}

/** Why a scheduled run waits: a condition that does not hold, or one that cannot be told ("...-unknown"). */
export const POSTPONE_REASONS = [
  'on-battery',
  'battery-low',
  'battery-unknown',
  'metered',
  'metered-unknown',
  'unreachable',
  'reachable-unknown',
  'drive-missing',
  'drive-unknown',
] as const;
export type PostponeReason = (typeof POSTPONE_REASONS)[number];

/** A plan's last finished restore test (`verify`): when, against which snapshot, how much it compared. */
export interface LastVerified {
  opId: number;
  at: string;
  snapshotId: string | null;
  /** Files restored and found identical to the source (filesChecked of the summary), and their bytes. */
  files: number;
  bytes: number;
  ok: boolean;
  /** When not ok: what failed, in words, and its ErrorCode. */
  errorMessage?: string | null;
  errorCode?: string | null;
}

export type PasswordSource = { file: string } | { env: string } | { command: string } | { keychain: true };

export interface RepoState {
  id: string;
  /** The repository URI with any credentials in it redacted. */
  uri: string;
  passwordKind: 'file' | 'env' | 'command' | 'keychain';
  envKeys: string[];
  health: 'ok' | 'locked' | 'error' | 'unknown';
  lastError: string | null;
  /** The ErrorCode of lastError, so a window can say it in its own language. */
  lastErrorCode?: string | null;
  /** When the last `check` of this repository ended (issue 15), and whether it passed; null when none has. */
  lastCheckedAt?: string | null;
  lastCheckOk?: boolean | null;
}

/**
 * What an AppWarning is about. Readers switch on this, never on the id:
 * - `no-success`: a plan has had no successful backup for settings.noSuccessWarnDays (its `planId` says which);
 * - `oplog-corrupt`: the operation log was damaged and moved aside at start;
 * - `storage`: the operation log cannot be written right now.
 */
export type AppWarningKind = 'no-success' | 'oplog-corrupt' | 'storage';

export interface AppWarning {
  /** Stable key for deduplication (one warning per id), e.g. "no-success:home". Not to be parsed: read `kind`. */
  id: string;
  kind: AppWarningKind;
  level: 'warning' | 'error';
  message: string;
  planId?: string | null;
  opId?: number | null;
}

export interface ResticInfo {
  path: string | null;
  version: string | null;
  error: string | null;
  /** Addition: the ErrorCode of `error` (RESTIC_NOT_FOUND, RESTIC_TOO_OLD, ...), so a window can say it in its language. */
  errorCode?: string | null;
}

export interface Settings {
  resticBinary: string | null;
  stallAfterSeconds: number;
  cancelGraceSeconds: number;
  uiUpdateHz: number;
  notifyOnSuccess?: boolean;
  noSuccessWarnDays?: number | null;
  keepAwake?: boolean;
  startAtLogin?: boolean;
  language?: 'auto' | 'en' | 'zh-CN';
  /** The window's colours (issue 13): follow the OS, or always light / dark. */
  theme?: 'system' | 'light' | 'dark';
  [key: string]: unknown;
}

/** The one overall status that the header, the tray, notifications and /metrics derive from. */
export const STATUS_LEVELS = ['setup', 'ok', 'running', 'cancelling', 'stalled', 'paused', 'warning', 'error', 'postponed'] as const;
export type StatusLevel = (typeof STATUS_LEVELS)[number];
export interface StatusReason {
  kind: string; // e.g. 'no-plans', 'repo-error', 'paused', 'overdue', 'stalled', 'cancelling', 'running', 'last-warning', 'last-error', 'config-error', 'restic-missing'
  planId?: string;
  repoId?: string;
  opId?: number;
  since?: string;
  /** For 'app-warning' / 'app-error': the id of the AppWarning in `warnings` (its message is there). */
  warningId?: string;
  /** For 'postponed': the condition the plan's scheduled run waits for (`since`: when it began to wait). */
  condition?: PostponeReason;
}
export interface OverallStatus {
  level: StatusLevel;
  reasons: StatusReason[];
}

export interface AppState {
  /** Grows with every change. */
  version: number;
  running: RunningOp[];
  plans: PlanState[];
  repos: RepoState[];
  restic: ResticInfo;
  /** Schedules paused until this ISO time; "forever" when paused until resumed; null when not paused. */
  pausedUntil: string | null;
  /** "Slow down backups" (issue 16): restic runs started until this ISO time get at most this upload; null: full speed. */
  slowDown?: { until: string; uploadKiBs: number } | null;
  warnings: AppWarning[];
  settings: Settings;
  /** Where the config was read from and why it could not be used, if it could not. */
  configError: string | null;
  /** The host kind that produced this snapshot. */
  host: 'electron' | 'serve' | 'cli';
  /** Derived from the rest of the state by one pure function (core/state/overall-status.ts). */
  status?: OverallStatus;
}

export type { Operation };

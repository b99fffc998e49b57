// The one RPC method table, as types. `serve` (HTTP) and the Electron preload (IPC) expose exactly these.
// Params are validated in main/core/rpc; the renderer imports these types only.
import type { AppState, PasswordSource, Retention, ScheduleSpec, Settings } from './state.js';
import type { Operation, OpKind, OpStatus, OpLogLine, RestoreOverwriteMode } from './operation.js';
import { BackstayError } from './errors.js';

export interface SnapshotInfo {
  id: string;
  shortId: string;
  time: string;
  paths: string[];
  tags: string[];
  hostname: string;
  username?: string;
  parent?: string | null;
  tree?: string;
  /** Plan the snapshot belongs to (from Backstay's tag `backstay:plan=<id>`), if any. */
  planId?: string | null;
  summary?: Record<string, unknown> | null;
}

export interface SnapshotSize {
  bytes: number | null;
  files: number | null;
  source: 'summary' | 'stats';
}

export interface SnapshotEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  path: string;
  size: number | null;
  mtime: string | null;
}

/** A snapshot as the history answers name it. */
export interface SnapshotMark {
  snapshotId: string;
  time: string;
}

/** One version of a path: a run of consecutive snapshots (of one plan and host) where it had the same type, size and mtime. */
export interface PathVersion {
  type: SnapshotEntry['type'];
  size: number | null;
  mtime: string | null;
  firstSeen: SnapshotMark;
  lastSeen: SnapshotMark;
  /** How many snapshots hold this version. */
  snapshots: number;
  /** Differs (type, size or mtime) from the version just before it; false for the oldest, and for a path that came back unchanged. */
  changed: boolean;
  /** The plan of the snapshots of this version, when they carry Backstay's plan tag. */
  planId: string | null;
  hostname: string;
}

export interface FoundPath {
  path: string;
  type: SnapshotEntry['type'];
  versions: number;
  lastSeen: SnapshotMark;
}

/** How a desktop download (download.save) is going: bytes written to the chosen file so far. */
export interface DownloadProgress {
  status: 'running' | 'done' | 'failed' | 'cancelled';
  bytes: number;
  /** A file's size; null for a folder (a tar's size is known at its end). */
  total: number | null;
  fileName: string;
  error: { code: string; message: string } | null;
}

export interface DeletedEntry {
  name: string;
  type: SnapshotEntry['type'];
  path: string;
  size: number | null;
  lastSeen: SnapshotMark;
}

export interface RepoInput {
  id: string;
  uri: string;
  password: PasswordSource;
  env?: Record<string, string>;
  flags?: string[];
  maintenance?: RepoMaintenance;
  /** Bandwidth limits in KiB/s (restic --limit-upload/--limit-download), with time-of-day rules (issue 16). */
  limits?: RepoLimits;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** A repository's bandwidth: the first rule that matches the local time replaces the plain limits whole. */
export interface RepoLimits {
  uploadKiBs?: number;
  downloadKiBs?: number;
  /** `from` inclusive, `to` exclusive, "HH:MM" local time; `to` not after `from` runs across midnight. */
  rules?: { days: Weekday[]; from: string; to: string; uploadKiBs?: number; downloadKiBs?: number }[];
}

/** When a plan's scheduled runs may start (issue 16); manual runs ignore them. */
export interface PlanConditions {
  onBattery?: 'run' | 'skip';
  /** Postpone while on a battery below this (1-100). */
  minBatteryPercent?: number;
  onMetered?: 'run' | 'skip';
  requireReachable?: boolean;
  /** An absolute path that must be a mounted drive. */
  requireMount?: string;
}

/** When Backstay prunes and checks a repository on its own; absent: never. */
export interface RepoMaintenance {
  prune?: ScheduleSpec;
  check?: ScheduleSpec;
  /** restic check --read-data-subset for the scheduled check, e.g. "1/10", "5%" or "500M". */
  checkReadDataSubset?: string;
}

/** A user hook on a plan's backups: a shell command or an http(s) URL to POST to, exactly one of them. */
export interface HookSpec {
  on: ('start' | 'success' | 'warning' | 'error' | 'stall' | 'cancel')[];
  command?: string;
  url?: string;
  timeoutMs?: number;
}

/** A repository that receives copies of a plan's snapshots. */
export interface MirrorInput {
  repo: string;
  /** Forget on the mirror by the plan's tag after each copy; null (the default) keeps every copied snapshot. */
  retention?: Retention | null;
  /** null (the default): copy after each successful backup; otherwise copy on this schedule. */
  schedule?: ScheduleSpec;
  /** Warn when the mirror has lacked a snapshot of the plan for more than this many days (default 3). */
  warnAfterDays?: number;
}

export interface PlanInput {
  id: string;
  repo: string;
  paths: string[];
  excludes?: string[];
  schedule?: ScheduleSpec;
  retention?: Retention | null;
  /** Run in addition to settings.hooks. */
  hooks?: HookSpec[];
  /** Other repositories that receive this plan's snapshots (restic copy), each with its own retention and schedule. */
  mirrors?: MirrorInput[];
  /** Restore tests of the latest snapshot (issue 15). */
  verify?: VerifyInput;
  conditions?: PlanConditions;
}

/** A plan's restore tests: a sample of at most `files` files and `maxMiB` MiB, restored and compared with the source. */
export interface VerifyInput {
  /** Absent: weekly; null: only when asked for. */
  schedule?: ScheduleSpec;
  /** 1 to 10000 (default 50). */
  files?: number;
  /** 1 to 1048576 (default 200). */
  maxMiB?: number;
}

/** A file from another tool (or `backstay export`) to import; `passphrase` opens an export's encrypted secrets. */
export interface ImportParams {
  from: 'backrest' | 'resticprofile' | 'backstay';
  text: string;
  /** The file's name, for messages and to tell YAML from TOML; relative paths in it are taken from its folder. */
  fileName?: string;
  passphrase?: string;
}

/** An import's preview: secret values masked, plaintext passwords named by where they were found, never shown. */
export interface ImportPreviewResult {
  repos: RepoInput[];
  plans: PlanInput[];
  skipped: { what: string; why: string }[];
  renamed: { kind: 'repo' | 'plan'; from: string; to: string; why: string }[];
  secrets: { repo: string; from: string }[];
}

export interface RpcMethods {
  'state.get': { params: Record<string, never>; result: AppState };
  'plans.backup': { params: { planId: string; trigger?: 'manual' | 'tray' }; result: { opId: number } };
  /**
   * Copy the plan's snapshots to its mirror `repo` now (restic copy; what the mirror has already is skipped). Without
   * `repo`, a copy to every mirror of the plan is queued: `opId` is the first of them, `opIds` all of them in the
   * plan's order of mirrors. BAD_PARAMS if the plan has no mirrors, MIRROR_INVALID if `repo` is not one of them.
   */
  'plans.copyNow': { params: { planId: string; repo?: string }; result: { opId: number; opIds: number[] } };
  /** A restore test of the plan's latest snapshot now (the one already queued or running, if there is one). */
  'plans.verifyNow': { params: { planId: string; trigger?: 'manual' | 'tray' }; result: { opId: number } };
  'ops.cancel': { params: { opId: number }; result: { ok: true } };
  'ops.keepWaiting': { params: { opId: number }; result: { ok: true } };
  'ops.get': { params: { opId: number }; result: Operation };
  'ops.list': {
    params: {
      planId?: string;
      repoId?: string;
      kind?: OpKind;
      status?: OpStatus;
      limit?: number;
      beforeId?: number;
    };
    result: { ops: Operation[] };
  };
  'ops.log': { params: { opId: number; afterSeq?: number; limit?: number }; result: { lines: OpLogLine[] } };
  'repos.unlock': { params: { repoId: string }; result: { opId: number } };
  'repos.check': { params: { repoId: string; readDataSubset?: string }; result: { opId: number } };
  /** `dryRun`: `prune --dry-run`, a preview; its operation's summary lists restic's figures (PruneSummary). */
  'repos.prune': { params: { repoId: string; dryRun?: boolean }; result: { opId: number } };
  'repos.repairIndex': { params: { repoId: string }; result: { opId: number } };
  'repos.stats': { params: { repoId: string }; result: { opId: number } };
  /** `copyChunkerParamsFrom`: a repository whose chunker parameters the new one takes (restic init
   * --copy-chunker-params), so that copies from it to this one deduplicate as well as its own backups. */
  'repos.init': { params: { repoId: string; copyChunkerParamsFrom?: string }; result: { ok: true } };
  /** Stores a typed password (desktop: the keychain; serve: a 0600 file under secrets/) and points the repository at
   * it. The answer never contains the password. */
  'repos.setPassword': { params: { repoId: string; password: string }; result: { ok: true; password: PasswordSource } };
  /** A quick look at the repository (`restic cat config`): `initialized` false when there is none at its location yet
   * (then `repos.init` creates it). A wrong password, an unreachable backend and the like fail with their code. */
  'repos.testConnection': { params: { repoId: string }; result: { ok: true; initialized: boolean } };
  /** The folders (never files) in `path` (absent: the home folder), for the window's folder browser in `serve`.
   * NOT_FOUND when it does not exist, NOT_A_FOLDER when it is a file, FOLDER_UNREADABLE when it may not be read. */
  'fs.listDirs': { params: { path?: string }; result: { path: string; parent: string | null; dirs: { name: string; path: string }[] } };
  'snapshots.list': { params: { repoId: string; planId?: string }; result: { snapshots: SnapshotInfo[] } };
  'snapshots.browse': {
    params: { repoId: string; snapshotId: string; path: string };
    result: { entries: SnapshotEntry[] };
  };
  'snapshots.search': {
    params: { repoId: string; snapshotId: string; query: string; limit?: number };
    result: { entries: SnapshotEntry[] };
  };
  'snapshots.diff': {
    params: { repoId: string; snapshotA: string; snapshotB: string };
    result: {
      added: string[];
      removed: string[];
      changed: string[];
      counts: { added: number; removed: number; changed: number };
      /** The lists stop at 50,000 entries each; counts stay exact. */
      truncated: boolean;
    };
  };
  /** Forget one snapshot (an operation of kind `forget`, queued like any other); prune frees its data later. */
  'snapshots.forget': { params: { repoId: string; snapshotId: string }; result: { opId: number } };
  /**
   * What restoring the whole snapshot would write: from the snapshot's summary (restic 0.17+), else computed once with
   * `restic stats --mode restore-size` and cached in the data directory.
   */
  'snapshots.size': { params: { repoId: string; snapshotId: string }; result: SnapshotSize };
  /** Every distinct version of a path across the repository's snapshots, newest first (empty: in no indexed snapshot). */
  'snapshots.history': {
    params: { repoId: string; path: string; planId?: string; host?: string };
    result: { versions: PathVersion[]; indexedThrough: SnapshotMark | null; complete: boolean };
  };
  /** `query`: a name fragment (case-insensitive), or a glob (`*`, `?`, `[...]`; with a `/` it matches the whole path). */
  'snapshots.findAll': {
    params: { repoId: string; query: string; planId?: string; since?: string; until?: string; limit?: number };
    /** `truncated`: more paths matched than `limit` (default 200). */
    result: { results: FoundPath[]; complete: boolean; truncated: boolean };
  };
  /** What existed under `path` in earlier snapshots and is not in the latest snapshot that has `path`. */
  'snapshots.deleted': {
    params: { repoId: string; path: string };
    result: { entries: DeletedEntry[]; complete: boolean };
  };
  /**
   * `overwriteMode`: restic 0.17+ only (NOT_SUPPORTED before, except "always", which older restic always does).
   * `flatten`: each of `paths` lands as target/<name>, without the folders above it. `originalLocation`: back where
   * the files came from (target "/"; restic then writes over what is there, as `overwriteMode` says).
   */
  'restore.start': {
    params: {
      repoId: string;
      snapshotId: string;
      paths?: string[];
      target: string;
      overwrite?: boolean;
      overwriteMode?: RestoreOverwriteMode;
      flatten?: boolean;
      originalLocation?: boolean;
    };
    result: { opId: number };
  };
  'config.get': {
    params: Record<string, never>;
    result: { repos: RepoInput[]; plans: PlanInput[]; settings: Settings };
  };
  /** `create`: the window is adding a new repository, so an id already in use is refused instead of replaced. */
  'config.saveRepo': { params: { repo: RepoInput; create?: boolean }; result: { ok: true } };
  'config.deleteRepo': { params: { repoId: string }; result: { ok: true } };
  /** `create`: the window is adding a new plan, so an id already in use is refused instead of replaced. */
  'config.savePlan': { params: { plan: PlanInput; create?: boolean }; result: { ok: true } };
  'config.deletePlan': { params: { planId: string }; result: { ok: true } };
  'config.saveSettings': { params: { settings: Partial<Settings> }; result: { ok: true } };
  /** What importing another tool's file would add, and item by item what it cannot; writes nothing. */
  'config.importPreview': { params: ImportParams; result: ImportPreviewResult };
  /** The same import, saved: plaintext passwords go to the keychain (desktop) or a 0600 file (serve). */
  'config.importApply': { params: ImportParams; result: ImportPreviewResult };
  'schedule.pause': { params: { until: string | null /* null: until resumed */ }; result: { ok: true } };
  'schedule.resume': { params: Record<string, never>; result: { ok: true } };
  // Desktop app only (the Electron host answers these itself; `serve` has no keychain).
  'keychain.status': { params: Record<string, never>; result: { available: boolean; [key: string]: unknown } };
  'keychain.has': { params: { repoId: string }; result: { stored: boolean } };
  'keychain.setPassword': { params: { repoId: string; password: string }; result: { ok: true } };
  'keychain.deletePassword': { params: { repoId: string }; result: { ok: true } };
  // Desktop app only: a save dialog, then `restic dump` streamed into the chosen file (`serve` has GET /api/download).
  /** downloadId null: the user closed the save dialog without choosing a file. */
  'download.save': { params: { repoId: string; snapshotId: string; path: string }; result: { downloadId: number | null; fileName: string } };
  'download.progress': { params: { downloadId: number }; result: DownloadProgress };
  /** Desktop app only: the native folder dialog (several folders at once); `paths` is empty when it was closed. */
  'dialog.chooseFolders': { params: Record<string, never>; result: { paths: string[] } };
  /** Stops restic and removes the partial file. */
  'download.cancel': { params: { downloadId: number }; result: { ok: true } };
  'schedule.preview': { params: { schedule: ScheduleSpec; count?: number }; result: { runs: string[] } };
  /** "Slow down backups" (issue 16): restic runs starting in the next `minutes` upload at most `uploadKiBs` (default
   * 1024, 1 MiB/s); backups running now are stopped and started again with the cap (`restarted`: the stopped ones). */
  'settings.slowDown': { params: { minutes: number; uploadKiBs?: number }; result: { until: string; restarted: number[] } };
  /** Ends a slow-down now; running backups restart without the cap. */
  'settings.fullSpeed': { params: Record<string, never>; result: { restarted: number[] } };
}

export type RpcMethod = keyof RpcMethods;
export type RpcParams<M extends RpcMethod> = RpcMethods[M]['params'];
export type RpcResult<M extends RpcMethod> = RpcMethods[M]['result'];

/**
 * What can be wrong with one field of a request. The window shows its own words for each (in the user's
 * language); `message` is the English for logs, the CLI and scripts.
 */
export const FIELD_ISSUE_CODES = [
  'required', // empty or missing
  'invalid_id', // not 1-64 characters of a-z, 0-9, _ and -, starting with a letter or digit
  'not_absolute', // a relative path (a folder to back up, a local repository, a password file)
  'home_not_expanded', // a path starting with "~", which nothing expands
  'invalid_cron',
  'invalid_duration', // not a restic duration such as "30d"
  'not_whole_number',
  'too_small', // params.minimum (inclusive)
  'must_be_more', // params.minimum (exclusive)
  'too_big', // params.maximum
  'retention_empty',
  'invalid_choice',
  'invalid_type',
  'unknown_key', // params.keys
  'unknown_repo', // a plan names a repository that does not exist
  'mirror_is_own_repo', // params.repo: a plan's mirror is the plan's own repository
  'mirror_twice', // params.repo: the same repository is a mirror of the plan twice
  'id_taken', // params.id: a new repository or plan with the id of one that exists
  'file_missing', // no file at this path
  'file_unreadable', // a file Backstay may not read
  'not_a_file', // a folder (or other) where a file is needed
  'env_not_set', // params.name: the variable is not set in the environment the host runs in
  'restic_not_found', // no program at the path
  'restic_not_executable',
  'restic_not_restic', // the program did not answer `version` as restic does
  'restic_too_old', // params.version, params.minimum
  'no_day', // a time-of-day rule that names no day of the week
  'invalid_time', // not a local time "HH:MM"
  'same_times', // a time-of-day rule that ends when it starts
  'invalid', // anything else (see message)
] as const;
export type FieldIssueCode = (typeof FIELD_ISSUE_CODES)[number];

/** One problem with one field of a request, so a form can show it on that field. */
export interface FieldIssue {
  /** Where, in the params: ["plan", "paths", 1]. List indices count from 0 here; people count from 1. */
  path: (string | number)[];
  code: FieldIssueCode;
  /** What is wrong, in English; never contains a secret. */
  message: string;
  /** Values the words need (a minimum, a variable name, a version). */
  params?: Record<string, string | number>;
}

/** Extra data of an RPC error (additive): a BAD_PARAMS or CONFIG_INVALID error lists every problem it found. */
export interface RpcErrorData {
  issues?: FieldIssue[];
}

/** At most this many issues travel with one error: a form fixes the first ones first. */
export const MAX_FIELD_ISSUES = 100;

/** A request (or the config it would make) with problems in named fields; carries all of them. */
export class FieldIssuesError extends BackstayError {
  readonly issues: FieldIssue[];
  constructor(code: 'BAD_PARAMS' | 'CONFIG_INVALID', message: string, issues: FieldIssue[]) {
    super(code, message);
    this.issues = issues.slice(0, MAX_FIELD_ISSUES);
  }
}

/** The `data` an RPC error carries across a transport (HTTP body, IPC reply), or undefined. */
export function rpcErrorData(error: unknown): RpcErrorData | undefined {
  const issues = error !== null && typeof error === 'object' ? (error as { issues?: unknown }).issues : undefined;
  return Array.isArray(issues) && issues.length > 0 ? { issues: issues as FieldIssue[] } : undefined;
}

/** Where the desktop host asks the window to go (a click on a notification or a tray item). */
export interface NavigateTarget {
  planId?: string;
  opId?: number;
}

/** What the preload exposes as `window.backstay`. */
export interface BackstayBridge {
  invoke<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<RpcResult<M>>;
  /** Receives whole snapshots; the returned function unsubscribes. */
  onState(cb: (state: AppState) => void): () => void;
  /** Flow control: tell the host the last snapshot was applied, so it may send the next. */
  ackState(version: number): void;
  /** The host asks the window to show a plan or an operation; the returned function unsubscribes. */
  onNavigate?(cb: (target: NavigateTarget) => void): () => void;
}

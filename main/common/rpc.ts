// The one RPC method table, as types. `serve` (HTTP) and the Electron preload (IPC) expose exactly these.
// Params are validated in main/core/rpc; the renderer imports these types only.
import type { AppState, PasswordSource, Retention, ScheduleSpec, Settings } from './state.js';
import type { Operation, OpKind, OpStatus, OpLogLine } from './operation.js';
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

export interface SnapshotEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  path: string;
  size: number | null;
  mtime: string | null;
}

export interface RepoInput {
  id: string;
  uri: string;
  password: PasswordSource;
  env?: Record<string, string>;
  flags?: string[];
  maintenance?: RepoMaintenance;
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

export interface PlanInput {
  id: string;
  repo: string;
  paths: string[];
  excludes?: string[];
  schedule?: ScheduleSpec;
  retention?: Retention | null;
  /** Run in addition to settings.hooks. */
  hooks?: HookSpec[];
}

export interface RpcMethods {
  'state.get': { params: Record<string, never>; result: AppState };
  'plans.backup': { params: { planId: string; trigger?: 'manual' | 'tray' }; result: { opId: number } };
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
  'repos.prune': { params: { repoId: string }; result: { opId: number } };
  'repos.repairIndex': { params: { repoId: string }; result: { opId: number } };
  'repos.stats': { params: { repoId: string }; result: { opId: number } };
  'repos.init': { params: { repoId: string }; result: { ok: true } };
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
  'restore.start': {
    params: { repoId: string; snapshotId: string; paths?: string[]; target: string; overwrite?: boolean };
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
  'schedule.pause': { params: { until: string | null /* null: until resumed */ }; result: { ok: true } };
  'schedule.resume': { params: Record<string, never>; result: { ok: true } };
  // Desktop app only (the Electron host answers these itself; `serve` has no keychain).
  'keychain.status': { params: Record<string, never>; result: { available: boolean; [key: string]: unknown } };
  'keychain.has': { params: { repoId: string }; result: { stored: boolean } };
  'keychain.setPassword': { params: { repoId: string; password: string }; result: { ok: true } };
  'keychain.deletePassword': { params: { repoId: string }; result: { ok: true } };
  'schedule.preview': { params: { schedule: ScheduleSpec; count?: number }; result: { runs: string[] } };
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
  'id_taken', // params.id: a new repository or plan with the id of one that exists
  'file_missing', // no file at this path
  'file_unreadable', // a file Backstay may not read
  'not_a_file', // a folder (or other) where a file is needed
  'env_not_set', // params.name: the variable is not set in the environment the host runs in
  'restic_not_found', // no program at the path
  'restic_not_executable',
  'restic_not_restic', // the program did not answer `version` as restic does
  'restic_too_old', // params.version, params.minimum
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

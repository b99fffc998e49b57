// What the orchestrator needs to know about one kind of operation. One file per task (backup.ts, forget.ts, ...):
// the orchestrator knows how to run restic; a task knows which arguments to give it and what its outcome means.
import type { OpError, OpKind, OperationParams, OperationSummary, Progress, TerminalStatus } from '../../common/index.js';
import type { PlanConfig, RepoConfig } from '../config/schema.js';
import type { HistoryService } from '../history/history-service.js';
import type { ResticFeatures, ResticVersion } from '../restic/binary.js';
import type { ResticMessage } from '../restic/messages.js';
import type { ResticTarget } from '../restic/run-restic.js';
import type { CancelReason, ProcessOutcome } from '../supervisor/restic-process.js';

export interface TaskContext {
  /** The operation's kind and params: a task reads its own with paramsOf(ctx, kind). */
  kind: OpKind;
  repo: RepoConfig;
  plan: PlanConfig | null;
  params: OperationParams | null;
  version: ResticVersion;
  features: ResticFeatures;
}

export interface TaskResult {
  status: TerminalStatus;
  error: OpError | null;
  summary?: OperationSummary | null;
  snapshotId?: string | null;
}

/** The arguments of one run, and what to clean up after it (e.g. a temporary exclude file). */
export interface PreparedCommand {
  args: string[];
  cleanup?(): Promise<void>;
  /**
   * After restic ended (not when cancelled or when it never started) and before cleanup: work on what it produced
   * (the restore test compares the restored files) and give the final result. `signal` aborts on cancel.
   */
  finish?(base: TaskResult, collected: Record<string, unknown>, signal: AbortSignal): Promise<TaskResult>;
}

/** What prepare() may use to run restic before the operation's own process (the restore test's listing). */
export interface PrepareIO {
  target: ResticTarget;
  /** Aborts when the operation is cancelled. */
  signal: AbortSignal;
}

/** What an operation that runs many restic commands itself (runHere) is given. */
export interface RunHereIO extends PrepareIO {
  /** The running entry's and the oplog's progress (written at a bounded rate). */
  progress(progress: Progress): void;
  /** A line in the operation's log. */
  log(text: string): void;
  /** True when another operation waits for this repository: low-priority work stops at its next safe point. */
  othersWaiting(): boolean;
  history: HistoryUpdater | null;
}

/** The part of the history service the `index` operation uses. */
export type HistoryUpdater = Pick<HistoryService, 'update'>;

/** How a restic process ended, with what the orchestrator knows about it. */
export interface ProcessEnd {
  outcome: ProcessOutcome;
  /** Who asked the operation to stop, if anyone (the process may have ended before it heard). */
  cancelReason: CancelReason | null;
  secrets: string[];
}

export interface TaskSpec {
  kind: OpKind;
  /** Takes restic's exclusive lock: stale locks are removed first (restic unlock, stale ones only). */
  exclusiveLock: boolean;
  /** Watch for stalls (commands that print steady progress); others print nothing for long stretches. */
  watchStalls: boolean | ((ctx: TaskContext) => boolean);
  /**
   * The repository the operation reads besides its own (a copy's source), from its params: the operation is queued
   * on both repositories' locks, and the source's location, password and env reach restic as RESTIC_FROM_*.
   */
  fromRepoId?(params: OperationParams | null): string | null;
  /** Variables this kind of command needs besides the repository's (e.g. RESTIC_PROGRESS_FPS for copy). */
  extraEnv?: Readonly<Record<string, string>>;
  /** Checks before restic runs; throws BackstayError for input that cannot work (e.g. every source path missing). */
  precheck?(ctx: TaskContext): void | Promise<void>;
  args(ctx: TaskContext): string[];
  /** When present, used instead of args(): arguments that need files written first (removed by cleanup). */
  prepare?(ctx: TaskContext, io: PrepareIO): Promise<PreparedCommand>;
  /** When present, the whole operation runs here instead of one restic process (args() is not used). */
  runHere?(ctx: TaskContext, io: RunHereIO): Promise<TaskResult>;
  /** When present, decides the result from the end of the process instead of the standard classification. */
  decide?(end: ProcessEnd, ctx: TaskContext): TaskResult;
  /** Collects what a command prints besides the standard messages (stats or forget JSON). */
  collect?(message: ResticMessage, collected: Record<string, unknown>): void;
  /** Refines the standard classification of the exit (e.g. attach the collected summary). */
  refine?(outcome: ProcessOutcome, base: TaskResult, collected: Record<string, unknown>, ctx: TaskContext): TaskResult;
}

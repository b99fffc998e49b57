// What the orchestrator needs to know about one kind of operation. One file per task (backup.ts, forget.ts, ...):
// the orchestrator knows how to run restic; a task knows which arguments to give it and what its outcome means.
import type { OpError, OpKind, OperationParams, OperationSummary, TerminalStatus } from '../../common/index.js';
import type { PlanConfig, RepoConfig } from '../config/schema.js';
import type { ResticFeatures, ResticVersion } from '../restic/binary.js';
import type { ResticMessage } from '../restic/messages.js';
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
}

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
  /** Checks before restic runs; throws BackstayError for input that cannot work (e.g. every source path missing). */
  precheck?(ctx: TaskContext): void | Promise<void>;
  args(ctx: TaskContext): string[];
  /** When present, used instead of args(): arguments that need files written first (removed by cleanup). */
  prepare?(ctx: TaskContext): Promise<PreparedCommand>;
  /** When present, decides the result from the end of the process instead of the standard classification. */
  decide?(end: ProcessEnd, ctx: TaskContext): TaskResult;
  /** Collects what a command prints besides the standard messages (stats or forget JSON). */
  collect?(message: ResticMessage, collected: Record<string, unknown>): void;
  /** Refines the standard classification of the exit (e.g. attach the collected summary). */
  refine?(outcome: ProcessOutcome, base: TaskResult, collected: Record<string, unknown>, ctx: TaskContext): TaskResult;
}

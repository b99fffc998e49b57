// What the orchestrator needs to know about one kind of operation. One file per task (backup.ts, forget.ts, ...):
// the orchestrator knows how to run restic; a task knows which arguments to give it and what its outcome means.
import type { OpError, OpKind, TerminalStatus } from '../../common/index.js';
import type { PlanConfig, RepoConfig } from '../config/schema.js';
import type { ResticFeatures, ResticVersion } from '../restic/binary.js';
import type { ResticMessage } from '../restic/messages.js';
import type { ProcessOutcome } from '../supervisor/restic-process.js';

export interface TaskContext {
  repo: RepoConfig;
  plan: PlanConfig | null;
  params: Record<string, unknown> | null;
  version: ResticVersion;
  features: ResticFeatures;
}

export interface TaskResult {
  status: TerminalStatus;
  error: OpError | null;
  summary?: Record<string, unknown> | null;
  snapshotId?: string | null;
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
  /** Collects what a command prints besides the standard messages (stats or forget JSON). */
  collect?(message: ResticMessage, collected: Record<string, unknown>): void;
  /** Refines the standard classification of the exit (e.g. attach the collected summary). */
  refine?(outcome: ProcessOutcome, base: TaskResult, collected: Record<string, unknown>, ctx: TaskContext): TaskResult;
}

// Runs operations: one queue per repository (restic locks are per repository, and one repository's prune must not
// block another's backup) and a global limit on parallel operations. Every operation ends in a terminal status:
// queued ones that are cancelled, running ones through the supervisor's bounded cancel, and ones whose start fails.
//
// The path from restic's output to the oplog never waits: supervisor events update the in-memory state store and
// hand patches to the ProgressWriter, which writes to SQLite at a bounded rate from a timer.
import { BackstayError } from '../../common/errors.js';
import type { OpError, OpKind, OpTrigger, Operation } from '../../common/index.js';
import type { KeychainProvider, Logger } from '../engine-api.js';
import type { BackstayConfig } from '../config/schema.js';
import type { OpStore, OperationPatch } from '../oplog/store.js';
import type { ProgressWriter } from '../oplog/progress-writer.js';
import type { ResticVersion } from '../restic/binary.js';
import { resticFeatures } from '../restic/binary.js';
import { buildResticEnv } from '../restic/env.js';
import { classifyResticExit } from '../restic/errors.js';
import { redactSecrets } from '../restic/redact.js';
import { AppStateStore, toRunningOp } from '../state/app-state.js';
import { ResticProcess, realClock, type ProcessOutcome, type SupervisorClock, type SupervisorEvent } from '../supervisor/restic-process.js';
import type { TaskContext, TaskResult } from './task.js';
import { TASKS } from './tasks.js';
import { runQuickRestic } from './quick-restic.js';
import { LogBuffer } from './log-buffer.js';

export interface EnqueueRequest {
  kind: OpKind;
  repoId: string;
  planId?: string | null;
  trigger: OpTrigger;
  params?: Record<string, unknown> | null;
  retryOf?: number | null;
}

export interface ResticBinaryInfo {
  binary: string;
  version: ResticVersion;
}

export interface OrchestratorDeps {
  store: OpStore;
  /** Where output lines are written from a timer; a connection with a short busy timeout (see engine.ts). */
  logStore?: OpStore;
  progress: ProgressWriter;
  state: AppStateStore;
  config(): BackstayConfig;
  /** The restic binary and its version; throws BackstayError (RESTIC_NOT_FOUND, RESTIC_TOO_OLD). */
  restic(): Promise<ResticBinaryInfo>;
  owner: { pid: number; startedAt: string };
  logger: Logger;
  keychain?: KeychainProvider;
  clock?: SupervisorClock;
  baseEnv?: NodeJS.ProcessEnv;
  /** Called once per operation when it reaches its terminal status (never awaited on the job path). */
  onFinished?(op: Operation): void;
  /** Called when an operation starts running, is stalled or resumes (hooks, notifications). */
  onStatus?(op: Operation, event: 'start' | 'stall' | 'resume'): void;
}

interface ActiveOperation {
  opId: number;
  repoId: string;
  process: ResticProcess | null;
  cancelReason: 'user' | 'shutdown' | 'stall' | null;
  finished: Promise<Operation>;
}

const UNLOCK_TIMEOUT_MS = 60_000;
/** After a cancel the backend may be the very thing that is frozen: do not let the unlock linger. */
const UNLOCK_AFTER_CANCEL_TIMEOUT_MS = 20_000;
/** How long shutdown waits for such an unlock before leaving it to execa's cleanup. */
const SHUTDOWN_UNLOCK_WAIT_MS = 2_000;

export class Orchestrator {
  private readonly queues = new Map<string, number[]>();
  private readonly busyRepos = new Set<string>();
  private readonly active = new Map<number, ActiveOperation>();
  private readonly waiters = new Map<number, Array<(op: Operation) => void>>();
  private readonly clock: SupervisorClock;
  private readonly logs: LogBuffer;
  private shuttingDown = false;
  private readonly pendingUnlocks = new Set<Promise<void>>();

  constructor(private readonly deps: OrchestratorDeps) {
    this.clock = deps.clock ?? realClock;
    this.logs = new LogBuffer(deps.logStore ?? deps.store, deps.logger);
  }

  /** Queues an operation. A backup of a plan that is already queued or running is not queued twice: its op is returned. */
  enqueue(request: EnqueueRequest): Operation {
    if (this.shuttingDown) throw new BackstayError('CANCELLED', 'Backstay is shutting down.');
    const config = this.deps.config();
    if (!config.repos.some((r) => r.id === request.repoId)) {
      throw new BackstayError('UNKNOWN_REPO', `There is no repository "${request.repoId}".`);
    }
    if (request.kind === 'backup' && request.planId) {
      const existing = this.liveOperationFor(request.planId, 'backup');
      if (existing) return existing;
    }
    const op = this.deps.store.insert({
      kind: request.kind,
      trigger: request.trigger,
      planId: request.planId ?? null,
      repoId: request.repoId,
      status: 'queued',
      retryOf: request.retryOf ?? null,
      params: request.params ?? null,
      ownerPid: this.deps.owner.pid,
      ownerStartedAt: this.deps.owner.startedAt,
    });
    this.deps.state.upsertRunning(toRunningOp(op));
    const queue = this.queues.get(op.repoId) ?? [];
    queue.push(op.id);
    this.queues.set(op.repoId, queue);
    queueMicrotask(() => this.pump());
    return op;
  }

  /** The live operation of a plan and kind, if any. */
  liveOperationFor(planId: string, kind: OpKind): Operation | null {
    for (const r of this.deps.state.current.running) {
      if (r.planId === planId && r.kind === kind) return this.deps.store.get(r.opId);
    }
    return null;
  }

  isBusy(planId: string, kind: OpKind = 'backup'): boolean {
    return this.deps.state.current.running.some((r) => r.planId === planId && r.kind === kind);
  }

  /** Cancels a queued or running operation. Returns false if it is not live in this process. */
  cancel(opId: number, reason: 'user' | 'shutdown' | 'stall' = 'user'): boolean {
    for (const [repoId, queue] of this.queues) {
      const index = queue.indexOf(opId);
      if (index !== -1) {
        queue.splice(index, 1);
        if (queue.length === 0) this.queues.delete(repoId);
        this.complete(opId, {
          status: 'cancelled',
          error: cancelledError(reason),
        });
        return true;
      }
    }
    const active = this.active.get(opId);
    if (!active) return false;
    active.cancelReason ??= reason;
    active.process?.cancel(reason);
    return true;
  }

  /** "Keep waiting" on a stalled operation: restart its stall clock. */
  keepWaiting(opId: number): boolean {
    const active = this.active.get(opId);
    if (!active?.process) return false;
    active.process.keepWaiting();
    return true;
  }

  /** After the machine slept: time asleep is not "no progress", so every stall clock starts again. */
  restartStallClocks(): void {
    for (const active of this.active.values()) active.process?.keepWaiting();
  }

  /** Resolves with the operation once it is terminal. */
  waitFor(opId: number): Promise<Operation> {
    const op = this.deps.store.get(opId);
    if (op && !this.isLiveHere(opId)) return Promise.resolve(op);
    return new Promise((resolve) => {
      const list = this.waiters.get(opId) ?? [];
      list.push(resolve);
      this.waiters.set(opId, list);
    });
  }

  /** Cancels everything (operations end `cancelled`) and resolves when every process is gone. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const queue of [...this.queues.values()]) for (const opId of [...queue]) this.cancel(opId, 'shutdown');
    const running = [...this.active.values()];
    for (const active of running) this.cancel(active.opId, 'shutdown');
    await Promise.all(running.map((a) => a.finished));
    if (this.pendingUnlocks.size > 0) {
      await Promise.race([
        Promise.all(this.pendingUnlocks),
        new Promise((resolve) => setTimeout(resolve, SHUTDOWN_UNLOCK_WAIT_MS).unref()),
      ]);
    }
    this.logs.flushAll();
    this.deps.progress.flush();
  }

  private isLiveHere(opId: number): boolean {
    if (this.active.has(opId)) return true;
    for (const queue of this.queues.values()) if (queue.includes(opId)) return true;
    return false;
  }

  private pump(): void {
    if (this.shuttingDown) return;
    const limit = Math.max(1, Number(this.deps.config().settings.maxParallelOperations ?? 2));
    for (const [repoId, queue] of this.queues) {
      if (this.active.size >= limit) return;
      if (this.busyRepos.has(repoId) || queue.length === 0) continue;
      const opId = queue.shift()!;
      if (queue.length === 0) this.queues.delete(repoId);
      this.busyRepos.add(repoId);
      const active: ActiveOperation = { opId, repoId, process: null, cancelReason: null, finished: null! };
      this.active.set(opId, active);
      active.finished = this.run(active).finally(() => {
        this.active.delete(opId);
        this.busyRepos.delete(repoId);
        this.pump();
      });
    }
  }

  private async run(active: ActiveOperation): Promise<Operation> {
    const op = this.deps.store.get(active.opId);
    if (!op) return this.complete(active.opId, { status: 'error', error: internalError('The operation vanished from the log.') });
    const startedAt = new Date(this.clock.now()).toISOString();
    this.write(op.id, { status: 'running', startedAt }, true);
    this.deps.state.patchRunning(op.id, { status: 'running', startedAt });
    this.notifyStatus(op.id, 'start');
    try {
      const config = this.deps.config();
      const repo = config.repos.find((r) => r.id === op.repoId);
      if (!repo) throw new BackstayError('UNKNOWN_REPO', `There is no repository "${op.repoId}" any more.`);
      const plan = op.planId ? config.plans.find((p) => p.id === op.planId) ?? null : null;
      if (op.planId && !plan) throw new BackstayError('UNKNOWN_PLAN', `There is no plan "${op.planId}" any more.`);
      const { binary, version } = await this.deps.restic();
      const ctx: TaskContext = { repo, plan, params: op.params, version, features: resticFeatures(version) };
      const task = TASKS[op.kind];
      await task.precheck?.(ctx);
      const keychainPassword = 'keychain' in repo.password ? await this.deps.keychain?.getPassword(repo.id) ?? null : null;
      const { env, secrets } = buildResticEnv(repo, { baseEnv: this.deps.baseEnv ?? process.env, keychainPassword });
      const args = task.args(ctx);
      if (active.cancelReason) return this.complete(op.id, { status: 'cancelled', error: cancelledError(active.cancelReason) });

      if (task.exclusiveLock) {
        const unlock = await runQuickRestic({ binary, args: ['unlock'], env, timeoutMs: UNLOCK_TIMEOUT_MS });
        this.logs.append(op.id, 'backstay', `removed stale locks before ${op.kind}: exit ${unlock.exitCode ?? 'timeout'}`);
        if (active.cancelReason) return this.complete(op.id, { status: 'cancelled', error: cancelledError(active.cancelReason) });
      }

      const collected: Record<string, unknown> = {};
      const settings = config.settings;
      const watch = typeof task.watchStalls === 'function' ? task.watchStalls(ctx) : task.watchStalls;
      const resticProcess = new ResticProcess({
        binary,
        args,
        env,
        kind: op.kind,
        stallAfterMs: watch ? settings.stallAfterSeconds * 1000 : Number.MAX_SAFE_INTEGER / 4,
        cancelGraceMs: settings.cancelGraceSeconds * 1000,
        clock: this.clock,
        onEvent: (event) => this.onProcessEvent(op.id, event, secrets, task.collect ? (m) => task.collect!(m, collected) : null),
      });
      active.process = resticProcess;
      this.logs.append(op.id, 'backstay', `restic ${redactSecrets(args.join(' '), secrets)}`);
      resticProcess.start();
      const outcome = await resticProcess.done;
      const result = this.interpret(outcome, op.kind, version, secrets, active);
      const refined = task.refine ? task.refine(outcome, result, collected, ctx) : result;
      if (outcome.cancelReason && (outcome.signal === 'SIGKILL' || outcome.signal === 'SIGTERM' || outcome.abandoned)) {
        // restic < 0.17 dies on SIGTERM and leaves its lock; a killed restic always does. Remove it while we know.
        const unlock = this.removeStaleLocks(op.id, binary, env).finally(() => this.pendingUnlocks.delete(unlock));
        this.pendingUnlocks.add(unlock);
      }
      return this.complete(op.id, refined, outcome.itemErrors);
    } catch (err) {
      const error =
        err instanceof BackstayError
          ? { code: err.code, message: err.message, detail: err.detail }
          : internalError(`Backstay could not run this operation: ${(err as Error).message}`);
      if (active.cancelReason) return this.complete(op.id, { status: 'cancelled', error: cancelledError(active.cancelReason) });
      return this.complete(op.id, { status: 'error', error });
    }
  }

  private interpret(
    outcome: ProcessOutcome,
    kind: OpKind,
    version: ResticVersion,
    secrets: string[],
    active: ActiveOperation,
  ): TaskResult {
    if (outcome.spawnError) {
      return {
        status: 'error',
        error: { code: 'RESTIC_NOT_FOUND', message: `restic could not be started: ${redactSecrets(outcome.spawnError, secrets)}` },
      };
    }
    const cancelRequested = outcome.cancelReason !== null || active.cancelReason !== null;
    const classified = classifyResticExit({
      exitCode: outcome.exitCode,
      signal: outcome.signal,
      stderrTail: outcome.stderrTail.map((line) => redactSecrets(line, secrets)),
      exitError: outcome.exitError,
      version,
      kind,
      cancelRequested,
      secrets,
    });
    if (cancelRequested && classified.status !== 'success' && classified.status !== 'warning') {
      // A cancelled backup that restic still finished counts as finished; anything else is `cancelled`.
      return { status: 'cancelled', error: cancelledError(active.cancelReason ?? outcome.cancelReason ?? 'user', outcome.abandoned) };
    }
    return { status: classified.status, error: classified.error };
  }

  private onProcessEvent(
    opId: number,
    event: SupervisorEvent,
    secrets: string[],
    collect: ((message: Extract<SupervisorEvent, { type: 'message' }>['message']) => void) | null,
  ): void {
    switch (event.type) {
      case 'started':
        this.write(opId, { resticPid: event.pid }, true);
        return;
      case 'progress':
        this.deps.state.patchRunning(opId, { progress: event.progress });
        this.write(opId, { progress: event.progress }, false);
        return;
      case 'message':
        collect?.(event.message);
        return;
      case 'log':
        this.logs.append(opId, event.stream, redactSecrets(event.text, secrets));
        return;
      case 'stalled': {
        const patch = { status: 'stalled' as const, stalledSince: event.evidence.since, stall: event.evidence };
        this.deps.state.patchRunning(opId, patch);
        this.write(opId, patch, true);
        this.logs.append(opId, 'backstay', `stalled: no progress since ${event.evidence.since} at ${event.evidence.bytesDone} bytes`);
        this.notifyStatus(opId, 'stall');
        return;
      }
      case 'resumed': {
        const patch = { status: 'running' as const, stalledSince: null };
        this.deps.state.patchRunning(opId, patch);
        this.write(opId, patch, true);
        this.logs.append(opId, 'backstay', `resumed after ${Math.round(event.stalledForMs / 1000)} s`);
        this.notifyStatus(opId, 'resume');
        return;
      }
      case 'cancelling':
        this.logs.append(opId, 'backstay', `cancel: sending ${event.signal} to restic`);
        return;
    }
  }

  /** Hands a patch to the rate-bounded writer; status changes are flushed at once (it never throws). */
  private write(opId: number, patch: OperationPatch, flush: boolean): void {
    this.deps.progress.report(opId, patch);
    if (flush) this.deps.progress.flush(opId);
  }

  private complete(opId: number, result: TaskResult, itemErrors: Operation['itemErrors'] = []): Operation {
    const endedAt = new Date(this.clock.now()).toISOString();
    const patch: OperationPatch = {
      status: result.status,
      endedAt,
      error: result.error,
      resticPid: null,
      itemErrors,
      ...(result.summary !== undefined ? { summary: result.summary } : {}),
      ...(result.snapshotId !== undefined ? { snapshotId: result.snapshotId } : {}),
    };
    // release: writes the terminal patch now and keeps retrying if the database refuses it, so it is never lost.
    this.deps.progress.report(opId, patch);
    this.deps.progress.release(opId);
    this.logs.flush(opId);
    const op = this.deps.store.get(opId) ?? synthesize(opId, patch);
    // If the store failed to write, the in-memory view still ends the operation: nothing stays "running".
    const finished: Operation = { ...op, ...patch, progress: op.progress } as Operation;
    this.deps.state.finishOperation(finished);
    try {
      this.deps.onFinished?.(finished);
    } catch (err) {
      this.deps.logger.error('onFinished failed', { error: String(err) });
    }
    for (const resolve of this.waiters.get(opId) ?? []) resolve(finished);
    this.waiters.delete(opId);
    return finished;
  }

  private notifyStatus(opId: number, event: 'start' | 'stall' | 'resume'): void {
    if (!this.deps.onStatus) return;
    const op = this.deps.store.get(opId);
    if (!op) return;
    try {
      this.deps.onStatus(op, event);
    } catch (err) {
      this.deps.logger.error('onStatus failed', { error: String(err) });
    }
  }

  private async removeStaleLocks(opId: number, binary: string, env: Record<string, string>): Promise<void> {
    const result = await runQuickRestic({ binary, args: ['unlock'], env, timeoutMs: UNLOCK_AFTER_CANCEL_TIMEOUT_MS });
    this.logs.append(opId, 'backstay', `after cancel: restic unlock exit ${result.exitCode ?? 'timeout'}`);
    this.logs.flush(opId);
  }
}

function cancelledError(reason: 'user' | 'shutdown' | 'stall', abandoned = false): OpError {
  const message =
    reason === 'shutdown'
      ? 'Cancelled because Backstay was shutting down.'
      : reason === 'stall'
        ? 'Cancelled after making no progress for too long.'
        : 'Cancelled.';
  return {
    code: 'CANCELLED',
    message: abandoned ? `${message} restic did not exit even after being killed; it was left behind.` : message,
  };
}

function internalError(message: string): OpError {
  return { code: 'INTERNAL', message };
}

function synthesize(opId: number, patch: OperationPatch): Operation {
  return { id: opId, ...patch } as unknown as Operation;
}


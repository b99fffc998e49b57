// Runs operations: one queue per repository (restic locks are per repository, and one repository's prune must not
// block another's backup) and a global limit on parallel operations. Every operation ends in a terminal status:
// queued ones that are cancelled, running ones through the supervisor's bounded cancel, and ones whose start fails.
//
// The path from restic's output to the oplog never waits: supervisor events update the in-memory state store and
// hand patches to the ProgressWriter, which writes to SQLite at a bounded rate from a timer.
import { BackstayError } from '../../common/errors.js';
import type { CancelStage, OpError, OpKind, OpTrigger, Operation, OperationParams, Progress, RunningOp } from '../../common/index.js';
import type { KeychainProvider, Logger } from '../engine-api.js';
import type { BackstayConfig, RepoConfig } from '../config/schema.js';
import type { OpStore, OperationPatch } from '../oplog/store.js';
import type { ProgressWriter } from '../oplog/progress-writer.js';
import type { ResticVersion } from '../restic/binary.js';
import { resticFeatures } from '../restic/binary.js';
import { buildResticEnv, keychainPasswordFor } from '../restic/env.js';
import { unlockArgs } from '../restic/args.js';
import { classifyResticExit, classifySpawnFailure } from '../restic/errors.js';
import { redactSecrets } from '../restic/redact.js';
import { AppStateStore, toRunningOp } from '../state/app-state.js';
import {
  ResticProcess,
  realClock,
  type CancelReason,
  type ProcessOutcome,
  type SupervisorClock,
  type SupervisorEvent,
} from '../supervisor/restic-process.js';
import { setLongTimeout, type LongTimeout } from '../timers/long-timeout.js';
import { cancelledError } from './cancelled-error.js';
import type { HistoryUpdater, PreparedCommand, TaskContext, TaskResult, TaskSpec } from './task.js';
import { TASKS } from './tasks.js';
import { restic, resultOfFailure } from '../restic/run-restic.js';
import { LogBuffer } from './log-buffer.js';
import { buildFromRepoEnv } from './copy-task.js';

export interface EnqueueRequest {
  kind: OpKind;
  repoId: string;
  planId?: string | null;
  trigger: OpTrigger;
  params?: OperationParams | null;
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
  /** Flags added to the repository's own for one run, decided as it starts (bandwidth limits: conditions/limits.ts). */
  runFlags?(repo: RepoConfig): string[];
  /** The history indexes, for the `index` operation (task.runHere). */
  history?: HistoryUpdater;
  /** Called once per operation when it reaches its terminal status (never awaited on the job path). */
  onFinished?(op: Operation): void;
  /** Called when an operation starts running, is stalled or resumes (hooks, notifications). */
  onStatus?(op: Operation, event: 'start' | 'stall' | 'resume'): void;
}

interface ActiveOperation {
  opId: number;
  repoId: string;
  process: ResticProcess | null;
  cancelReason: CancelReason | null;
  /** ISO time of the first cancel request. */
  cancelRequestedAt: string | null;
  /** Aborted on cancel: stops what runs before restic itself (the unlock before an exclusive operation). */
  abort: AbortController;
  /** The operation has its terminal status; its run may still be removing a lock restic left behind. */
  terminal: boolean;
  /** The `restic unlock` Backstay runs on its own after a forced cancel: shutdown shortens its bound instead of
   * cancelling it at once (it must get to remove the lock if it can). */
  systemUnlock?: { shorten(ms: number): void };
  finished: Promise<unknown>;
}

const UNLOCK_TIMEOUT_MS = 60_000;
/** After a cancel the backend may be the very thing that is frozen: do not let the unlock linger. */
export const UNLOCK_AFTER_CANCEL_TIMEOUT_MS = 20_000;
/** The unlock after a cancel is itself stopped quickly once its bound has passed. */
const UNLOCK_CANCEL_GRACE_MS = 2_000;
/** How long shutdown lets such an unlock run before stopping it. */
const SHUTDOWN_UNLOCK_WAIT_MS = 2_000;

const STAGE_OF_SIGNAL: Partial<Record<NodeJS.Signals, CancelStage>> = {
  SIGINT: 'interrupt',
  SIGTERM: 'terminate',
  SIGKILL: 'kill',
};

export class Orchestrator {
  private readonly queues = new Map<string, number[]>();
  private readonly busyRepos = new Set<string>();
  /** The repositories each queued or running operation holds (its own, and a copy's source): see lockSetOf. */
  private readonly locks = new Map<number, string[]>();
  /** Queued operations that yield to any other (index). */
  private readonly lowPriority = new Set<number>();
  private readonly active = new Map<number, ActiveOperation>();
  private readonly waiters = new Map<number, Array<(op: Operation) => void>>();
  private readonly clock: SupervisorClock;
  private readonly logs: LogBuffer;
  private shuttingDown = false;

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
    const lockSet = lockSetOf(request);
    for (const repoId of lockSet) {
      if (!config.repos.some((r) => r.id === repoId)) throw new BackstayError('UNKNOWN_REPO', `There is no repository "${repoId}".`);
    }
    if (request.kind === 'backup' && request.planId) {
      const existing = this.liveOperationFor(request.planId, 'backup');
      if (existing) return existing;
    }
    if (request.kind === 'index') {
      // One waiting index operation per repository covers every snapshot made until it starts.
      const waiting = this.queues.get(request.repoId)?.find((id) => this.lowPriority.has(id));
      const existing = waiting === undefined ? null : this.deps.store.get(waiting);
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
    // In the queue of every repository it needs, in one synchronous step: every queue then orders any two
    // operations the same way (by enqueue time), so the oldest waiting operation is first in all of its queues and
    // two copies in opposite directions can never wait on each other.
    this.locks.set(op.id, lockSet);
    if (request.kind === 'index') this.lowPriority.add(op.id);
    for (const repoId of lockSet) {
      const queue = this.queues.get(repoId) ?? [];
      // Indexing is low priority: other work goes before waiting index operations (each of those is in this one
      // queue only, so the order the comment above keeps between operations in several queues is not changed).
      const firstLow = this.lowPriority.has(op.id) ? -1 : queue.findIndex((id) => this.lowPriority.has(id));
      queue.splice(firstLow === -1 ? queue.length : firstLow, 0, op.id);
      this.queues.set(repoId, queue);
    }
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
  cancel(opId: number, reason: CancelReason = 'user'): boolean {
    for (const queue of this.queues.values()) {
      if (queue.includes(opId)) {
        this.dequeue(opId);
        this.complete(opId, {
          status: 'cancelled',
          error: cancelledError(reason),
        });
        return true;
      }
    }
    const active = this.active.get(opId);
    if (!active || active.terminal) return false;
    // A second request changes nothing: the first one's time and the escalation already under way stand.
    if (active.cancelReason !== null) return true;
    active.cancelReason = reason;
    active.cancelRequestedAt = new Date(this.clock.now()).toISOString();
    this.markCancelling(active, reason);
    active.abort.abort();
    active.process?.cancel(reason);
    return true;
  }

  /** From the cancel request until the end, the operation is `cancelling`, in the oplog and in state. */
  private markCancelling(active: ActiveOperation, reason: CancelReason): void {
    const current = this.runningEntry(active.opId);
    this.deps.state.patchRunning(active.opId, {
      status: 'cancelling',
      cancel: { requestedAt: active.cancelRequestedAt!, stage: 'interrupt' },
      waitingSince: null,
      ...(current?.progress ? { progress: withoutRateOrEta(current.progress) } : {}),
    });
    this.write(active.opId, { status: 'cancelling' }, true);
    this.logs.append(active.opId, 'backstay', `cancel requested (${reason}): asking restic to stop`);
  }

  private runningEntry(opId: number): RunningOp | undefined {
    return this.deps.state.current.running.find((r) => r.opId === opId);
  }

  private isCancelling(opId: number): boolean {
    const active = this.active.get(opId);
    return active !== undefined && active.cancelReason !== null;
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
    // Until nothing is left: a backup cancelled here may start its unlock (a new operation) on the way out.
    while (this.active.size > 0) {
      const running = [...this.active.values()];
      for (const active of running) {
        if (active.systemUnlock) active.systemUnlock.shorten(SHUTDOWN_UNLOCK_WAIT_MS);
        else this.cancel(active.opId, 'shutdown');
      }
      await Promise.all(running.map((a) => a.finished));
    }
    this.logs.flushAll();
    this.deps.progress.flush();
  }

  private isLiveHere(opId: number): boolean {
    const active = this.active.get(opId);
    if (active && !active.terminal) return true;
    for (const queue of this.queues.values()) if (queue.includes(opId)) return true;
    return false;
  }

  /** Takes a queued operation out of every queue it is in. */
  private dequeue(opId: number): void {
    for (const [repoId, queue] of [...this.queues]) {
      const index = queue.indexOf(opId);
      if (index === -1) continue;
      queue.splice(index, 1);
      if (queue.length === 0) this.queues.delete(repoId);
    }
    this.locks.delete(opId);
    this.lowPriority.delete(opId);
  }

  /** Whether anything but indexing waits for the repository (indexing then stops after its current snapshot). */
  private othersWaiting(repoId: string): boolean {
    return (this.queues.get(repoId) ?? []).some((id) => !this.lowPriority.has(id));
  }

  private pump(): void {
    if (this.shuttingDown) return;
    const limit = Math.max(1, Number(this.deps.config().settings.maxParallelOperations ?? 2));
    for (const [repoId, queue] of [...this.queues]) {
      if (this.active.size >= limit) return;
      const opId = queue[0];
      if (opId === undefined || this.busyRepos.has(repoId)) continue;
      const lockSet = this.locks.get(opId) ?? [repoId];
      // Both repositories or neither: it starts only when it is first in line at each one and none is busy.
      if (!lockSet.every((r) => !this.busyRepos.has(r) && this.queues.get(r)?.[0] === opId)) continue;
      this.dequeue(opId);
      for (const r of lockSet) this.busyRepos.add(r);
      const active = newActive(opId, repoId);
      this.active.set(opId, active);
      active.finished = this.run(active).finally(() => {
        this.active.delete(opId);
        for (const r of lockSet) this.busyRepos.delete(r);
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
    let prepared: PreparedCommand | null = null;
    const cleanup = async () => {
      const done = prepared;
      prepared = null;
      try {
        await done?.cleanup?.();
      } catch (err) {
        this.deps.logger.warn('could not remove a temporary file of an operation', { opId: op.id, error: String(err) });
      }
    };
    try {
      const config = this.deps.config();
      const configured = config.repos.find((r) => r.id === op.repoId);
      if (!configured) throw new BackstayError('UNKNOWN_REPO', `There is no repository "${op.repoId}" any more.`);
      // Flags decided at the start of each run (bandwidth limits of the hour): restic cannot change them later.
      const repo = { ...configured, flags: [...configured.flags, ...(this.deps.runFlags?.(configured) ?? [])] };
      const plan = op.planId ? config.plans.find((p) => p.id === op.planId) ?? null : null;
      if (op.planId && !plan) throw new BackstayError('UNKNOWN_PLAN', `There is no plan "${op.planId}" any more.`);
      const { binary, version } = await this.deps.restic();
      const ctx: TaskContext = { kind: op.kind, repo, plan, params: op.params, version, features: resticFeatures(version) };
      const task = TASKS[op.kind];
      await task.precheck?.(ctx);
      const keychainPassword = await keychainPasswordFor(this.deps.keychain, repo);
      const { env, secrets } = buildResticEnv(repo, { baseEnv: this.deps.baseEnv ?? process.env, keychainPassword });
      const fromRepoId = task.fromRepoId?.(op.params) ?? null;
      if (fromRepoId) {
        // A copy's source: its location, password and backend variables reach restic as RESTIC_FROM_* (never argv).
        const from = config.repos.find((r) => r.id === fromRepoId);
        if (!from) throw new BackstayError('UNKNOWN_REPO', `There is no repository "${fromRepoId}" any more.`);
        const fromKeychain = await keychainPasswordFor(this.deps.keychain, from);
        const extra = buildFromRepoEnv(from, repo, { baseEnv: this.deps.baseEnv ?? process.env, keychainPassword: fromKeychain });
        Object.assign(env, extra.env);
        secrets.push(...extra.secrets);
      }
      Object.assign(env, task.extraEnv ?? {});
      if (active.cancelReason) return this.complete(op.id, { status: 'cancelled', error: cancelledError(active.cancelReason) });
      if (task.runHere) {
        // Work of many restic commands (the history index) runs here; cancel reaches it through the abort signal.
        const result = await task.runHere(ctx, {
          target: { binary, env, secrets, version },
          signal: active.abort.signal,
          progress: (progress) => {
            this.deps.state.patchRunning(op.id, { progress });
            this.write(op.id, { progress }, false);
          },
          log: (text) => this.logs.append(op.id, 'backstay', redactSecrets(text, secrets)),
          othersWaiting: () => this.othersWaiting(op.repoId),
          history: this.deps.history ?? null,
        });
        if (active.cancelReason && result.status === 'error') return this.complete(op.id, { status: 'cancelled', error: cancelledError(active.cancelReason) });
        return this.complete(op.id, result);
      }
      prepared = task.prepare
        ? await task.prepare(ctx, { target: { binary, env, secrets, version }, signal: active.abort.signal })
        : { args: task.args(ctx) };
      const args = prepared.args;
      if (active.cancelReason) return this.complete(op.id, { status: 'cancelled', error: cancelledError(active.cancelReason) });

      if (task.exclusiveLock) {
        const unlock = await restic(unlockArgs({ flags: repo.flags }), { binary, env, secrets, version }, `unlock before ${op.kind}`, {
          kind: 'unlock',
          timeoutMs: UNLOCK_TIMEOUT_MS,
          signal: active.abort.signal,
        }).catch(resultOfFailure);
        this.logs.append(op.id, 'backstay', `removed stale locks before ${op.kind}: exit ${unlock.exitCode ?? (unlock.timedOut ? 'timeout' : 'stopped')}`);
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
        // Commands that print nothing for long stretches are not "waiting" when they are silent.
        waitingAfterMs: watch ? undefined : null,
        cancelGraceMs: settings.cancelGraceSeconds * 1000,
        clock: this.clock,
        onEvent: (event) => this.onProcessEvent(op.id, event, secrets, task.collect ? (m) => task.collect!(m, collected) : null),
      });
      active.process = resticProcess;
      this.logs.append(op.id, 'backstay', `restic ${describeArgs(args, secrets)}`);
      resticProcess.start();
      const outcome = await resticProcess.done;
      let result = this.resultOf(outcome, task, ctx, collected, secrets, active, binary, args);
      // A task that works on what restic produced (the restore test's comparison) does so before cleanup removes it.
      const finish = prepared?.finish;
      if (finish && !active.cancelReason && outcome.spawnError === null) result = await finish(result, collected, active.abort.signal);
      await cleanup();
      const finished = this.complete(op.id, result, outcome.itemErrors);
      if (outcome.cancelReason && (outcome.signal === 'SIGKILL' || outcome.signal === 'SIGTERM' || outcome.abandoned)) {
        // restic < 0.17 dies on SIGTERM and leaves its lock; a killed restic always does. Remove it while we know,
        // as an operation of its own (visible, and bounded in time).
        await this.unlockAfterCancel(finished, binary, version, env, secrets, repo.flags);
      }
      return finished;
    } catch (err) {
      if (active.terminal) return this.deps.store.get(op.id) ?? synthesize(op.id, { status: 'error' });
      const error =
        err instanceof BackstayError
          ? { code: err.code, message: err.message, detail: err.detail }
          : internalError(`Backstay could not run this operation: ${(err as Error).message}`);
      if (active.cancelReason) return this.complete(op.id, { status: 'cancelled', error: cancelledError(active.cancelReason) });
      return this.complete(op.id, { status: 'error', error });
    } finally {
      await cleanup();
    }
  }

  private resultOf(
    outcome: ProcessOutcome,
    task: TaskSpec,
    ctx: TaskContext,
    collected: Record<string, unknown>,
    secrets: string[],
    active: ActiveOperation,
    binary: string,
    args: readonly string[],
  ): TaskResult {
    if (outcome.spawnError !== null) {
      return {
        status: 'error',
        error: classifySpawnFailure(
          { code: outcome.spawnErrorCode, message: outcome.spawnError },
          { binary, argCount: args.length, argBytes: args.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0), secrets },
        ),
      };
    }
    const cancelReason = outcome.cancelReason ?? active.cancelReason;
    if (task.decide) return task.decide({ outcome, cancelReason, secrets }, ctx);
    const base = this.interpret(outcome, task.kind, ctx.version, secrets, cancelReason);
    return task.refine ? task.refine(outcome, base, collected, ctx) : base;
  }

  private interpret(
    outcome: ProcessOutcome,
    kind: OpKind,
    version: ResticVersion,
    secrets: string[],
    cancelReason: CancelReason | null,
  ): TaskResult {
    const classified = classifyResticExit({
      exitCode: outcome.exitCode,
      signal: outcome.signal,
      stderrTail: outcome.stderrTail.map((line) => redactSecrets(line, secrets)),
      exitError: outcome.exitError,
      version,
      kind,
      cancelRequested: cancelReason !== null,
      secrets,
    });
    if (cancelReason !== null && classified.status !== 'success' && classified.status !== 'warning') {
      // A cancelled command that restic still finished counts as finished; anything else is `cancelled`.
      return { status: 'cancelled', error: cancelledError(cancelReason, outcome.abandoned) };
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
      case 'progress': {
        // While cancelling, restic's numbers may still tick, but a rate or an ETA would promise a finish.
        const progress = this.isCancelling(opId) ? withoutRateOrEta(event.progress) : event.progress;
        this.deps.state.patchRunning(opId, { progress });
        this.write(opId, { progress }, false);
        return;
      }
      case 'message':
        collect?.(event.message);
        return;
      case 'log':
        this.logs.append(opId, event.stream, redactSecrets(event.text, secrets));
        return;
      case 'waiting': {
        const current = this.runningEntry(opId);
        if (this.isCancelling(opId) || current?.status === 'stalled') return;
        // One snapshot that says both: waiting, and no rate or ETA (the progress event that follows agrees).
        const progress = event.since !== null && current?.progress ? { progress: withoutRateOrEta(current.progress) } : {};
        this.deps.state.patchRunning(opId, { waitingSince: event.since, ...progress });
        return;
      }
      case 'stalled': {
        if (this.isCancelling(opId)) {
          // Being cancelled: it stays `cancelling` (and Cancel is not offered again), whatever restic does.
          this.logs.append(opId, 'backstay', `no progress since ${event.evidence.since} while cancelling`);
          return;
        }
        const patch = { status: 'stalled' as const, stalledSince: event.evidence.since, stall: event.evidence };
        this.deps.state.patchRunning(opId, { ...patch, waitingSince: null });
        this.write(opId, patch, true);
        this.logs.append(opId, 'backstay', `stalled: no progress since ${event.evidence.since} at ${event.evidence.bytesDone} bytes`);
        this.notifyStatus(opId, 'stall');
        return;
      }
      case 'resumed': {
        if (this.isCancelling(opId)) {
          this.logs.append(opId, 'backstay', `restic moved again after ${Math.round(event.stalledForMs / 1000)} s while cancelling`);
          return;
        }
        const patch = { status: 'running' as const, stalledSince: null };
        this.deps.state.patchRunning(opId, { ...patch, waitingSince: null });
        this.write(opId, patch, true);
        this.logs.append(opId, 'backstay', `resumed after ${Math.round(event.stalledForMs / 1000)} s`);
        this.notifyStatus(opId, 'resume');
        return;
      }
      case 'cancelling': {
        const stage = STAGE_OF_SIGNAL[event.signal] ?? 'interrupt';
        const requestedAt = this.active.get(opId)?.cancelRequestedAt ?? new Date(this.clock.now()).toISOString();
        this.deps.state.patchRunning(opId, { status: 'cancelling', cancel: { requestedAt, stage } });
        this.logs.append(opId, 'backstay', `cancel: sending ${event.signal} to restic`);
        return;
      }
    }
  }

  /** Hands a patch to the rate-bounded writer; status changes are flushed at once (it never throws). */
  private write(opId: number, patch: OperationPatch, flush: boolean): void {
    this.deps.progress.report(opId, patch);
    if (flush) this.deps.progress.flush(opId);
  }

  private complete(opId: number, result: TaskResult, itemErrors: Operation['itemErrors'] = []): Operation {
    const active = this.active.get(opId);
    if (active) active.terminal = true;
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

  /**
   * `restic unlock` after a cancel that had to force restic, as its own operation (kind `unlock`, trigger `system`):
   * it shows in state and in the log while it runs, and it is stopped after UNLOCK_AFTER_CANCEL_TIMEOUT_MS, since
   * the backend that made the cancel necessary may still be frozen. Never throws.
   */
  private async unlockAfterCancel(
    after: Operation,
    binary: string,
    version: ResticVersion,
    env: Record<string, string>,
    secrets: string[],
    flags: readonly string[],
  ): Promise<void> {
    let op: Operation;
    try {
      op = this.deps.store.insert({
        kind: 'unlock',
        trigger: 'system',
        planId: after.planId,
        repoId: after.repoId,
        status: 'running',
        params: { afterCancelOf: after.id },
        ownerPid: this.deps.owner.pid,
        ownerStartedAt: this.deps.owner.startedAt,
      });
    } catch (err) {
      this.deps.logger.warn('could not record the unlock after a cancel; the next exclusive operation removes stale locks', {
        opId: after.id,
        error: String(err),
      });
      return;
    }
    this.deps.state.upsertRunning(toRunningOp(op));
    this.logs.append(after.id, 'backstay', `restic was stopped by force; removing the lock it left (operation ${op.id})`);
    const active = newActive(op.id, op.repoId);
    let resolveFinished!: () => void;
    active.finished = new Promise<void>((resolve) => (resolveFinished = resolve));
    const boundMs = this.shuttingDown ? SHUTDOWN_UNLOCK_WAIT_MS : UNLOCK_AFTER_CANCEL_TIMEOUT_MS;
    const stop = () => this.cancel(op.id, this.shuttingDown ? 'shutdown' : 'timeout');
    let bound: LongTimeout = setLongTimeout(stop, boundMs, this.clock);
    active.systemUnlock = {
      shorten: (ms) => {
        if (bound.deadline - this.clock.now() <= ms) return;
        bound.cancel();
        bound = setLongTimeout(stop, ms, this.clock);
      },
    };
    this.active.set(op.id, active);
    try {
      const args = unlockArgs({ flags });
      const proc = new ResticProcess({
        binary,
        args,
        env,
        kind: 'unlock',
        stallAfterMs: Number.MAX_SAFE_INTEGER / 4,
        waitingAfterMs: null,
        cancelGraceMs: UNLOCK_CANCEL_GRACE_MS,
        termGraceMs: 1000,
        killWaitMs: 2000,
        clock: this.clock,
        onEvent: (event) => this.onProcessEvent(op.id, event, secrets, null),
      });
      active.process = proc;
      this.logs.append(op.id, 'backstay', `restic ${describeArgs(args, secrets)} (after operation ${after.id} was cancelled)`);
      proc.start();
      const outcome = await proc.done;
      bound.cancel();
      let result: TaskResult;
      if (outcome.spawnError !== null) {
        result = {
          status: 'error',
          error: classifySpawnFailure({ code: outcome.spawnErrorCode, message: outcome.spawnError }, { binary, secrets }),
        };
      } else if (active.cancelReason === 'timeout') {
        result = {
          status: 'error',
          error: {
            code: 'RESTIC_KILLED',
            message: `restic unlock did not finish within ${Math.round(boundMs / 1000)} s (is the repository's backend answering?) and was stopped. The lock stays until the next unlock; exclusive operations remove stale locks first.`,
            detail: outcome.stderrTail.length ? redactSecrets(outcome.stderrTail.slice(-3).join('\n'), secrets).slice(0, 1000) : null,
          },
        };
      } else {
        result = this.interpret(outcome, 'unlock', version, secrets, active.cancelReason);
      }
      this.complete(op.id, result);
    } catch (err) {
      if (!active.terminal) this.complete(op.id, { status: 'error', error: internalError(`Backstay could not run restic unlock: ${String(err)}`) });
    } finally {
      bound.cancel();
      this.active.delete(op.id);
      resolveFinished();
    }
  }
}

/**
 * The repositories an operation needs, sorted: its own, and for a copy the one it reads from. An operation holds
 * them all while it runs (restic copy locks both).
 */
function lockSetOf(request: Pick<EnqueueRequest, 'kind' | 'repoId' | 'params'>): string[] {
  const from = TASKS[request.kind].fromRepoId?.(request.params ?? null) ?? null;
  return [...new Set([request.repoId, ...(from ? [from] : [])])].sort();
}

function newActive(opId: number, repoId: string): ActiveOperation {
  return {
    opId,
    repoId,
    process: null,
    cancelReason: null,
    cancelRequestedAt: null,
    abort: new AbortController(),
    terminal: false,
    finished: Promise.resolve(),
  };
}

/** Progress without the numbers that promise a finish (bytes per second, ETA). */
function withoutRateOrEta(progress: Progress): Progress {
  const { bytesPerSecond: _rate, etaSeconds: _eta, ...rest } = progress;
  return rest;
}

/** The command line for the operation's log: secrets redacted, and a long one shortened (100,000 excludes). */
function describeArgs(args: readonly string[], secrets: string[]): string {
  const text = redactSecrets(args.join(' '), secrets);
  return text.length > 2000 ? `${text.slice(0, 2000)}… (${args.length} arguments)` : text;
}

function internalError(message: string): OpError {
  return { code: 'INTERNAL', message };
}

function synthesize(opId: number, patch: OperationPatch): Operation {
  return { id: opId, ...patch } as unknown as Operation;
}

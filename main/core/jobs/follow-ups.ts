// What follows an operation's start, stall and end, outside the job itself: the backup hooks, the schedule's record
// of a manual run, the repository's health, the snapshot cache, retention (forget after a saved backup), recovery.
import { summaryOf, type Operation } from '../../common/index.js';
import type { Logger } from '../engine-api.js';
import type { BackstayConfig } from '../config/schema.js';
import type { OpStore } from '../oplog/store.js';
import type { AppStateStore } from '../state/app-state.js';
import { repoHealthAfter } from '../state/repo-health.js';
import { describeHookResult, runHooks, type HookEvent } from '../hooks/hooks.js';
import type { EnqueueRequest } from './orchestrator.js';
import type { RecoveryPolicy } from './recovery.js';
import type { Scheduler } from '../schedule/scheduler.js';

export interface FollowUpDeps {
  config(): BackstayConfig;
  /** Where hook results are logged, beside the operation's own lines. */
  store: Pick<OpStore, 'appendLog'>;
  stateStore: Pick<AppStateStore, 'patchRepo'>;
  snapshots: { invalidate(repoId: string): void };
  /** The history indexes (absent: none kept in this process). */
  history?: { exists(repoId: string): boolean };
  enqueue(request: EnqueueRequest): unknown;
  /** Present when schedules run in this process; read at each event (built after the orchestrator). */
  scheduler(): Pick<Scheduler, 'recordRun'> | null;
  recovery(): Pick<RecoveryPolicy, 'onStatus' | 'onFinished'> | null;
  /** After every end: the plans' states may have changed (the "no success" warnings look again). */
  afterFinished(): void;
  logger: Logger;
}

export interface OperationFollowUps {
  onStatus(op: Operation, event: 'start' | 'stall' | 'resume'): void;
  onFinished(op: Operation): void;
}

export function createOperationFollowUps(deps: FollowUpDeps): OperationFollowUps {
  const { logger } = deps;

  function fireHooks(event: HookEvent, op: Operation): void {
    // Hooks follow backups (healthchecks-style start/success/fail URLs): a forget or check must not ping them.
    if (op.kind !== 'backup') return;
    const config = deps.config();
    const plan = op.planId ? config.plans.find((p) => p.id === op.planId) : null;
    const hooks = [...(config.settings.hooks ?? []), ...(plan?.hooks ?? [])];
    if (hooks.length === 0) return;
    // Never awaited: a hook that hangs is killed at its timeout and cannot block the operation.
    void runHooks(event, op, hooks, { timeoutMs: Number(config.settings.hookTimeoutSeconds ?? 30) * 1000, logger }).then(
      (results) => {
        for (const r of results) {
          try {
            deps.store.appendLog(op.id, 'backstay', describeHookResult(r));
          } catch {
            /* the oplog may be failing; the hook result is in the app log */
          }
          logger.info('hook ran', { event, opId: op.id, result: r });
        }
      },
      (err) => logger.error('hooks failed', { error: String(err) }),
    );
  }

  /** Retention: after a saved backup, forget by the plan's keep rules, as its own operation. */
  function forgetAfterBackup(op: Operation): void {
    if (op.kind !== 'backup' || (op.status !== 'success' && op.status !== 'warning') || !op.planId) return;
    const plan = deps.config().plans.find((p) => p.id === op.planId);
    if (!plan?.retention) return;
    try {
      deps.enqueue({ kind: 'forget', repoId: op.repoId, planId: op.planId, trigger: 'system' });
    } catch (err) {
      logger.warn('could not queue forget', { error: String(err) });
    }
  }

  /**
   * Mirrors (issue 15): after a saved backup, a copy to each mirror without a schedule of its own; after a successful
   * copy, the mirror's retention (forget on the mirror, by the plan's tag, with the mirror's rules). Queued before
   * the plan's own forget, so that a snapshot is copied before retention can remove it.
   */
  function mirrorFollowUps(op: Operation): void {
    if ((op.status !== 'success' && op.status !== 'warning') || !op.planId) return;
    const plan = deps.config().plans.find((p) => p.id === op.planId);
    if (!plan) return;
    const requests: EnqueueRequest[] = [];
    if (op.kind === 'backup') {
      for (const mirror of plan.mirrors ?? []) {
        if (mirror.schedule !== null) continue;
        requests.push({ kind: 'copy', repoId: mirror.repo, planId: plan.id, trigger: 'system', params: { sourceRepoId: op.repoId } });
      }
    } else if (op.kind === 'copy' && plan.mirrors?.find((m) => m.repo === op.repoId)?.retention) {
      requests.push({ kind: 'forget', repoId: op.repoId, planId: plan.id, trigger: 'system' });
    }
    for (const request of requests) {
      try {
        deps.enqueue(request);
      } catch (err) {
        logger.warn(`could not queue ${request.kind} for mirror`, { repoId: request.repoId, error: String(err) });
      }
    }
  }

  /**
   * The history index follows the snapshot list: after a saved backup or copy, a forget or prune, and after an index
   * run that made way for other work. Only for repositories whose history was asked for once (the window, the CLI):
   * indexing every snapshot of every repository nobody searches would only cost their backends.
   */
  function indexAfter(op: Operation): void {
    if (!deps.history?.exists(op.repoId)) return;
    const ok = op.status === 'success' || op.status === 'warning';
    const changesSnapshots = op.kind === 'backup' || op.kind === 'copy' || op.kind === 'forget' || op.kind === 'prune';
    const yielded = op.kind === 'index' && op.status === 'success' && summaryOf(op, 'index')?.yielded === true;
    if (!(ok && changesSnapshots) && !yielded) return;
    try {
      deps.enqueue({ kind: 'index', repoId: op.repoId, trigger: 'system' });
    } catch (err) {
      logger.warn('could not queue indexing', { error: String(err) });
    }
  }

  return {
    onStatus(op, event) {
      if (event === 'stall') fireHooks('stall', op);
      if (event === 'start') {
        fireHooks('start', op);
        if ((op.kind === 'backup' || op.kind === 'verify') && op.planId && op.trigger !== 'schedule') {
          deps.scheduler()?.recordRun({ kind: op.kind, planId: op.planId, repoId: op.repoId }, new Date());
        }
      }
      deps.recovery()?.onStatus(op, event);
    },
    onFinished(op) {
      if (op.kind === 'backup' || op.kind === 'forget' || op.kind === 'prune' || op.kind === 'copy') deps.snapshots.invalidate(op.repoId);
      const health = repoHealthAfter(op);
      if (health) deps.stateStore.patchRepo(op.repoId, health);
      const event = hookEventOfEnd(op);
      if (event) fireHooks(event, op);
      mirrorFollowUps(op);
      forgetAfterBackup(op);
      indexAfter(op);
      deps.recovery()?.onFinished(op);
      deps.afterFinished();
    },
  };
}

/** The hook event an operation's end fires; an interrupted one fires none (Backstay did not see it end). */
export function hookEventOfEnd(op: Pick<Operation, 'status'>): HookEvent | null {
  switch (op.status) {
    case 'success':
    case 'warning':
    case 'error':
      return op.status;
    case 'cancelled':
      return 'cancel';
    default:
      return null;
  }
}

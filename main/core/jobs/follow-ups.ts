// What follows an operation's start, stall and end, outside the job itself: the backup hooks, the schedule's record
// of a manual run, the repository's health, the snapshot cache, retention (forget after a saved backup), recovery.
import type { Operation } from '../../common/index.js';
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

  return {
    onStatus(op, event) {
      if (event === 'stall') fireHooks('stall', op);
      if (event === 'start') {
        fireHooks('start', op);
        if (op.kind === 'backup' && op.planId && op.trigger !== 'schedule') {
          deps.scheduler()?.recordRun({ kind: 'backup', planId: op.planId, repoId: op.repoId }, new Date());
        }
      }
      deps.recovery()?.onStatus(op, event);
    },
    onFinished(op) {
      if (op.kind === 'backup' || op.kind === 'forget' || op.kind === 'prune') deps.snapshots.invalidate(op.repoId);
      const health = repoHealthAfter(op);
      if (health) deps.stateStore.patchRepo(op.repoId, health);
      const event = hookEventOfEnd(op);
      if (event) fireHooks(event, op);
      forgetAfterBackup(op);
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

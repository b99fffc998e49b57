// The scheduler of a host that runs config.json's schedules, wired to the orchestrator (a due job is queued), the
// oplog (when each plan last ran; where the pause survives a restart) and the state (next runs, paused until).
import type { CheckParams } from '../../common/index.js';
import type { Logger } from '../engine-api.js';
import type { BackstayConfig } from '../config/schema.js';
import type { OpStore } from '../oplog/store.js';
import type { AppStateStore } from '../state/app-state.js';
import { Scheduler, type ScheduledJob } from '../schedule/scheduler.js';
import type { Orchestrator } from './orchestrator.js';

const PAUSE_META_KEY = 'schedule.pausedUntil';

export function createScheduledRuns(deps: {
  store: OpStore;
  orchestrator: Pick<Orchestrator, 'enqueue' | 'isBusy'>;
  stateStore: AppStateStore;
  config(): BackstayConfig;
  logger: Logger;
  /** Scheduled backups go here instead of straight to the queue: it runs or postpones them (conditions, issue 16). */
  gateBackup?(planId: string): void;
  /** Scheduled restore tests go here: queued, or skipped while the plan has no snapshot (verify-readiness.ts). */
  gateVerify?(job: { planId: string; repoId: string }): void;
}): Scheduler {
  const { store, orchestrator, stateStore, logger } = deps;
  const scheduler: Scheduler = new Scheduler({
    persistence: {
      load: () => store.getMeta(PAUSE_META_KEY),
      save: (value) => store.setMeta(PAUSE_META_KEY, value),
    },
    logger,
    fire: (job: ScheduledJob) => {
      if (job.kind === 'backup' && deps.gateBackup) {
        deps.gateBackup(job.planId);
        return;
      }
      if (job.kind === 'verify' && deps.gateVerify) {
        deps.gateVerify(job);
        return;
      }
      try {
        orchestrator.enqueue({
          kind: job.kind,
          repoId: job.repoId,
          planId: job.planId ?? null,
          trigger: 'schedule',
          params:
            job.kind === 'check' ? readDataSubsetParams(deps.config(), job.repoId) : job.kind === 'copy' ? { sourceRepoId: job.sourceRepoId } : null,
        });
      } catch (err) {
        logger.error('scheduled run could not be queued', { error: String(err) });
      }
    },
    isBusy: (job: ScheduledJob) =>
      job.kind === 'copy'
        ? stateStore.current.running.some((r) => r.kind === 'copy' && r.planId === job.planId && r.repoId === job.repoId)
        : job.planId ? orchestrator.isBusy(job.planId, job.kind) : stateStore.current.running.some((r) => r.repoId === job.repoId && r.kind === job.kind),
    lastRunAt: (job: ScheduledJob) => {
      if (job.kind !== 'backup' && job.kind !== 'verify') return undefined;
      // Read when asked: a plan added or edited later is judged against the oplog as it is now.
      const last = store.lastByPlan(job.kind).get(job.planId)?.startedAt;
      return last ? new Date(last) : null;
    },
    onChange: () => {
      stateStore.setNextRuns(new Map([...scheduler.nextRuns()].map(([k, v]) => [k, v?.toISOString() ?? null])));
      publishPause(scheduler, stateStore);
    },
  });
  return scheduler;
}

/** Starts the scheduler and shows its pause (restored from the oplog) at once. */
export function startScheduledRuns(scheduler: Scheduler, stateStore: AppStateStore): void {
  scheduler.start();
  publishPause(scheduler, stateStore);
}

function publishPause(scheduler: Scheduler, stateStore: AppStateStore): void {
  const paused = scheduler.pausedUntil();
  stateStore.setPausedUntil(paused === null ? null : paused === 'forever' ? 'forever' : paused.toISOString());
}

function readDataSubsetParams(config: BackstayConfig, repoId: string): CheckParams | null {
  const repo = config.repos.find((r) => r.id === repoId);
  const subset = repo?.maintenance?.checkReadDataSubset;
  return subset ? { readDataSubset: subset } : null;
}

// Whether a restore test has anything to test, asked before one is queued. A plan that has no snapshot yet is not
// broken, there is simply nothing to restore: `plans.verifyNow` is refused with NOTHING_TO_VERIFY (no operation),
// and a scheduled test is skipped without a trace in the oplog, to be tried at its next slot. The answer comes
// from the plan's snapshot list; a list that cannot be read (locked, unreachable, wrong password) says nothing,
// so the test is queued and reports that cause itself.
import type { Logger } from '../engine-api.js';
import type { BackstayConfig } from '../config/schema.js';
import type { SnapshotService } from '../snapshots/index.js';
import type { Orchestrator } from './orchestrator.js';

type SnapshotLists = Pick<SnapshotService, 'list' | 'invalidate'>;

/**
 * True when the plan has no snapshot in its repository, false when it has one, or one is being made (a backup of
 * the plan is queued or running: the test queues behind it on the same repository), null when the list cannot be read.
 */
export async function hasNothingToVerify(
  deps: { snapshots: SnapshotLists; orchestrator: Pick<Orchestrator, 'isBusy'> },
  plan: { id: string; repo: string },
): Promise<boolean | null> {
  if (deps.orchestrator.isBusy(plan.id, 'backup')) return false;
  try {
    if ((await deps.snapshots.list(plan.repo, plan.id)).length > 0) return false;
    // A cached "none" may predate a backup made outside Backstay (another machine, a script): look again.
    deps.snapshots.invalidate(plan.repo);
    return (await deps.snapshots.list(plan.repo, plan.id)).length === 0;
  } catch {
    return null;
  }
}

/** What a due scheduled restore test does: queued when there is something to test, else skipped until its next slot. */
export function createScheduledVerifyGate(deps: {
  snapshots: SnapshotLists;
  orchestrator: Pick<Orchestrator, 'enqueue' | 'isBusy'>;
  config(): BackstayConfig;
  logger: Logger;
}): (job: { planId: string; repoId: string }) => Promise<void> {
  return async ({ planId, repoId }) => {
    try {
      const plan = deps.config().plans.find((p) => p.id === planId && p.repo === repoId);
      if (!plan) return; // removed or moved while due; the scheduler follows the new config
      if (await hasNothingToVerify(deps, plan)) {
        deps.logger.info('schedule: restore test skipped, the plan has no snapshot yet', { planId });
        return;
      }
      // A test asked for by hand may have been queued while the list was read.
      if (deps.orchestrator.isBusy(planId, 'verify')) return;
      deps.orchestrator.enqueue({ kind: 'verify', repoId, planId, trigger: 'schedule' });
    } catch (err) {
      deps.logger.error('scheduled restore test could not be queued', { planId, error: String(err) });
    }
  };
}

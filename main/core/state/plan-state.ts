// A plan's state as the window shows it, derived from its config, the oplog's last backups and the scheduler.
import type { LastVerified, Operation, PlanState } from '../../common/index.js';
import type { PlanConfig } from '../config/schema.js';
import { toLastOp } from './app-state.js';

export interface PlanHistory {
  /** The last backup of each plan, any status. */
  last: ReadonlyMap<string, Operation>;
  /** The last backup of each plan that saved a snapshot (success or warning). */
  lastSuccess: ReadonlyMap<string, Operation>;
  /** When each plan runs next; absent when no schedules run in this process. */
  nextRuns?: ReadonlyMap<string, Date | null>;
  /** Each plan's last restore test that counts (state/proof.ts); absent: not read here. */
  lastVerified?: ReadonlyMap<string, LastVerified | null>;
}

export function derivePlanStates(plans: readonly PlanConfig[], history: PlanHistory): PlanState[] {
  return plans.map((p) => {
    const lastOp = history.last.get(p.id);
    return {
      id: p.id,
      repoId: p.repo,
      paths: p.paths,
      excludes: p.excludes,
      schedule: p.schedule,
      retention: p.retention,
      lastOp: lastOp ? toLastOp(lastOp) : null,
      lastSuccessAt: history.lastSuccess.get(p.id)?.endedAt ?? null,
      nextRunAt: history.nextRuns?.get(p.id)?.toISOString() ?? null,
      ...(history.lastVerified ? { lastVerified: history.lastVerified.get(p.id) ?? null } : {}),
      ...(p.verify ? { verify: p.verify } : {}),
    };
  });
}

// What the Plans views ask of the host: save and delete a plan, back it up now, read its recent backups.
import type { RpcParams } from '../../../main/common/index.js';
import type { BackstayClient } from '../client/index.js';

export function createPlansActions(client: BackstayClient) {
  return {
    /** `create`: a new plan, so the host refuses an id already in use rather than replacing that plan. */
    save: (plan: RpcParams<'config.savePlan'>['plan'], create = false) => client.invoke('config.savePlan', create ? { plan, create } : { plan }),
    remove: (planId: string) => client.invoke('config.deletePlan', { planId }),
    backupNow: (planId: string) => client.invoke('plans.backup', { planId, trigger: 'manual' }),
    /** A restore test of the plan's latest snapshot (issue 15). */
    verifyNow: (planId: string) => client.invoke('plans.verifyNow', { planId, trigger: 'manual' }),
    /** Copies the plan's snapshots to every mirror of it now (issue 15). */
    copyNow: (planId: string) => client.invoke('plans.copyNow', { planId }),
    /** The plan's newest backups, newest first (for its charts). */
    recentBackups: (planId: string, limit: number) => client.invoke('ops.list', { planId, kind: 'backup', limit }),
  };
}

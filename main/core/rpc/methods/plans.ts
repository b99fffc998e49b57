// `plans.*`: run a plan's backup, copies to its mirrors, or a restore test now.
import { BackstayError } from '../../../common/errors.js';
import type { EngineInternals } from '../../engine-internals.js';
import { hasNothingToVerify } from '../../jobs/verify-readiness.js';
import { nothingToVerify } from '../../jobs/verify-task.js';
import { method, type AreaMethods } from '../method-table.js';
import * as s from '../schemas.js';

export function planMethods(engine: EngineInternals): AreaMethods<'plans'> {
  return {
    'plans.backup': method({
      params: s.planRef,
      handler: ({ planId, trigger }) => {
        const plan = engine.config().plans.find((p) => p.id === planId);
        if (!plan) {
          const known = engine.config().plans.map((p) => p.id).join(', ') || 'none';
          throw new BackstayError('UNKNOWN_PLAN', `There is no plan "${planId}" (known: ${known}).`);
        }
        const op = engine.orchestrator.enqueue({ kind: 'backup', repoId: plan.repo, planId, trigger: trigger ?? 'manual' });
        return { opId: op.id };
      },
    }),
    'plans.copyNow': method({
      params: s.copyNow,
      handler: ({ planId, repo }) => {
        const plan = engine.config().plans.find((p) => p.id === planId);
        if (!plan) throw new BackstayError('UNKNOWN_PLAN', `There is no plan "${planId}".`);
        const mirrors = plan.mirrors ?? [];
        if (mirrors.length === 0) throw new BackstayError('BAD_PARAMS', `Plan "${planId}" has no mirrors.`);
        if (repo !== undefined && !mirrors.some((m) => m.repo === repo)) {
          throw new BackstayError('MIRROR_INVALID', `Repository "${repo}" is not a mirror of plan "${planId}" (its mirrors: ${mirrors.map((m) => m.repo).join(', ')}).`);
        }
        const targets = repo !== undefined ? [repo] : mirrors.map((m) => m.repo);
        const opIds = targets.map(
          (mirror) => engine.orchestrator.enqueue({ kind: 'copy', repoId: mirror, planId, trigger: 'manual', params: { sourceRepoId: plan.repo } }).id,
        );
        return { opId: opIds[0]!, opIds };
      },
    }),
    'plans.verifyNow': method({
      params: s.planRef,
      handler: async ({ planId, trigger }) => {
        const plan = engine.config().plans.find((p) => p.id === planId);
        if (!plan) throw new BackstayError('UNKNOWN_PLAN', `There is no plan "${planId}".`);
        const live = engine.orchestrator.liveOperationFor(planId, 'verify');
        if (live) return { opId: live.id };
        // Nothing to test is not a failed test: refused, and no operation is created (verify-readiness.ts).
        if (await hasNothingToVerify(engine, plan)) throw nothingToVerify(planId);
        const queuedMeanwhile = engine.orchestrator.liveOperationFor(planId, 'verify');
        if (queuedMeanwhile) return { opId: queuedMeanwhile.id };
        const op = engine.orchestrator.enqueue({ kind: 'verify', repoId: plan.repo, planId, trigger: trigger ?? 'manual' });
        return { opId: op.id };
      },
    }),
  };
}

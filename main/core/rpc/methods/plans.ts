// `plans.*`: run a plan's backup now.
import { BackstayError } from '../../../common/errors.js';
import type { EngineInternals } from '../../engine-internals.js';
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
  };
}

// The "no successful backup in N days" warnings (settings.noSuccessWarnDays): which plans get one, and when to look
// again so that a plan crossing the limit with nothing else happening still gets its warning.
import { isLiveStatus, type AppWarning, type PlanState } from '../../common/index.js';
import type { AppStateStore } from './app-state.js';
import { setLongTimeout, type LongTimeout } from '../timers/long-timeout.js';

const PREFIX = 'no-success:';
const DAY_MS = 86_400_000;

export interface NoSuccessVerdict {
  /** Warnings of plans that are gone, or of every plan when the warnings are off: to clear. */
  cleared: string[];
  /** Each plan's warning id, with its warning or null (none, or no longer). */
  perPlan: Array<[id: string, warning: AppWarning | null]>;
  /** The earliest time (ms since epoch) a plan that is fine now crosses the limit; null when none will. */
  recheckAt: number | null;
}

/**
 * Pure: the warnings for `plans` at `now`. A plan never run has no warning; one that ran but never succeeded has one.
 * Warnings of plans removed (or of every plan, when `days` is 0 or unset) are cleared.
 */
export function noSuccessWarnings(input: {
  plans: readonly Pick<PlanState, 'id' | 'lastSuccessAt' | 'lastOp'>[];
  warnings: readonly Pick<AppWarning, 'id' | 'kind' | 'planId'>[];
  days: number;
  now: number;
}): NoSuccessVerdict {
  const { plans, days, now } = input;
  const cleared: string[] = [];
  const perPlan: NoSuccessVerdict['perPlan'] = [];
  const planIds = new Set(plans.map((p) => p.id));
  for (const warning of input.warnings) {
    if (warning.kind === 'no-success' && (!days || !planIds.has(warning.planId ?? ''))) cleared.push(warning.id);
  }
  if (!days) return { cleared, perPlan, recheckAt: null };
  let nextCrossing = Infinity;
  for (const plan of plans) {
    const id = `${PREFIX}${plan.id}`;
    const since = plan.lastSuccessAt ? Date.parse(plan.lastSuccessAt) : null;
    // Never succeeded counts once a run has ended: a first backup still running is not a failure yet.
    const stale = since === null ? plan.lastOp !== null && !isLiveStatus(plan.lastOp.status) : now - since > days * DAY_MS;
    if (since !== null && !stale) nextCrossing = Math.min(nextCrossing, since + days * DAY_MS);
    perPlan.push([
      id,
      stale
        ? {
            id,
            kind: 'no-success',
            level: 'warning',
            planId: plan.id,
            message: since
              ? `${plan.id} has not been backed up since ${new Date(since).toLocaleDateString()}.`
              : `${plan.id} has never been backed up successfully.`,
          }
        : null,
    ]);
  }
  return { cleared, perPlan, recheckAt: Number.isFinite(nextCrossing) ? nextCrossing : null };
}

/** Keeps the warnings in the state store current: refresh() after anything that changes plans or settings. */
export class NoSuccessWarnings {
  private recheck: LongTimeout | null = null;
  private disposed = false;

  constructor(
    private readonly stateStore: AppStateStore,
    private readonly days: () => number,
  ) {}

  refresh(): void {
    this.recheck?.cancel();
    this.recheck = null;
    const now = Date.now();
    const state = this.stateStore.current;
    const verdict = noSuccessWarnings({ plans: state.plans, warnings: state.warnings, days: this.days(), now });
    for (const id of verdict.cleared) this.stateStore.setWarning(id, null);
    // Once disposed (shutting down) only clearing happens: no new warnings, no new timer.
    if (this.disposed) return;
    for (const [id, warning] of verdict.perPlan) this.stateStore.setWarning(id, warning);
    // Days to years away: a long timer (a plain setTimeout above 24.8 days fires at once).
    if (verdict.recheckAt !== null) this.recheck = setLongTimeout(() => this.refresh(), verdict.recheckAt - now + 1000);
  }

  dispose(): void {
    this.disposed = true;
    this.recheck?.cancel();
    this.recheck = null;
  }
}

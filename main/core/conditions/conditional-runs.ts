// Scheduled backups of plans with conditions: the scheduler says a slot is due, this decides whether it runs now or
// is postponed (gate.ts), looks at postponed plans again every `recheckMs`, and queues each one once when its
// conditions hold. Probing is asynchronous (nmcli, a TCP connection) and never blocks the scheduler's tick.
// Manual runs ("Back up now", the tray) never come here: they always run.
import type { Logger } from '../engine-api.js';
import type { BackstayConfig, PlanConfig } from '../config/schema.js';
import { realClock, type SchedulerClock } from '../schedule/scheduler.js';
import type { ConditionsConfig } from './config-schema.js';
import { ConditionGate, probesNeeded, unmetCondition, type ConditionReadings, type Postponement } from './gate.js';
import type { ConditionProbes } from './probes.js';

export interface ConditionalRunsDeps {
  probes: ConditionProbes;
  config(): BackstayConfig;
  /** Queues the plan's scheduled backup. */
  run(plan: PlanConfig): void;
  /** When the plan's last backup (any trigger) started, from the oplog. */
  lastRunAt(planId: string): Date | null;
  /** Schedules are paused: a postponed run waits for the pause to end too. */
  paused(): boolean;
  publish(postponed: ReadonlyMap<string, Postponement>): void;
  logger: Logger;
  clock?: SchedulerClock;
  /** How often postponed plans are looked at again. Default 30 s. */
  recheckMs?: number;
}

export class ConditionalRuns {
  private readonly gate = new ConditionGate();
  private readonly clock: SchedulerClock;
  private readonly inFlight = new Set<string>();
  private timer: unknown = null;
  private rechecking: Promise<void> | null = null;

  constructor(private readonly deps: ConditionalRunsDeps) {
    this.clock = deps.clock ?? realClock;
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = this.clock.setInterval(() => void this.recheck(), this.deps.recheckMs ?? 30_000);
  }

  stop(): void {
    if (this.timer === null) return;
    this.clock.clearInterval(this.timer);
    this.timer = null;
  }

  /** A scheduled slot of this plan came due. Resolves once it was queued or postponed (tests await it). */
  async due(planId: string): Promise<void> {
    const plan = this.plan(planId);
    if (!plan) return;
    if (!plan.conditions) {
      this.gate.drop(planId);
      this.deps.run(plan);
      return;
    }
    if (this.inFlight.has(planId)) return;
    this.inFlight.add(planId);
    try {
      const unmet = await this.judge(plan, plan.conditions);
      const verdict = this.gate.due(planId, new Date(this.clock.now()), unmet);
      if (verdict === 'run') this.deps.run(plan);
      else this.deps.logger.info('schedule: conditions not met, postponed', { planId, reason: unmet });
    } catch (err) {
      this.deps.logger.error('schedule: conditions could not be checked', { planId, error: String(err) });
    } finally {
      this.inFlight.delete(planId);
      this.publish();
    }
  }

  /** One look at every postponed plan (the timer calls it; public for tests). Looks never overlap. */
  recheck(): Promise<void> {
    this.rechecking ??= this.recheckAll().finally(() => {
      this.rechecking = null;
    });
    return this.rechecking;
  }

  /** Shows the postponed runs in the state (again after the plans were rebuilt from a new config). Plans gone, or
   * without conditions any more, are settled at the next look. */
  publish(): void {
    try {
      this.deps.publish(this.gate.snapshot());
    } catch (err) {
      this.deps.logger.error('schedule: could not publish postponed runs', { error: String(err) });
    }
  }

  private async recheckAll(): Promise<void> {
    if (this.deps.paused()) return;
    for (const planId of this.gate.plans()) {
      const plan = this.plan(planId);
      // A plan removed, or whose schedule was turned off meanwhile, owes no scheduled run any more.
      if (!plan || plan.schedule === null) {
        this.gate.drop(planId);
        continue;
      }
      try {
        const unmet = plan.conditions ? await this.judge(plan, plan.conditions) : null;
        const verdict = this.gate.recheck(planId, new Date(this.clock.now()), unmet, this.deps.lastRunAt(planId));
        if (verdict === 'run') {
          this.deps.logger.info('schedule: conditions hold again, running the postponed backup', { planId });
          this.deps.run(plan);
        }
      } catch (err) {
        this.deps.logger.error('schedule: conditions could not be checked', { planId, error: String(err) });
      }
    }
    this.publish();
  }

  private plan(planId: string): PlanConfig | null {
    return this.deps.config().plans.find((p) => p.id === planId) ?? null;
  }

  private async judge(plan: PlanConfig, conditions: ConditionsConfig) {
    const need = probesNeeded(conditions);
    const uri = this.deps.config().repos.find((r) => r.id === plan.repo)?.uri ?? '';
    const { probes } = this.deps;
    // A probe that fails cannot tell: unknown, which postpones (gate.ts), never met.
    const unknown = () => null;
    const [power, metered, reachable, mounted] = await Promise.all([
      need.power ? probes.power().catch(() => ({ onBattery: null, percent: null })) : undefined,
      need.metered ? probes.metered().catch(unknown) : undefined,
      need.reachable ? probes.reachable(uri).catch(unknown) : undefined,
      need.mounted && conditions.requireMount ? probes.mounted(conditions.requireMount, uri).catch(unknown) : undefined,
    ]);
    const readings: ConditionReadings = { power, metered, reachable, mounted };
    return unmetCondition(conditions, readings);
  }
}

// Whether a plan's scheduled run may start now, and the postponements it leaves. Pure: readings and times come in,
// decisions go out (conditional-runs.ts does the probing, the clock and the queueing).
// - A condition that does not hold postpones the run: it is not failed, and it runs once as soon as every condition
//   holds (however many slots came due meanwhile).
// - A condition whose probe cannot tell ("unknown": no NetworkManager, no battery information, a host Backstay cannot
//   locate) also postpones, with a reason that says "unknown": never silently treated as met. Someone who asked not
//   to back up over a metered hotspot is better served by a plan that says "postponed: network unknown" (and, after
//   the plan's "no backup in N days", a notification) than by a backup over the hotspot. README, "Conditions".
// - A backup of the plan that started after the postponement (Back up now) settles it: nothing runs again for it.
import type { PostponeReason } from '../../common/state.js';
import type { ConditionsConfig } from './config-schema.js';
import type { PowerReading } from './probes.js';

export interface ConditionReadings {
  power?: PowerReading;
  metered?: boolean | null;
  reachable?: boolean | null;
  mounted?: boolean | null;
}

/** Which probes a plan's conditions need: only those are asked (no TCP connection for a plan that does not care). */
export function probesNeeded(c: ConditionsConfig): { power: boolean; metered: boolean; reachable: boolean; mounted: boolean } {
  return {
    power: c.onBattery === 'skip' || c.minBatteryPercent !== undefined,
    metered: c.onMetered === 'skip',
    reachable: c.requireReachable,
    mounted: c.requireMount !== undefined,
  };
}

/** The first condition that does not hold (or cannot be told), in a fixed order; null when every one holds. */
export function unmetCondition(c: ConditionsConfig, r: ConditionReadings): PostponeReason | null {
  const need = probesNeeded(c);
  if (need.mounted) {
    if (r.mounted == null) return 'drive-unknown';
    if (!r.mounted) return 'drive-missing';
  }
  if (need.reachable) {
    if (r.reachable == null) return 'reachable-unknown';
    if (!r.reachable) return 'unreachable';
  }
  if (need.power) {
    const onBattery = r.power?.onBattery ?? null;
    if (onBattery === null) return 'battery-unknown';
    if (onBattery && c.onBattery === 'skip') return 'on-battery';
    if (onBattery && c.minBatteryPercent !== undefined) {
      const percent = r.power?.percent ?? null;
      if (percent === null) return 'battery-unknown';
      if (percent < c.minBatteryPercent) return 'battery-low';
    }
  }
  if (need.metered) {
    if (r.metered == null) return 'metered-unknown';
    if (r.metered) return 'metered';
  }
  return null;
}

export interface Postponement {
  reason: PostponeReason;
  /** ISO time the first postponed slot came due. */
  since: string;
}

/** The postponed plans. One entry per plan however many slots come due while it waits. */
export class ConditionGate {
  private readonly postponed = new Map<string, Postponement>();

  /** A scheduled slot came due with this verdict: "run" now, or it is (still) postponed. */
  due(planId: string, now: Date, unmet: PostponeReason | null): 'run' | 'postponed' {
    if (unmet === null) {
      this.postponed.delete(planId);
      return 'run';
    }
    this.hold(planId, now, unmet);
    return 'postponed';
  }

  /**
   * A later look at a postponed plan: "run" once when every condition holds, "settled" when a backup started since
   * the postponement (nothing more to run), "wait" otherwise.
   */
  recheck(planId: string, now: Date, unmet: PostponeReason | null, lastRunAt: Date | null): 'run' | 'settled' | 'wait' {
    const entry = this.postponed.get(planId);
    if (!entry) return 'settled';
    if (lastRunAt && lastRunAt.getTime() >= Date.parse(entry.since)) {
      this.postponed.delete(planId);
      return 'settled';
    }
    if (unmet === null) {
      this.postponed.delete(planId);
      return 'run';
    }
    this.hold(planId, now, unmet);
    return 'wait';
  }

  drop(planId: string): boolean {
    return this.postponed.delete(planId);
  }

  get(planId: string): Postponement | null {
    return this.postponed.get(planId) ?? null;
  }

  plans(): string[] {
    return [...this.postponed.keys()];
  }

  snapshot(): Map<string, Postponement> {
    return new Map(this.postponed);
  }

  private hold(planId: string, now: Date, reason: PostponeReason): void {
    const since = this.postponed.get(planId)?.since ?? now.toISOString();
    this.postponed.set(planId, { reason, since });
  }
}

// The conditions of scheduled runs: the pure verdict (every condition, known and unknown), and the scheduler with a
// fake clock wired as the engine wires it: a due slot is postponed, stays one postponement however many slots pass,
// runs once as soon as the condition holds, and a manual backup meanwhile settles it.
import { describe, expect, it } from 'vitest';
import type { PostponeReason } from '../../main/common/index.js';
import { conditionsSchema } from '../../main/core/conditions/config-schema.js';
import { ConditionalRuns } from '../../main/core/conditions/conditional-runs.js';
import { unmetCondition, type ConditionReadings } from '../../main/core/conditions/gate.js';
import type { ConditionProbes, PowerReading } from '../../main/core/conditions/probes.js';
import { configSchema } from '../../main/core/config/schema.js';
import { silentLogger } from '../../main/core/logging.js';
import { Scheduler, type SchedulerClock } from '../../main/core/schedule/scheduler.js';
import { AppStateStore, emptyAppState } from '../../main/core/state/app-state.js';
import { deriveOverallStatus } from '../../main/core/state/overall-status.js';
import { derivePlanStates } from '../../main/core/state/plan-state.js';

const c = (input: Record<string, unknown>) => conditionsSchema.parse(input);
const onAc: PowerReading = { onBattery: false, percent: 90 };
const onBattery = (percent: number | null): PowerReading => ({ onBattery: true, percent });
const unknownPower: PowerReading = { onBattery: null, percent: null };

describe('unmetCondition', () => {
  it.each<[string, Record<string, unknown>, ConditionReadings, PostponeReason | null]>([
    ['no conditions asked', {}, {}, null],
    ['skip on battery, on AC', { onBattery: 'skip' }, { power: onAc }, null],
    ['skip on battery, on battery', { onBattery: 'skip' }, { power: onBattery(80) }, 'on-battery'],
    ['skip on battery, power unknown', { onBattery: 'skip' }, { power: unknownPower }, 'battery-unknown'],
    ['battery above the minimum', { minBatteryPercent: 30 }, { power: onBattery(31) }, null],
    ['battery at the minimum', { minBatteryPercent: 30 }, { power: onBattery(30) }, null],
    ['battery below the minimum', { minBatteryPercent: 30 }, { power: onBattery(29) }, 'battery-low'],
    ['minimum, on AC with a low battery', { minBatteryPercent: 30 }, { power: { onBattery: false, percent: 5 } }, null],
    ['minimum, on battery of unknown charge', { minBatteryPercent: 30 }, { power: onBattery(null) }, 'battery-unknown'],
    ['skip metered, not metered', { onMetered: 'skip' }, { metered: false }, null],
    ['skip metered, metered', { onMetered: 'skip' }, { metered: true }, 'metered'],
    ['skip metered, no NetworkManager', { onMetered: 'skip' }, { metered: null }, 'metered-unknown'],
    ['run on metered, metered', { onMetered: 'run' }, { metered: true }, null],
    ['reachable required, answers', { requireReachable: true }, { reachable: true }, null],
    ['reachable required, offline', { requireReachable: true }, { reachable: false }, 'unreachable'],
    ['reachable required, cannot tell', { requireReachable: true }, { reachable: null }, 'reachable-unknown'],
    ['drive required, connected', { requireMount: '/media/usb' }, { mounted: true }, null],
    ['drive required, missing', { requireMount: '/media/usb' }, { mounted: false }, 'drive-missing'],
    ['drive required, cannot tell', { requireMount: '/media/usb' }, { mounted: null }, 'drive-unknown'],
    ['the drive is named before the battery', { requireMount: '/m', onBattery: 'skip' }, { mounted: false, power: onBattery(50) }, 'drive-missing'],
  ])('%s', (_name, conditions, readings, expected) => {
    expect(unmetCondition(c(conditions), readings)).toBe(expected);
  });
});

describe('conditions in config.json', () => {
  const base = { version: 1, repos: [{ id: 'r', uri: '/srv/r', password: { file: '/p' } }] };
  const plan = (conditions: unknown) => ({ ...base, plans: [{ id: 'home', repo: 'r', paths: ['/home'], conditions }] });
  it.each<[string, unknown, (string | number)[], RegExp]>([
    ['onBattery misspelt', { onBattery: 'never' }, ['plans', 0, 'conditions', 'onBattery'], /run|skip/],
    ['minBatteryPercent above 100', { minBatteryPercent: 101 }, ['plans', 0, 'conditions', 'minBatteryPercent'], /1 to 100/],
    ['minBatteryPercent a fraction', { minBatteryPercent: 20.5 }, ['plans', 0, 'conditions', 'minBatteryPercent'], /whole number/],
    ['requireMount relative', { requireMount: 'media/usb' }, ['plans', 0, 'conditions', 'requireMount'], /absolute/],
    ['an unknown key', { onBatery: 'skip' }, ['plans', 0, 'conditions'], /onBatery/],
  ])('%s is refused at its JSON path', (_name, conditions, where, message) => {
    const result = configSchema.safeParse(plan(conditions));
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => JSON.stringify(i.path) === JSON.stringify(where));
    expect(issue, JSON.stringify(result.error!.issues)).toBeDefined();
    expect(issue!.message + JSON.stringify(issue)).toMatch(message);
  });

  it('fills in the defaults', () => {
    expect(configSchema.parse(plan({})).plans[0]!.conditions).toEqual({ onBattery: 'run', onMetered: 'run', requireReachable: false });
  });

  const repo = (limits: unknown) => ({ version: 1, repos: [{ id: 'r', uri: '/srv/r', password: { file: '/p' }, limits }] });
  it.each<[string, unknown, (string | number)[]]>([
    ['upload 0', { uploadKiBs: 0 }, ['repos', 0, 'limits', 'uploadKiBs']],
    ['a bad time', { rules: [{ days: ['mon'], from: '9:00', to: '18:00' }] }, ['repos', 0, 'limits', 'rules', 0, 'from']],
    ['24:00', { rules: [{ days: ['mon'], from: '09:00', to: '24:00' }] }, ['repos', 0, 'limits', 'rules', 0, 'to']],
    ['a bad day', { rules: [{ days: ['monday'], from: '09:00', to: '18:00' }] }, ['repos', 0, 'limits', 'rules', 0, 'days', 0]],
    ['from = to', { rules: [{ days: ['mon'], from: '09:00', to: '09:00' }] }, ['repos', 0, 'limits', 'rules', 0]],
  ])('limits: %s is refused at its JSON path', (_name, limits, where) => {
    const result = configSchema.safeParse(repo(limits));
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => JSON.stringify(i.path))).toContain(JSON.stringify(where));
  });
});

/** Interval timers run only when the test advances time. */
class FakeClock implements SchedulerClock {
  private timers: { fn: () => void; ms: number; next: number }[] = [];
  constructor(private wall: number) {}
  now = () => this.wall;
  setInterval(fn: () => void, ms: number) {
    const timer = { fn, ms, next: this.wall + ms };
    this.timers.push(timer);
    return timer;
  }
  clearInterval(handle: unknown) {
    this.timers = this.timers.filter((t) => t !== handle);
  }
  advance(ms: number) {
    const until = this.wall + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.next <= until).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.wall = due.next;
      due.next += due.ms;
      due.fn();
    }
    this.wall = until;
  }
}

const MIN = 60_000;

function setup() {
  const clock = new FakeClock(new Date(2026, 11, 1, 10, 0).getTime());
  let config = configSchema.parse({
    version: 1,
    repos: [{ id: 'r', uri: '/srv/r', password: { file: '/p' } }],
    plans: [
      { id: 'laptop', repo: 'r', paths: ['/home'], schedule: { everyMinutes: 60 }, conditions: { onBattery: 'skip' } },
      { id: 'plain', repo: 'r', paths: ['/etc'], schedule: { everyMinutes: 60 } },
    ],
  });
  let power: PowerReading = onBattery(70);
  const probes: ConditionProbes = {
    power: async () => power,
    metered: async () => null,
    reachable: async () => null,
    mounted: async () => null,
  };
  const ran: { planId: string; at: number }[] = [];
  const lastRun = new Map<string, Date>();
  const stateStore = new AppStateStore(emptyAppState('serve', config.settings));
  stateStore.setPlans(derivePlanStates(config.plans, { last: new Map(), lastSuccess: new Map() }));
  const pending: Promise<void>[] = [];
  const runs = new ConditionalRuns({
    probes,
    config: () => config,
    run: (plan) => {
      ran.push({ planId: plan.id, at: clock.now() });
      lastRun.set(plan.id, new Date(clock.now()));
    },
    lastRunAt: (planId) => lastRun.get(planId) ?? null,
    paused: () => scheduler.pausedUntil() !== null,
    publish: (postponed) => stateStore.setPostponed(postponed),
    logger: silentLogger,
    clock,
    recheckMs: 30_000,
  });
  const scheduler: Scheduler = new Scheduler({
    clock,
    tickMs: 15_000,
    wakeDelayMs: 0,
    fire: (job) => {
      if (job.kind === 'backup') pending.push(runs.due(job.planId));
    },
    lastRunAt: () => undefined,
  });
  scheduler.setJobs(config.plans, config.repos);
  scheduler.start();
  runs.start();
  /** Moves time on and lets every probe started on the way answer. */
  const advance = async (ms: number) => {
    for (let step = 0; step < ms; step += 15_000) {
      clock.advance(Math.min(15_000, ms - step));
      await Promise.all(pending.splice(0));
      await runs.recheck();
    }
  };
  const postponedOf = (planId: string) => stateStore.current.plans.find((p) => p.id === planId)?.postponed ?? null;
  return {
    clock,
    ran,
    advance,
    postponedOf,
    setPower: (p: PowerReading) => void (power = p),
    manualRun: (planId: string) => lastRun.set(planId, new Date(clock.now())),
    /** The overall status as the engine publishes it (the engine copies the scheduler's pause into the state). */
    status: () => {
      const until = scheduler.pausedUntil();
      const pausedUntil = until === null ? null : until === 'forever' ? 'forever' : until.toISOString();
      const repos = [{ id: 'r', uri: '/srv/r', passwordKind: 'file' as const, envKeys: [], health: 'ok' as const, lastError: null }];
      return deriveOverallStatus({ ...stateStore.current, repos, pausedUntil }, new Date(clock.now()));
    },
    pause: () => scheduler.pause(null),
    resume: () => scheduler.resume(),
    turnScheduleOff: (planId: string) => {
      config = { ...config, plans: config.plans.map((p) => (p.id === planId ? { ...p, schedule: null } : p)) };
    },
  };
}

describe('scheduled runs with conditions (fake clock)', () => {
  it('a slot on battery is postponed, not run; it runs once when on AC again', async () => {
    const t = setup();
    await t.advance(61 * MIN); // 11:00 slot of both plans
    expect(t.ran.map((r) => r.planId)).toEqual(['plain']);
    const postponed = t.postponedOf('laptop');
    expect(postponed?.reason).toBe('on-battery');
    expect(postponed?.since).toBe(new Date(2026, 11, 1, 11, 0).toISOString());

    await t.advance(2 * 60 * MIN); // 12:00 and 13:00 come due, still on battery: one postponement, since 11:00
    expect(t.ran.filter((r) => r.planId === 'laptop')).toEqual([]);
    expect(t.postponedOf('laptop')?.since).toBe(postponed?.since);

    t.setPower(onAc);
    await t.advance(30_000);
    const laptopRuns = t.ran.filter((r) => r.planId === 'laptop');
    expect(laptopRuns).toHaveLength(1);
    expect(t.postponedOf('laptop')).toBeNull();
    await t.advance(30 * MIN); // nothing owed any more until the next slot
    expect(t.ran.filter((r) => r.planId === 'laptop')).toHaveLength(1);
  });

  it('unknown power postpones too, saying so (never silently treated as met)', async () => {
    const t = setup();
    t.setPower(unknownPower);
    await t.advance(61 * MIN);
    expect(t.ran.map((r) => r.planId)).toEqual(['plain']);
    expect(t.postponedOf('laptop')?.reason).toBe('battery-unknown');
  });

  it('the reason follows what holds now, the time stays when the wait began', async () => {
    const t = setup();
    await t.advance(61 * MIN);
    t.setPower(unknownPower);
    await t.advance(30_000);
    expect(t.postponedOf('laptop')).toEqual({ reason: 'battery-unknown', since: new Date(2026, 11, 1, 11, 0).toISOString() });
  });

  it('a plan whose schedule was turned off meanwhile owes nothing', async () => {
    const t = setup();
    await t.advance(61 * MIN);
    t.turnScheduleOff('laptop');
    t.setPower(onAc);
    await t.advance(30_000);
    expect(t.ran.filter((r) => r.planId === 'laptop')).toEqual([]);
    expect(t.postponedOf('laptop')).toBeNull();
  });

  it('the overall status says postponed while it waits; a pause meanwhile wins and holds it; after Resume it runs', async () => {
    const t = setup();
    await t.advance(61 * MIN);
    expect(t.status()).toMatchObject({ level: 'postponed', reasons: [{ kind: 'postponed', planId: 'laptop', condition: 'on-battery' }] });
    t.pause();
    t.setPower(onAc); // the condition holds now, but schedules are paused: the conditions are not looked at again
    await t.advance(2 * 60 * MIN);
    expect(t.ran.filter((r) => r.planId === 'laptop')).toEqual([]);
    expect(t.status().level).toBe('paused');
    expect(t.status().reasons.map((r) => r.kind)).toEqual(['paused', 'postponed']);
    t.resume();
    await t.advance(30_000);
    expect(t.ran.filter((r) => r.planId === 'laptop')).toHaveLength(1);
    expect(t.status()).toEqual({ level: 'ok', reasons: [] });
  });

  it('a manual backup while postponed settles it: nothing runs again when the condition holds', async () => {
    const t = setup();
    await t.advance(61 * MIN);
    expect(t.postponedOf('laptop')).not.toBeNull();
    t.manualRun('laptop'); // "Back up now" ran it (it never asks the conditions; see the engine test)
    t.setPower(onAc);
    await t.advance(30_000);
    expect(t.ran.filter((r) => r.planId === 'laptop')).toEqual([]);
    expect(t.postponedOf('laptop')).toBeNull();
  });
});

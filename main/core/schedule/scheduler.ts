// Decides when scheduled jobs start. It keeps one `dueAt` (wall-clock ms) per job and looks at the wall clock
// every few seconds (never one long timer, which would sleep through a suspend or follow a clock change
// blindly). What makes it trustworthy on a laptop:
// - Whatever is due fires once, then its next time is computed from *now*: a laptop that slept through three
//   hourly slots runs one backup after wake, not three, and a forward clock jump fires at most once.
// - A long gap between ticks means the machine slept (or the clock jumped forward): due jobs wait `wakeDelayMs`
//   so the network can come back first. Starting up counts as a wake.
// - A clock set back moves every dueAt back by the same amount (snapped to the schedule's next slot), so the
//   wait to the next run stays what it was: no slot already served runs again, and a big correction does
//   not stall the schedule until the old time comes round.
// - Paused schedules fire nothing, and what came due during the pause is dropped, not caught up on resume:
//   someone who paused backups for a metered connection does not want a burst the moment they resume.
// - A job still running (isBusy) when due is not started twice; its next time simply moves on.
import type { ScheduleSpec } from '../../common/state.js';
import type { Logger } from '../engine-api.js';
import { firstSlotAtOrAfter, nextRunAfter } from './next-run.js';

export type ScheduledJob =
  | { kind: 'backup'; planId: string; repoId: string }
  | { kind: 'prune' | 'check'; repoId: string; planId?: undefined }
  /** A plan's mirror with a schedule of its own (issue 15): `repoId` is the mirror, `sourceRepoId` the plan's repository. */
  | { kind: 'copy'; planId: string; repoId: string; sourceRepoId: string }
  /** A plan's restore test (issue 15), on plans[].verify.schedule. */
  | { kind: 'verify'; planId: string; repoId: string };

export interface SchedulerClock {
  now(): number;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** The wall clock, with an unref'd timer so the scheduler alone never keeps a process alive. */
export const realClock: SchedulerClock = {
  now: () => Date.now(),
  setInterval(callback, ms) {
    const handle = setInterval(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/** Where the pause survives a restart: an ISO time, "forever", or null (not paused). */
export interface PausePersistence {
  load(): string | null;
  save(value: string | null): void;
}

export function memoryPausePersistence(initial: string | null = null): PausePersistence {
  let value = initial;
  return {
    load: () => value,
    save: (next) => {
      value = next;
    },
  };
}

export interface SchedulerOptions {
  /** Starts the job (the orchestrator queues it). Called synchronously from a tick; must not throw. */
  fire(job: ScheduledJob): void;
  /** True while an operation of this job is queued or running: then a due run is skipped. */
  isBusy?(job: ScheduledJob): boolean;
  /**
   * Start time of the job's last run (any trigger), read from the oplog: lets a slot missed while Backstay was
   * not running fire once at start. null = never ran; undefined = unknown (count from now). See nextRunAfter.
   */
  lastRunAt?(job: ScheduledJob): Date | null | undefined;
  clock?: SchedulerClock;
  persistence?: PausePersistence;
  /** How often the wall clock is checked; capped at 30 s. Default 15 s. */
  tickMs?: number;
  /** Delay after a wake (or start) before due jobs fire, for the network to come back. Default 60 s. */
  wakeDelayMs?: number;
  /** A gap between ticks longer than this means the machine slept. Default 2 * tickMs + 10 s. */
  sleepGapMs?: number;
  /** Called after due times or the pause change (to refresh nextRunAt in the state snapshot). */
  onChange?(): void;
  logger?: Logger;
}

export interface SchedulablePlan {
  id: string;
  repo: string;
  schedule: ScheduleSpec;
  mirrors?: readonly { repo: string; schedule: ScheduleSpec }[];
  verify?: { schedule: ScheduleSpec } | null;
}

export interface SchedulableRepo {
  id: string;
  maintenance?: { prune: ScheduleSpec; check: ScheduleSpec } | null;
}

interface Entry {
  job: ScheduledJob;
  spec: NonNullable<ScheduleSpec>;
  specKey: string;
  dueAt: number | null;
}

const MAX_TICK_MS = 30_000;
/** Timer jitter and NTP slewing move the clock back by a few ms; only a real step back is handled as one. */
const CLOCK_BACK_TOLERANCE_MS = 2_000;

export function jobKey(job: ScheduledJob): string {
  if (job.kind === 'copy') return `copy:${job.planId}:${job.repoId}`;
  if (job.kind === 'verify') return `verify:${job.planId}`;
  return job.kind === 'backup' ? `backup:${job.planId}` : `${job.kind}:${job.repoId}`;
}

export class Scheduler {
  private readonly clock: SchedulerClock;
  private readonly persistence: PausePersistence;
  private readonly tickMs: number;
  private readonly wakeDelayMs: number;
  private readonly sleepGapMs: number;
  private readonly entries = new Map<string, Entry>();
  private planIds: string[] = [];
  private repoIds: string[] = [];
  private timer: unknown = null;
  private lastTickAt: number | null = null;
  /** Due jobs wait until this wall-clock time (after a wake or start). */
  private holdUntil = 0;
  /** ms since the epoch, Infinity for "until resumed", or null. */
  private pausedUntilMs: number | null;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? realClock;
    this.persistence = options.persistence ?? memoryPausePersistence();
    this.tickMs = Math.min(Math.max(options.tickMs ?? 15_000, 1), MAX_TICK_MS);
    this.wakeDelayMs = Math.max(options.wakeDelayMs ?? 60_000, 0);
    this.sleepGapMs = options.sleepGapMs ?? 2 * this.tickMs + 10_000;
    this.pausedUntilMs = parsePause(this.persistence.load());
  }

  /** Replaces the set of scheduled jobs (on config change). A job whose schedule did not change keeps its dueAt. */
  setJobs(plans: readonly SchedulablePlan[], repos: readonly SchedulableRepo[]): void {
    const wanted = new Map<string, { job: ScheduledJob; spec: NonNullable<ScheduleSpec> }>();
    for (const plan of plans) {
      if (plan.schedule) {
        const job: ScheduledJob = { kind: 'backup', planId: plan.id, repoId: plan.repo };
        wanted.set(jobKey(job), { job, spec: plan.schedule });
      }
      for (const mirror of plan.mirrors ?? []) {
        if (!mirror.schedule) continue;
        const job: ScheduledJob = { kind: 'copy', planId: plan.id, repoId: mirror.repo, sourceRepoId: plan.repo };
        wanted.set(jobKey(job), { job, spec: mirror.schedule });
      }
      if (plan.verify?.schedule) {
        const job: ScheduledJob = { kind: 'verify', planId: plan.id, repoId: plan.repo };
        wanted.set(jobKey(job), { job, spec: plan.verify.schedule });
      }
    }
    for (const repo of repos) {
      for (const kind of ['prune', 'check'] as const) {
        const spec = repo.maintenance?.[kind];
        if (spec) {
          const job: ScheduledJob = { kind, repoId: repo.id };
          wanted.set(jobKey(job), { job, spec });
        }
      }
    }
    for (const key of [...this.entries.keys()]) if (!wanted.has(key)) this.entries.delete(key);
    const now = this.clock.now();
    for (const [key, { job, spec }] of wanted) {
      const specKey = JSON.stringify(spec);
      const existing = this.entries.get(key);
      if (existing && existing.specKey === specKey) {
        existing.job = job; // a plan may have moved to another repository
        continue;
      }
      const lastRunAt = this.options.lastRunAt?.(job);
      this.entries.set(key, { job, spec, specKey, dueAt: toMs(nextRunAfter(spec, new Date(now), { lastRunAt })) });
    }
    this.planIds = plans.map((p) => p.id);
    this.repoIds = repos.map((r) => r.id);
    this.changed();
  }

  /** Starts checking the clock. Counts as a wake: what is overdue waits wakeDelayMs. */
  start(): void {
    if (this.timer !== null) return;
    const now = this.clock.now();
    this.lastTickAt = now;
    this.holdUntil = now + this.wakeDelayMs;
    this.timer = this.clock.setInterval(() => this.tick(), this.tickMs);
    this.tick();
  }

  stop(): void {
    if (this.timer === null) return;
    this.clock.clearInterval(this.timer);
    this.timer = null;
  }

  /** The host saw the machine wake (Electron powerMonitor "resume"): hold due jobs for wakeDelayMs. */
  noteWake(): void {
    this.holdUntil = Math.max(this.holdUntil, this.clock.now() + this.wakeDelayMs);
    this.changed();
  }

  /**
   * A run of this job started outside the schedule (manual, tray, retry): count the next interval from it,
   * so an hourly plan backed up by hand at 10:40 is next due at 11:40 rather than right away.
   */
  recordRun(job: ScheduledJob, startedAt: Date): void {
    const entry = this.entries.get(jobKey(job));
    if (!entry) return;
    const next = toMs(nextRunAfter(entry.spec, new Date(this.clock.now()), { lastRunAt: startedAt }));
    if (next !== null && (entry.dueAt === null || next > entry.dueAt)) {
      entry.dueAt = next;
      this.changed();
    }
  }

  /** One look at the clock. Public for tests; the timer calls it every tickMs. */
  tick(): void {
    const now = this.clock.now();
    const previous = this.lastTickAt;
    this.lastTickAt = now;
    let changed = false;
    if (previous !== null) {
      const gap = now - previous;
      if (gap < -CLOCK_BACK_TOLERANCE_MS) {
        this.shiftBack(previous, now);
        changed = true;
      } else if (gap > this.sleepGapMs) {
        this.options.logger?.info('schedule: clock gap, assuming the machine slept', { gapMs: gap });
        this.holdUntil = Math.max(this.holdUntil, now + this.wakeDelayMs);
        changed = true;
      }
    }

    const paused = this.pausedUntilMs;
    if (paused !== null && paused > now) {
      changed = this.skipDue(now, now, 'paused') || changed;
      if (changed) this.changed();
      return;
    }
    if (paused !== null) {
      // The pause ran out since the last tick: drop what came due during it, keep what came due after it.
      changed = this.skipDue(paused, now, 'paused') || changed;
      this.setPause(null);
      changed = true;
    }

    if (now >= this.holdUntil) {
      for (const entry of this.entries.values()) {
        if (entry.dueAt === null || entry.dueAt > now) continue;
        changed = true;
        if (this.options.isBusy?.(entry.job)) {
          this.options.logger?.info('schedule: still running, skipping this run', { job: jobKey(entry.job) });
        } else {
          this.fire(entry.job);
        }
        entry.dueAt = toMs(nextRunAfter(entry.spec, new Date(now)));
      }
    }
    if (changed) this.changed();
  }

  /** Pause all schedules until `until`, or until resume() when null. Survives a restart. */
  pause(until: Date | null): void {
    const now = this.clock.now();
    if (until !== null && until.getTime() <= now) {
      this.resume();
      return;
    }
    this.setPause(until === null ? Infinity : until.getTime());
    this.changed();
  }

  /** Resume now. Runs that came due during the pause are dropped (see the top of this file). */
  resume(): void {
    const now = this.clock.now();
    if (this.pausedUntilMs !== null) this.skipDue(now, now, 'paused');
    this.setPause(null);
    this.changed();
  }

  pausedUntil(): Date | 'forever' | null {
    const until = this.pausedUntilMs;
    if (until === null || until <= this.clock.now()) return null;
    return until === Infinity ? 'forever' : new Date(until);
  }

  /** The next time each plan will actually start by schedule; null for manual plans and while paused forever. */
  nextRuns(): Map<string, Date | null> {
    const result = new Map<string, Date | null>();
    for (const planId of this.planIds) result.set(planId, this.effectiveNextRun(`backup:${planId}`));
    return result;
  }

  /** Same for each repository's maintenance. */
  nextMaintenanceRuns(): Map<string, { prune: Date | null; check: Date | null }> {
    const result = new Map<string, { prune: Date | null; check: Date | null }>();
    for (const repoId of this.repoIds) {
      result.set(repoId, {
        prune: this.effectiveNextRun(`prune:${repoId}`),
        check: this.effectiveNextRun(`check:${repoId}`),
      });
    }
    return result;
  }

  private effectiveNextRun(key: string): Date | null {
    const entry = this.entries.get(key);
    if (!entry || entry.dueAt === null) return null;
    const now = this.clock.now();
    const paused = this.pausedUntilMs;
    if (paused === Infinity) return null;
    if (paused !== null && paused > now && entry.dueAt <= paused) {
      return nextRunAfter(entry.spec, new Date(paused));
    }
    return new Date(Math.max(entry.dueAt, this.holdUntil > now ? this.holdUntil : entry.dueAt));
  }

  /** Moves every job due at or before `cutoff` to its next time after `now`, without firing it. */
  private skipDue(cutoff: number, now: number, why: string): boolean {
    let skipped = false;
    for (const entry of this.entries.values()) {
      if (entry.dueAt === null || entry.dueAt > cutoff) continue;
      this.options.logger?.info(`schedule: ${why}, not running`, { job: jobKey(entry.job) });
      entry.dueAt = toMs(nextRunAfter(entry.spec, new Date(now)));
      skipped = true;
    }
    return skipped;
  }

  private shiftBack(previousTick: number, now: number): void {
    const deltaMs = previousTick - now;
    this.options.logger?.warn('schedule: the clock was set back', { deltaMs });
    for (const entry of this.entries.values()) {
      // A job already due (waiting out a wake delay) stays due: it has not run yet.
      if (entry.dueAt === null || entry.dueAt <= previousTick) continue;
      // deltaMs is measured between ticks, so it may fall short of the real step by up to one tick; allow
      // for that when snapping to a slot, but never to a slot that is already due (that would fire at once).
      const shifted = Math.max(entry.dueAt - deltaMs - this.tickMs, now + 1);
      entry.dueAt = toMs(firstSlotAtOrAfter(entry.spec, new Date(shifted)));
    }
    if (this.holdUntil > 0) this.holdUntil -= deltaMs;
  }

  private fire(job: ScheduledJob): void {
    try {
      this.options.fire(job);
    } catch (err) {
      // A failing fire must not stop other jobs from firing, nor make this one fire again every tick.
      this.options.logger?.error('schedule: starting a job failed', { job: jobKey(job), error: String(err) });
    }
  }

  private setPause(until: number | null): void {
    this.pausedUntilMs = until;
    try {
      this.persistence.save(until === null ? null : until === Infinity ? 'forever' : new Date(until).toISOString());
    } catch (err) {
      this.options.logger?.error('schedule: could not save the pause', { error: String(err) });
    }
  }

  private changed(): void {
    try {
      this.options.onChange?.();
    } catch (err) {
      this.options.logger?.error('schedule: onChange failed', { error: String(err) });
    }
  }
}

function parsePause(value: string | null): number | null {
  if (value === null) return null;
  if (value === 'forever') return Infinity;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function toMs(date: Date | null): number | null {
  return date === null ? null : date.getTime();
}

// When a schedule is next due. Pure functions over a ScheduleSpec; the Scheduler decides when to ask.
import { Cron } from 'croner';
import type { ScheduleSpec } from '../../common/state.js';

const MINUTE_MS = 60_000;

// Parsing a cron pattern costs more than asking it for a date; plans keep their few patterns for a long time.
const cronCache = new Map<string, Cron>();
const CRON_CACHE_LIMIT = 256;

function cronFor(expression: string): Cron {
  let cron = cronCache.get(expression);
  if (!cron) {
    // No callback: croner only computes dates and never starts a timer of its own. Local time zone.
    cron = new Cron(expression, { mode: '5-part' });
    if (cronCache.size >= CRON_CACHE_LIMIT) cronCache.clear();
    cronCache.set(expression, cron);
  }
  return cron;
}

export interface NextRunOptions {
  /**
   * Start of the last run of this job (any trigger).
   * - undefined: not known; the schedule is counted from `after` (the first run is the next slot after it).
   * - null: it never ran. An interval schedule is then due at once (`after`): a new "every N minutes" plan
   *   should protect the data now, not N minutes from now. A cron plan still waits for its first slot,
   *   because a cron names the times the user wants (say, 03:00 when the laptop is idle).
   * - a Date: the next slot after that run. This can be at or before `after`, meaning the job is overdue
   *   (a slot passed while Backstay was not running): it is due now, once.
   */
  lastRunAt?: Date | null;
}

/**
 * The time `spec` is next due, or null for a manual-only plan (or a cron that never matches).
 * The result may lie at or before `after` only when `lastRunAt` says a run is overdue; otherwise it is after it.
 * A `lastRunAt` later than `after` (the clock was set back) is treated as `after`, so a run already done is not
 * repeated and the schedule does not stall until the old clock time comes round again.
 */
export function nextRunAfter(spec: ScheduleSpec, after: Date, opts: NextRunOptions = {}): Date | null {
  if (spec === null) return null;
  const { lastRunAt } = opts;
  const base = lastRunAt && lastRunAt.getTime() < after.getTime() ? lastRunAt : after;
  if ('everyMinutes' in spec) {
    if (lastRunAt === null) return new Date(after.getTime());
    return new Date(base.getTime() + spec.everyMinutes * MINUTE_MS);
  }
  return cronFor(spec.cron).nextRun(base) ?? null;
}

/** The first slot of `spec` at or after `at` (cron), or `at` itself for an interval schedule. */
export function firstSlotAtOrAfter(spec: ScheduleSpec, at: Date): Date | null {
  if (spec === null) return null;
  if ('everyMinutes' in spec) return new Date(at.getTime());
  return cronFor(spec.cron).nextRun(new Date(at.getTime() - 1)) ?? null;
}

/** The next `count` run times from `from`, for the UI's "next runs" preview. */
export function previewRuns(spec: ScheduleSpec, from: Date, count: number): Date[] {
  if (spec === null || count <= 0) return [];
  if ('everyMinutes' in spec) {
    return Array.from({ length: count }, (_, i) => new Date(from.getTime() + (i + 1) * spec.everyMinutes * MINUTE_MS));
  }
  return cronFor(spec.cron).nextRuns(count, from);
}

// The first run's choices for "when" and "how long", as a person says them, turned into the plan's schedule and
// retention; and the plan's name from the folders chosen. Pure and tested.
import type { Retention, ScheduleSpec } from '../../../../main/common/index.js';
import type { PlanInput } from '../../../../main/common/rpc.js';
import { slugify } from '../../components/IdField.js';

export const SCHEDULE_PRESETS = ['hourly', 'daily', 'manual'] as const;
export type SchedulePreset = (typeof SCHEDULE_PRESETS)[number];

export const RETENTION_PRESETS = ['recommended', 'recent', 'everything'] as const;
export type RetentionPreset = (typeof RETENTION_PRESETS)[number];

/** "HH:MM" (24 h, local time) -> the cron fields; null when it is not a time of day. */
function timeOfDay(text: string): { hour: number; minute: number } | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

export function isTimeOfDay(text: string): boolean {
  return timeOfDay(text) !== null;
}

export function scheduleFor(preset: SchedulePreset, dailyAt: string): ScheduleSpec | null {
  if (preset === 'manual') return null;
  if (preset === 'hourly') return { cron: '0 * * * *' };
  const t = timeOfDay(dailyAt);
  if (!t) throw new Error(`not a time of day: ${dailyAt}`);
  return { cron: `${t.minute} ${t.hour} * * *` };
}

export function retentionFor(preset: RetentionPreset): Retention | null {
  switch (preset) {
    case 'recommended':
      // Every hour of the last day, a day a week back, a week a month back, a month a year back.
      return { keepHourly: 24, keepDaily: 7, keepWeekly: 4, keepMonthly: 12 };
    case 'recent':
      return { keepLast: 10 };
    case 'everything':
      return null;
  }
}

/** A plan id from the first folder's name ("/home/me/Photos" -> "photos"), not one in `taken`; "home" as a fallback. */
export function suggestPlanId(folders: readonly string[], taken: readonly string[]): string {
  const name = (folders[0] ?? '').split(/[\\/]/).filter(Boolean).at(-1) ?? '';
  const cleaned = slugify(name).slice(0, 48).replace(/-+$/, '');
  const base = cleaned || 'home';
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

export function firstPlan(o: {
  id: string;
  repo: string;
  folders: readonly string[];
  schedule: SchedulePreset;
  dailyAt: string;
  retention: RetentionPreset;
}): PlanInput {
  const schedule = scheduleFor(o.schedule, o.dailyAt);
  return { id: o.id, repo: o.repo, paths: [...o.folders], ...(schedule ? { schedule } : {}), retention: retentionFor(o.retention) };
}

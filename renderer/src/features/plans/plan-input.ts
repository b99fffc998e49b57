// Turning the plan form's text fields into a PlanInput and back (pure, tested without React).
import type { PlanState, Retention, ScheduleSpec } from '../../../../main/common/index.js';
import type { FieldIssue, PlanInput } from '../../../../main/common/rpc.js';
import type { FieldPlace } from '../../components/FieldErrors.js';

/** A list index as people count it: 0 -> 1. */
const countFromOne = (index: string | number | undefined): number | undefined => (typeof index === 'number' ? index + 1 : undefined);

export const RETENTION_NUMBER_KEYS = ['keepLast', 'keepHourly', 'keepDaily', 'keepWeekly', 'keepMonthly', 'keepYearly'] as const;
export type ScheduleMode = 'none' | 'cron' | 'every';

export interface PlanFormValues {
  id: string;
  repo: string;
  paths: string;
  excludes: string;
  scheduleMode: ScheduleMode;
  cron: string;
  everyMinutes: string;
  retention: RetentionValues;
}

/** A retention as its form fields hold it: every key as typed, '' for one not set. */
export type RetentionValues = Record<(typeof RETENTION_NUMBER_KEYS)[number] | 'keepWithin', string>;

export function retentionValuesOf(r: Retention | null | undefined): RetentionValues {
  const retention = { keepWithin: r?.keepWithin ?? '' } as RetentionValues;
  for (const k of RETENTION_NUMBER_KEYS) retention[k] = r?.[k] != null ? String(r[k]) : '';
  return retention;
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function formValuesFromPlan(plan: PlanState | null, defaultRepo: string): PlanFormValues {
  const s = plan?.schedule ?? null;
  const retention = retentionValuesOf(plan?.retention);
  return {
    id: plan?.id ?? '',
    repo: plan?.repoId ?? defaultRepo,
    paths: (plan?.paths ?? []).join('\n'),
    excludes: (plan?.excludes ?? []).join('\n'),
    scheduleMode: s === null ? 'none' : 'cron' in s ? 'cron' : 'every',
    cron: s && 'cron' in s ? s.cron : '0 * * * *',
    everyMinutes: s && 'everyMinutes' in s ? String(s.everyMinutes) : '60',
    retention,
  };
}

export function scheduleFromValues(v: Pick<PlanFormValues, 'scheduleMode' | 'cron' | 'everyMinutes'>): ScheduleSpec {
  if (v.scheduleMode === 'cron') return { cron: v.cron.trim() };
  if (v.scheduleMode === 'every') return { everyMinutes: Number(v.everyMinutes) };
  return null;
}

export function retentionFromValues(values: RetentionValues): Retention | null {
  const r: Retention = {};
  for (const k of RETENTION_NUMBER_KEYS) {
    const n = Number(values[k]);
    if (values[k].trim() !== '' && Number.isInteger(n) && n >= 0) r[k] = n;
  }
  if (values.keepWithin.trim()) r.keepWithin = values.keepWithin.trim();
  return Object.keys(r).length > 0 ? r : null;
}

export function planInputFromValues(v: PlanFormValues): PlanInput {
  return {
    id: v.id.trim(),
    repo: v.repo,
    paths: lines(v.paths),
    excludes: lines(v.excludes),
    schedule: scheduleFromValues(v),
    retention: retentionFromValues(v.retention),
  };
}

/**
 * Where the plan form shows a problem the host found: ["plan", "paths", 1] is the second line of the folders
 * ("Folder 2"); anything the form has no field for is shown under the form.
 */
export function locatePlanIssue(path: FieldIssue['path']): FieldPlace | null {
  if (path[0] !== 'plan') return null;
  const [, key, sub] = path;
  switch (key) {
    case 'id':
    case 'repo':
      return { field: key, label: key };
    case 'paths':
      return sub === undefined ? { field: 'paths', label: 'paths' } : { field: 'paths', label: 'path', n: countFromOne(sub) };
    case 'excludes':
      return { field: 'excludes', label: 'exclude', n: countFromOne(sub) };
    case 'schedule':
      if (sub === 'cron') return { field: 'cron', label: 'cron' };
      if (sub === 'everyMinutes') return { field: 'everyMinutes', label: 'everyMinutes' };
      return { field: 'schedule', label: 'schedule' };
    case 'retention':
      if (sub === 'keepWithin') return { field: 'keepWithin', label: 'keepWithin' };
      if (typeof sub === 'string' && (RETENTION_NUMBER_KEYS as readonly string[]).includes(sub)) return { field: sub, label: 'keep' };
      return { field: 'retention', label: 'keep' };
    default:
      return null;
  }
}

// config.json additions of issue 16: a plan's conditions on its scheduled runs, and a repository's bandwidth limits.
// Strict objects like the rest of the schema: a misspelt "onBatery" is refused, never ignored.
import path from 'node:path';
import { z } from 'zod';

/** The KiB/s restic is given (restic's own unit for --limit-upload/--limit-download); 1 KiB/s to 10 GiB/s. */
export const KIBS_RANGE = { min: 1, max: 10 * 1024 * 1024 } as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
const HH_MM = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

const kibs = z
  .int({ error: `must be a whole number of KiB/s from ${KIBS_RANGE.min} to ${KIBS_RANGE.max}` })
  .min(KIBS_RANGE.min, { error: `must be a whole number of KiB/s from ${KIBS_RANGE.min} to ${KIBS_RANGE.max}` })
  .max(KIBS_RANGE.max, { error: `must be a whole number of KiB/s from ${KIBS_RANGE.min} to ${KIBS_RANGE.max}` });

const clockTime = z.string().regex(HH_MM, { error: 'must be a local time "HH:MM" from 00:00 to 23:59' });

/** Addition: when a plan's scheduled runs may start. Manual runs ignore them. */
export const conditionsSchema = z.strictObject({
  onBattery: z.enum(['run', 'skip']).default('run'),
  /** With onBattery "run": still postpone while the battery is below this. */
  minBatteryPercent: z
    .int({ error: 'minBatteryPercent must be a whole number from 1 to 100' })
    .min(1, { error: 'minBatteryPercent must be a whole number from 1 to 100' })
    .max(100, { error: 'minBatteryPercent must be a whole number from 1 to 100' })
    .optional(),
  onMetered: z.enum(['run', 'skip']).default('run'),
  requireReachable: z.boolean().default(false),
  /** A folder that must be a mounted drive (e.g. "/media/me/usb"); a local repository's folder must also exist. */
  requireMount: z
    .string()
    .min(1, { error: 'requireMount must not be empty' })
    .refine((p) => path.isAbsolute(p), { error: 'requireMount must be an absolute path' })
    .optional(),
});

const limitRule = z
  .strictObject({
    days: z.array(z.enum(WEEKDAYS, { error: `days are ${WEEKDAYS.join(', ')}` })).min(1, { error: 'days must list at least one day' }),
    from: clockTime,
    to: clockTime,
    uploadKiBs: kibs.optional(),
    downloadKiBs: kibs.optional(),
  })
  .refine((r) => r.from !== r.to, { error: 'from and to must differ (a rule for the whole day: leave out the rule, use the repository limit)' });

/** Addition: a repository's bandwidth. A rule that matches the local time replaces the plain limits (see limits.ts). */
export const limitsSchema = z.strictObject({
  uploadKiBs: kibs.optional(),
  downloadKiBs: kibs.optional(),
  rules: z.array(limitRule).default([]),
});

export type ConditionsConfig = z.output<typeof conditionsSchema>;
export type LimitsConfig = z.output<typeof limitsSchema>;
export type LimitRule = LimitsConfig['rules'][number];

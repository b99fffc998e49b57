// Which bandwidth limits a restic run gets, chosen when it starts: restic cannot change them while it runs.
// Pure functions of the repository's limits, the local time and a temporary "slow down" the user asked for.
// - A rule matches from its `from` (inclusive) to its `to` (exclusive) on each of its `days`, local time. A rule
//   whose `to` is not after its `from` runs across midnight: "fri 22:00-06:00" is Friday 22:00 to Saturday 06:00
//   (the day names the evening it starts on).
// - The first matching rule replaces the repository's plain limits whole: a direction it leaves out is unlimited
//   while it matches (so "unlimited at night, 2 MiB/s by day" can be written either way round).
// - A slow-down caps the upload at its value (the lower of the two wins); it never raises a limit.
import type { LimitRule, LimitsConfig, Weekday } from './config-schema.js';

export interface Bandwidth {
  uploadKiBs: number | null;
  downloadKiBs: number | null;
}

export const UNLIMITED: Bandwidth = Object.freeze({ uploadKiBs: null, downloadKiBs: null });

/** "Slow down backups": until when, and to how much upload. */
export interface SlowDown {
  until: Date;
  uploadKiBs: number;
}

/** The upload a slow-down allows unless told otherwise: 1 MiB/s (README, "Bandwidth"). */
export const DEFAULT_SLOW_DOWN_UPLOAD_KIBS = 1024;

const DAY_OF_INDEX: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTES_PER_DAY = 24 * 60;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** Whether `rule` covers the local time `now`. */
export function ruleMatches(rule: Pick<LimitRule, 'days' | 'from' | 'to'>, now: Date): boolean {
  const minute = now.getHours() * 60 + now.getMinutes();
  const today = DAY_OF_INDEX[now.getDay()]!;
  const yesterday = DAY_OF_INDEX[(now.getDay() + 6) % 7]!;
  const from = minutesOf(rule.from);
  const to = minutesOf(rule.to);
  if (from < to) return rule.days.includes(today) && minute >= from && minute < to;
  // Across midnight: the evening part belongs to today's rule, the morning part to yesterday's.
  return (rule.days.includes(today) && minute >= from) || (rule.days.includes(yesterday) && minute < to % MINUTES_PER_DAY);
}

/** The limits of a repository at the local time `now`, with a slow-down that is still on. */
export function bandwidthAt(limits: LimitsConfig | undefined, now: Date, slowDown: SlowDown | null = null): Bandwidth {
  let chosen: Bandwidth = UNLIMITED;
  if (limits) {
    const rule = limits.rules.find((r) => ruleMatches(r, now));
    const source = rule ?? limits;
    chosen = { uploadKiBs: source.uploadKiBs ?? null, downloadKiBs: source.downloadKiBs ?? null };
  }
  if (slowDown && slowDown.until.getTime() > now.getTime()) {
    const upload = chosen.uploadKiBs === null ? slowDown.uploadKiBs : Math.min(chosen.uploadKiBs, slowDown.uploadKiBs);
    chosen = { ...chosen, uploadKiBs: upload };
  }
  return chosen;
}

// Axis and tooltip words for the charts: dates in the window's language, local time.
import type { Language } from '../../../i18n/index.js';

/** "25 Nov" */
export function formatDay(ms: number, language: Language): string {
  return new Date(ms).toLocaleDateString(language, { day: 'numeric', month: 'short' });
}

/** "14:03" for points within about a day of each other, "25 Nov" for a longer span: what tells the ticks apart. */
export function timeAxisLabel(spanMs: number, language: Language): (ms: number) => string {
  if (spanMs < 36 * 3_600_000) return (ms) => new Date(ms).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (ms) => formatDay(ms, language);
}

/**
 * Tick labels with a repeat left blank: runs seconds apart all read "14:31", and a row of "14:31 14:31" says nothing
 * the first one did not (the tooltip still names each run).
 */
export function withoutRepeats(labels: readonly string[]): string[] {
  return labels.map((label, i) => (i > 0 && label === labels[i - 1] ? '' : label));
}

/** Tick steps per unit: whole counts; seconds that are whole minutes and hours; binary sizes (512 KiB, 1 MiB). */
export const TICKS = {
  count: Array.from({ length: 16 }, (_, k) => [1, 2, 5].map((m) => m * 10 ** k)).flat(),
  seconds: [1, 2, 5, 10, 15, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800],
  bytes: Array.from({ length: 61 }, (_, k) => 2 ** k).flatMap((v) => [v, v * 1.5]).sort((a, b) => a - b),
} as const;

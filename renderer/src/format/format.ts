// Numbers and times as a person reads them: binary units, local time, short relative ages.
import type { Language, Translate } from '../i18n/index.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 418 GiB, 18.3 GiB, 1.1 TiB, 512 B: three significant digits at most, binary units. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes)) return '–';
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  // 1023.6 MiB would print as "1024 MiB": round first, then step up if it reached the next unit.
  const rounded = value < 100 ? Math.round(value * 10) / 10 : Math.round(value);
  if (rounded >= 1024 && unit < UNITS.length - 1) return `1 ${UNITS[unit + 1]}`;
  return `${rounded < 100 ? rounded.toFixed(1).replace(/\.0$/, '') : rounded} ${UNITS[unit]}`;
}

export function formatCount(n: number | null | undefined, language: Language): string {
  if (n == null) return '–';
  return n.toLocaleString(language);
}

export function formatPercent(fraction: number | null | undefined): string {
  if (fraction == null || !Number.isFinite(fraction)) return '–';
  return String(Math.floor(Math.min(1, Math.max(0, fraction)) * 100));
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "14:03" today, "25 Nov 14:03" on another day; always local time and a 24-hour clock. */
export function formatClock(iso: string | null | undefined, language: Language, now: Date = new Date()): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  const time = d.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  if (sameDay(d, now)) return time;
  const date = d.toLocaleDateString(language, {
    day: 'numeric',
    month: 'short',
    ...(d.getFullYear() !== now.getFullYear() ? { year: 'numeric' } : {}),
  });
  return `${date} ${time}`;
}

/** The exact moment, for title attributes. */
export function formatExact(iso: string | null | undefined, language: Language): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(language, { dateStyle: 'full', timeStyle: 'medium', hourCycle: 'h23' });
}

/** "2 h ago", "in 5 min": coarse on purpose; the exact time goes in a title. */
export function formatRelative(iso: string | null | undefined, t: Translate, now: number = Date.now()): string {
  if (!iso) return '–';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return '–';
  const diffSeconds = Math.round((now - then) / 1000);
  const future = diffSeconds < 0;
  const s = Math.abs(diffSeconds);
  if (s < 60) return t('time.justNow');
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return t(future ? 'time.inMinutes' : 'time.minutesAgo', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t(future ? 'time.inHours' : 'time.hoursAgo', { n: hours });
  return t(future ? 'time.inDays' : 'time.daysAgo', { n: Math.floor(hours / 24) });
}

export function formatDuration(seconds: number | null | undefined, t: Translate): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return t('duration.seconds', { s });
  const m = Math.round(s / 60);
  if (m < 60) return t('duration.minutes', { m });
  return t('duration.hoursMinutes', { h: Math.floor(m / 60), m: m % 60 });
}

/** Summary and statistics fields whose numbers are bytes, seconds or a ratio; any other number is a count. */
const BYTE_FIELDS = new Set(['dataAdded', 'totalBytesProcessed', 'totalSize', 'totalUncompressedSize', 'bytesRestored', 'bytesChecked']);
const SECOND_FIELDS = new Set(['totalDuration']);
const RATIO_FIELDS = new Set(['compressionRatio']);

/**
 * One field of an operation's summary (backup, forget, stats, ...) as a person reads it: sizes in binary units,
 * counts with the language's separators, durations in words, a ratio with two decimals. Never a raw 4139109.
 */
export function formatSummaryValue(key: string, value: unknown, t: Translate, language: Language): string {
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (BYTE_FIELDS.has(key)) return formatBytes(value);
    if (SECOND_FIELDS.has(key)) return formatDuration(value, t);
    if (RATIO_FIELDS.has(key)) {
      return t('summary.compressionRatio.value', { ratio: value.toLocaleString(language, { minimumFractionDigits: 1, maximumFractionDigits: 2 }) });
    }
    return formatCount(value, language);
  }
  if (typeof value === 'boolean') return value ? '✓' : '–';
  return value == null ? '–' : String(value);
}

export function secondsBetween(startIso: string | null, endIso: string | null): number | null {
  if (!startIso || !endIso) return null;
  const d = (new Date(endIso).getTime() - new Date(startIso).getTime()) / 1000;
  return Number.isFinite(d) ? d : null;
}

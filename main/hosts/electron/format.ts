// Small formatters for the tray and notifications: relative ages, durations, binary sizes, local clock times.
import { strings, type Lang } from './i18n.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "6 min", "1 h 20 min", "3 d"; under a minute "<1 min". */
export function formatDuration(ms: number, lang: Lang): string {
  const t = strings(lang);
  if (!Number.isFinite(ms) || ms < MINUTE) return t.lessThanMinute;
  if (ms < HOUR) return t.minutes(Math.round(ms / MINUTE));
  if (ms < DAY) {
    const h = Math.floor(ms / HOUR);
    const m = Math.round((ms - h * HOUR) / MINUTE);
    if (m === 0 || m === 60) return t.hours(m === 60 ? h + 1 : h);
    return t.hoursMinutes(h, m);
  }
  return t.days(Math.floor(ms / DAY));
}

/** "just now", "5 min ago", "2 h ago", "3 d ago". A time in the future (clock skew) reads as "just now". */
export function formatAge(iso: string, now: Date, lang: Lang): string {
  const t = strings(lang);
  const ms = now.getTime() - Date.parse(iso);
  if (!Number.isFinite(ms) || ms < MINUTE) return t.justNow;
  if (ms < HOUR) return t.ago(t.minutes(Math.floor(ms / MINUTE)));
  if (ms < DAY) return t.ago(t.hours(Math.floor(ms / HOUR)));
  return t.ago(t.days(Math.floor(ms / DAY)));
}

/** Local wall-clock time "14:03"; with the date ("18 Nov 14:03") when it is not today. */
export function formatClock(iso: string, now: Date, lang: Lang): string {
  const d = new Date(iso);
  const hhmm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  const sameDay =
    d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? hhmm : `${formatDay(iso, lang)} ${hhmm}`;
}

/** "18 Nov" / "11月18日". */
export function formatDay(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (lang === 'zh-CN') return `${d.getMonth() + 1}月${d.getDate()}日`;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()];
  return `${d.getDate()} ${month}`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Binary units, three significant digits at most: "312 MiB", "1.1 TiB", "418 GiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const text = value >= 100 ? Math.round(value).toString() : value >= 10 ? value.toFixed(0) : value.toFixed(1);
  return `${text.replace(/\.0$/, '')} ${UNITS[unit]}`;
}

export function formatPercent(fraction: number): string {
  return `${Math.floor(Math.max(0, Math.min(1, fraction)) * 100)}%`;
}

// restic prints times as RFC 3339 with up to nine fraction digits and the local offset
// ("2026-11-25T10:00:00.123456789+01:00"). The history index keeps an mtime as two small integers (epoch
// milliseconds and the nanoseconds below them) so that two versions compare exactly and the row stays small.
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/;

export interface ExactTime {
  ms: number;
  /** Nanoseconds below the millisecond, 0..999999. */
  ns: number;
}

/** null for a missing or unreadable time (the version is then compared without it). */
export function parseResticTime(text: string | null): ExactTime | null {
  if (!text) return null;
  const m = RFC3339.exec(text);
  if (!m) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : { ms, ns: 0 };
  }
  const whole = Date.parse(m[1]! + m[3]!);
  if (Number.isNaN(whole)) return null;
  const fraction = (m[2] ?? '').slice(0, 9).padEnd(9, '0');
  const nanos = Number(fraction);
  return { ms: whole + Math.floor(nanos / 1e6), ns: nanos % 1e6 };
}

/** The UTC form, with all nine digits when there are nanoseconds below the millisecond. */
export function formatExactTime(ms: number | null, ns: number | null): string | null {
  if (ms === null) return null;
  const iso = new Date(ms).toISOString(); // "...T10:00:00.123Z"
  if (!ns) return iso;
  return `${iso.slice(0, -1)}${String(ns).padStart(6, '0')}Z`;
}

// Axis ticks read well: every tick step of a unit formats to its own label (no "1 s, 1 s" or "977 KiB"), and time
// labels switch from clock to day once the points span more than about a day.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration } from '../../../format/format.js';
import { translate, type Translate } from '../../../i18n/index.js';
import { TICKS, timeAxisLabel, withoutRepeats } from './chart-format.js';

const t: Translate = (key, vars) => translate('en', key, vars);

describe('chart ticks', () => {
  it.each([
    { unit: 'seconds', steps: TICKS.seconds, format: (v: number) => formatDuration(v, t) },
    { unit: 'bytes', steps: TICKS.bytes.filter((b) => b >= 1024), format: formatBytes },
    { unit: 'count', steps: TICKS.count.slice(0, 12), format: (v: number) => formatCount(v, 'en') },
  ])('$unit: the first four multiples of each step have four different labels', ({ steps, format }) => {
    for (const step of steps) {
      const labels = [1, 2, 3, 4].map((k) => format(k * step));
      expect(new Set(labels).size, `${step}: ${labels.join(', ')}`).toBe(4);
    }
  });

  it('byte steps are binary: 512 KiB and 1 MiB, not 977 KiB', () => {
    expect(formatBytes(TICKS.bytes.find((b) => b >= 1_000_000)!)).toBe('1 MiB');
    expect(TICKS.bytes).toContain(512 * 1024);
  });

  it.each([
    { spanHours: 5, looksLike: /^\d\d:\d\d$/ },
    { spanHours: 72, looksLike: /^(\d{1,2} \w{3}|\w{3} \d{1,2})$/ },
  ])('a span of $spanHours h labels ticks like $looksLike', ({ spanHours, looksLike }) => {
    const label = timeAxisLabel(spanHours * 3_600_000, 'en');
    expect(label(new Date(2026, 10, 25, 14, 3).getTime())).toMatch(looksLike);
  });
});

describe('x tick labels', () => {
  it('leave a label that repeats the one before it blank (runs within one minute)', () => {
    expect(withoutRepeats(['14:31', '14:31', '14:31', '14:32', '14:31'])).toEqual(['14:31', '', '', '14:32', '14:31']);
    expect(withoutRepeats(['', ''])).toEqual(['', '']);
  });
});

import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/index.js';
import { formatBytes, formatClock, formatDuration, formatPercent, formatRelative } from './format.js';

const t = (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate('en', k, v);
const GiB = 1024 ** 3;

describe('format', () => {
  it('bytes in binary units with three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(418 * GiB)).toBe('418 GiB');
    expect(formatBytes(18.3 * GiB)).toBe('18.3 GiB');
    expect(formatBytes(1.1 * 1024 * GiB)).toBe('1.1 TiB');
    expect(formatBytes(1023.97 * 1024 ** 2)).toBe('1 GiB');
    expect(formatBytes(null)).toBe('–');
  });

  it('relative ages and durations', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(formatRelative('2026-11-25T10:00:00Z', t, now)).toBe('2 h ago');
    expect(formatRelative('2026-11-25T11:59:30Z', t, now)).toBe('just now');
    expect(formatRelative('2026-11-25T12:05:00Z', t, now)).toBe('in 5 min');
    expect(formatRelative('2026-11-20T12:00:00Z', t, now)).toBe('5 d ago');
    expect(formatDuration(42, t)).toBe('42 s');
    expect(formatDuration(360, t)).toBe('6 min');
    expect(formatDuration(3 * 3600 + 5 * 60, t)).toBe('3 h 5 min');
  });

  it('clock times in local time, 24-hour, with the date when not today', () => {
    const at = new Date(2026, 10, 25, 14, 3);
    expect(formatClock(at.toISOString(), 'en', new Date(2026, 10, 25, 18, 0))).toBe('14:03');
    expect(formatClock(at.toISOString(), 'en', new Date(2026, 10, 27, 9, 0))).toMatch(/Nov.*14:03/);
  });

  it('percent floors, so 99.9% never reads as done', () => {
    expect(formatPercent(0.999)).toBe('99');
    expect(formatPercent(0.42)).toBe('42');
  });
});

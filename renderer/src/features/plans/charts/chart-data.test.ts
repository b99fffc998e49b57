// The data behind the plan charts, without a canvas: runs for the bars, a cell per day for the 90-day strip,
// and the repository's size over time.
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../../../main/common/index.js';
import { dailyStrip, repoSizePoints, runPoints, stripTotals } from './chart-data.js';

let nextId = 1;
function op(patch: Partial<Operation>): Operation {
  return {
    id: nextId++, kind: 'backup', trigger: 'schedule', planId: 'home', repoId: 'nas', status: 'success',
    createdAt: '2026-11-20T10:00:00.000Z', startedAt: '2026-11-20T10:00:00.000Z', endedAt: '2026-11-20T10:04:00.000Z',
    snapshotId: null, error: null, progress: null, summary: null, stalledSince: null, stall: null, itemErrors: [],
    retryOf: null, ownerPid: null, ownerStartedAt: null, resticPid: null, params: null, ...patch,
  };
}
/** Local noon of the day `daysAgo` before `now`, as ISO (local, so the day is unambiguous in any time zone). */
function localNoon(now: Date, daysAgo: number): string {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysAgo, 12).toISOString();
}

describe('runPoints', () => {
  it('finished backups oldest to newest, with duration, data added and files; live ones left out', () => {
    const ops = [
      op({ status: 'running', endedAt: null }),
      op({ startedAt: '2026-11-21T10:00:00.000Z', endedAt: '2026-11-21T10:01:30.000Z', summary: { dataAdded: 2048, totalFilesProcessed: 12 } }),
      op({ status: 'error', summary: null }),
    ];
    const points = runPoints(ops, 30);
    expect(points.map((p) => [p.status, p.durationSeconds, p.dataAdded, p.files])).toEqual([
      ['error', 240, null, null],
      ['success', 90, 2048, 12],
    ]);
  });

  it('keeps only the newest `limit` runs', () => {
    const ops = Array.from({ length: 40 }, (_, i) => op({ id: 100 - i }));
    expect(runPoints(ops, 30).map((p) => p.opId)).toEqual(Array.from({ length: 30 }, (_, i) => 71 + i));
  });
});

describe('dailyStrip', () => {
  const now = new Date(2026, 11, 1, 15, 0);
  it('has one cell per day, the last one today, oldest first', () => {
    const cells = dailyStrip([], now, 90);
    expect(cells).toHaveLength(90);
    expect(new Date(cells[89]!.day).getDate()).toBe(1);
    expect(new Date(cells[0]!.day)).toEqual(new Date(2026, 8, 3));
    expect(cells.every((c) => c.result === 'none')).toBe(true);
  });

  it.each([
    { statuses: ['success'], result: 'success' },
    { statuses: ['success', 'warning'], result: 'warning' },
    { statuses: ['error', 'success'], result: 'error' },
    { statuses: ['interrupted'], result: 'error' },
    { statuses: ['cancelled'], result: 'none' },
    { statuses: ['warning', 'cancelled', 'success'], result: 'warning' },
  ] as const)('a day with $statuses shows $result', ({ statuses, result }) => {
    const at = localNoon(now, 3);
    const ops = statuses.map((status) => op({ status, startedAt: at, createdAt: at, endedAt: at }));
    const cell = dailyStrip(ops, now, 90)[86]!;
    expect(cell.result).toBe(result);
    expect(cell.counts.success + cell.counts.warning + cell.counts.error).toBe(statuses.filter((s) => s !== 'cancelled').length);
  });

  it('runs older than the strip and live runs are not counted; totals add up to the days', () => {
    const ops = [
      op({ startedAt: localNoon(now, 120), endedAt: localNoon(now, 120) }),
      op({ status: 'running', startedAt: localNoon(now, 0), endedAt: null }),
      op({ startedAt: localNoon(now, 0), endedAt: localNoon(now, 0) }),
      op({ status: 'error', startedAt: localNoon(now, 1), endedAt: localNoon(now, 1) }),
    ];
    const totals = stripTotals(dailyStrip(ops, now, 90));
    expect(totals).toEqual({ success: 1, warning: 0, error: 1, none: 88 });
  });
});

describe('repoSizePoints', () => {
  it('the size after each successful statistics run, oldest first; failed runs and runs without a size left out', () => {
    const stats = (endedAt: string, totalSize: number | null, status: Operation['status'] = 'success') =>
      op({ kind: 'stats', status, endedAt, summary: { totalSize, totalUncompressedSize: null, totalBlobCount: null, snapshotsCount: null, compressionRatio: null } });
    const points = repoSizePoints([
      stats('2026-11-22T10:00:00.000Z', 3000),
      stats('2026-11-21T10:00:00.000Z', 9999, 'error'),
      stats('2026-11-20T10:00:00.000Z', null),
      stats('2026-11-19T10:00:00.000Z', 1000),
    ]);
    expect(points.map((p) => p.bytes)).toEqual([1000, 3000]);
  });
});

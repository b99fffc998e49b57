// The data behind a plan's charts, shaped as pure functions (tested without a canvas): runs oldest to newest for
// the bar charts, one cell per local day for the 90-day strip, and the repository's size over time. Each takes
// one kind's list from ops.list, which filters by kind, so the summaries are that kind's.
import type { BackupSummary, Operation, OpStatus, StatsSummary } from '../../../../../main/common/index.js';
import { secondsBetween } from '../../../format/format.js';

/** One finished backup, as the bar charts plot it. */
export interface RunPoint {
  opId: number;
  /** When it started (its creation if it never started), ms since the epoch. */
  at: number;
  status: OpStatus;
  durationSeconds: number | null;
  dataAdded: number | null;
  /** Files restic looked at (new, changed and unmodified). */
  files: number | null;
}

/** The finished ones among a plan's backups (ops.list, kind backup, newest first), oldest to newest, at most `limit`. */
export function runPoints(ops: readonly Operation[], limit: number): RunPoint[] {
  return ops
    .filter((o) => o.endedAt)
    .slice(0, limit)
    .reverse()
    .map((o) => {
      const s = o.summary as BackupSummary | null;
      return {
        opId: o.id,
        at: new Date(o.startedAt ?? o.createdAt).getTime(),
        status: o.status,
        durationSeconds: secondsBetween(o.startedAt, o.endedAt),
        dataAdded: typeof s?.dataAdded === 'number' ? s.dataAdded : null,
        files: typeof s?.totalFilesProcessed === 'number' ? s.totalFilesProcessed : null,
      };
    });
}

export type DayResult = 'success' | 'warning' | 'error' | 'none';

export interface DayCell {
  /** Local midnight of the day, ms since the epoch. */
  day: number;
  result: DayResult;
  counts: { success: number; warning: number; error: number };
}

/** A day shows its worst result: a failure that day is worth seeing even if a later run succeeded. */
const RANK: Record<DayResult, number> = { none: 0, success: 1, warning: 2, error: 3 };

function resultOf(status: OpStatus): Exclude<DayResult, 'none'> | null {
  if (status === 'success') return 'success';
  if (status === 'warning') return 'warning';
  if (status === 'error' || status === 'interrupted') return 'error';
  return null; // cancelled by a person, or still live: says nothing about the backups' health
}

function localMidnight(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** `days` cells, oldest first, the last one today (local time): each day's worst backup result, or none. `ops` are
 * a plan's backups (ops.list, kind backup). */
export function dailyStrip(ops: readonly Operation[], now: Date, days = 90): DayCell[] {
  const today = localMidnight(now.getTime());
  const cells: DayCell[] = [];
  const index = new Map<number, DayCell>();
  for (let i = days - 1; i >= 0; i--) {
    // Step by calendar days, not 24 h, so a daylight-saving change does not skip or repeat a day.
    const d = new Date(today);
    d.setDate(d.getDate() - i);
    const cell: DayCell = { day: d.getTime(), result: 'none', counts: { success: 0, warning: 0, error: 0 } };
    cells.push(cell);
    index.set(cell.day, cell);
  }
  for (const op of ops) {
    if (!op.endedAt) continue;
    const result = resultOf(op.status);
    const cell = index.get(localMidnight(new Date(op.startedAt ?? op.createdAt).getTime()));
    if (!result || !cell) continue;
    cell.counts[result]++;
    if (RANK[result] > RANK[cell.result]) cell.result = result;
  }
  return cells;
}

export function stripTotals(cells: readonly DayCell[]): Record<DayResult, number> {
  const totals: Record<DayResult, number> = { success: 0, warning: 0, error: 0, none: 0 };
  for (const c of cells) totals[c.result]++;
  return totals;
}

export interface SizePoint {
  at: number;
  bytes: number;
}

/**
 * The repository's size (restic stats raw-data) after each successful statistics run, oldest to newest. `ops` are
 * the repository's statistics runs (ops.list, kind stats).
 */
export function repoSizePoints(ops: readonly Operation[]): SizePoint[] {
  const points: SizePoint[] = [];
  for (const op of ops) {
    if (op.status !== 'success' || !op.endedAt) continue;
    const size = (op.summary as StatsSummary | null)?.totalSize;
    if (typeof size === 'number') points.push({ at: new Date(op.endedAt).getTime(), bytes: size });
  }
  return points.sort((a, b) => a.at - b.at);
}

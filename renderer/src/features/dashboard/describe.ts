// The words of a running or stalled operation, as plain functions of the state (tested without React).
import type { CancelStage, Progress, RunningOp } from '../../../../main/common/index.js';
import { formatBytes, formatClock, formatCount, formatDuration, formatPercent } from '../../format/format.js';
import type { Language, Translate } from '../../i18n/index.js';

/** Below this much CPU since the last progress, restic is waiting on something rather than working. */
const IDLE_CPU_SECONDS = 1;

export interface ProgressParts {
  percent: string | null;
  bytes: string | null;
  files: string | null;
  rate: string | null;
  eta: string | null;
  currentFile: string | null;
}

export function describeProgress(p: Progress | null, t: Translate, language: Language): ProgressParts {
  if (!p) return { percent: null, bytes: null, files: null, rate: null, eta: null, currentFile: null };
  const bytes =
    p.bytesDone != null && p.totalBytes
      ? t('dashboard.bytesOf', { done: formatBytes(p.bytesDone), total: formatBytes(p.totalBytes) })
      : p.bytesDone != null
        ? formatBytes(p.bytesDone)
        : null;
  const files =
    p.filesDone != null && p.totalFiles
      ? t('dashboard.files', { done: formatCount(p.filesDone, language), total: formatCount(p.totalFiles, language) })
      : p.filesDone != null
        ? t('dashboard.filesDone', { done: formatCount(p.filesDone, language) })
        : null;
  return {
    percent: p.percent != null ? t('dashboard.percent', { percent: formatPercent(p.percent) }) : null,
    bytes,
    files,
    rate: p.bytesPerSecond ? t('dashboard.rate', { rate: formatBytes(p.bytesPerSecond) }) : null,
    // restic 0.14 sends nonsense estimates early; hide anything under a second or above a month.
    eta:
      p.etaSeconds != null && p.etaSeconds > 0 && p.etaSeconds < 30 * 86400
        ? t('dashboard.eta', { eta: formatDuration(p.etaSeconds, t) })
        : null,
    currentFile: p.currentFiles && p.currentFiles.length > 0 ? p.currentFiles[0]! : null,
  };
}

/**
 * What a live operation is doing, as the window shows it, from the engine's state alone:
 * - `cancelling`: the engine confirmed the cancel (status `cancelling`, with the stage it reached);
 * - `waiting`: running, but no forward progress for a few seconds (`waitingSince`);
 * - otherwise the engine's status.
 */
export type LivePhase = 'queued' | 'running' | 'waiting' | 'stalled' | 'cancelling';

export interface LiveDisplay {
  phase: LivePhase;
  /** Seconds since `waitingSince` (phase `waiting`). */
  waitingSeconds: number | null;
  /** The cancel's stage and seconds since it was asked for (phase `cancelling`). */
  cancel: { stage: CancelStage; seconds: number } | null;
  /** Rate and ETA only while the engine says it moves: never from numbers that stopped (waiting, stalled, cancelling). */
  showRateAndEta: boolean;
  /** Which buttons: a confirmed cancel offers none; a requested one shows a disabled "Cancelling…". */
  actions: 'cancel' | 'cancel-or-wait' | 'cancel-pending' | 'none';
}

function secondsSince(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const then = new Date(iso).getTime();
  return Number.isFinite(then) ? Math.max(0, Math.floor((now - then) / 1000)) : null;
}

export function liveDisplay(op: RunningOp, cancelRequested: boolean, now: number = Date.now()): LiveDisplay {
  if (op.status === 'cancelling') {
    const stage = op.cancel?.stage ?? 'interrupt';
    return {
      phase: 'cancelling',
      waitingSeconds: null,
      cancel: { stage, seconds: secondsSince(op.cancel?.requestedAt, now) ?? 0 },
      showRateAndEta: false,
      actions: 'none',
    };
  }
  const waiting = op.status === 'running' && !!op.waitingSince;
  const phase: LivePhase = waiting ? 'waiting' : op.status;
  const actions = cancelRequested ? 'cancel-pending' : op.status === 'stalled' ? 'cancel-or-wait' : 'cancel';
  return {
    phase,
    waitingSeconds: waiting ? secondsSince(op.waitingSince, now) : null,
    cancel: null,
    showRateAndEta: phase === 'running',
    actions,
  };
}

/** "Cancelling… asking restic to stop (4 s)". */
export function describeCancel(cancel: NonNullable<LiveDisplay['cancel']>, t: Translate): string {
  return t(`dashboard.cancel.${cancel.stage}`, { seconds: cancel.seconds });
}

/** "No progress since 14:03 at 418 GiB of 1.1 TiB; restic idle". */
export function describeStall(
  op: Pick<RunningOp, 'stall' | 'stalledSince' | 'progress'>,
  t: Translate,
  language: Language,
  now: Date = new Date(),
): string | null {
  const since = op.stall?.since ?? op.stalledSince;
  if (!since) return null;
  const done = op.stall?.bytesDone ?? op.progress?.bytesDone ?? 0;
  const total = op.progress?.totalBytes;
  const cpuSince = op.stall?.cpuSecondsSinceProgress ?? null;
  const cpu =
    cpuSince == null
      ? t('dashboard.stall.cpuUnknown')
      : cpuSince < IDLE_CPU_SECONDS
        ? t('dashboard.stall.idle')
        : t('dashboard.stall.busy', { seconds: Math.round(cpuSince) });
  const vars = { time: formatClock(since, language, now), done: formatBytes(done), cpu };
  return total ? t('dashboard.stall', { ...vars, total: formatBytes(total) }) : t('dashboard.stallNoTotal', vars);
}

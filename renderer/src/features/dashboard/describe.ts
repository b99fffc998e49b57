// The words of a running or stalled operation, as plain functions of the snapshot (tested without React).
import type { Progress, RunningOp } from '../../../../main/common/index.js';
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

/** "No progress since 14:03 at 418 GiB of 1.1 TiB; restic idle". */
export function describeStall(op: RunningOp, t: Translate, language: Language, now: Date = new Date()): string | null {
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

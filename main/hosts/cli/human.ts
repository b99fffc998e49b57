// Words for a person at a terminal (without --json): one progress line at a time on stderr, the outcome on stdout.
import type { CliEvent } from './follow.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '?';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${UNITS[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

export function humanLine(event: CliEvent): { stream: 'stdout' | 'stderr'; text: string } | null {
  switch (event.type) {
    case 'queued':
      return { stream: 'stderr', text: `Backup ${event.opId} queued.` };
    case 'started':
      return { stream: 'stderr', text: `Backup ${event.opId} started.` };
    case 'progress': {
      const p = event.progress;
      const percent = p.percent !== undefined ? `${Math.floor(p.percent * 100)}%` : '';
      const eta = p.etaSeconds ? `, ETA ${formatDuration(p.etaSeconds)}` : '';
      return {
        stream: 'stderr',
        text: `${percent} ${formatBytes(p.bytesDone ?? 0)} of ${formatBytes(p.totalBytes)}, files ${p.filesDone ?? 0} of ${p.totalFiles ?? '?'}${eta}`.trim(),
      };
    }
    case 'stalled':
      return {
        stream: 'stderr',
        text: `Stalled: no progress since ${event.stalledSince ?? '?'} at ${formatBytes(event.stall?.bytesDone)}${
          event.stall?.cpuSecondsSinceProgress !== null && event.stall?.cpuSecondsSinceProgress !== undefined && event.stall.cpuSecondsSinceProgress < 0.5
            ? '; restic is idle (the backend may not be answering)'
            : ''
        }. Press Ctrl-C to cancel.`,
      };
    case 'resumed':
      return { stream: 'stderr', text: 'Moving again.' };
    case 'cancelling':
      return {
        stream: 'stderr',
        text:
          event.stage === 'terminate' || event.stage === 'kill'
            ? `Cancelling: restic did not stop when asked; forcing it (${event.stage === 'kill' ? 'SIGKILL' : 'SIGTERM'}).`
            : 'Cancelling: asked restic to stop...',
      };
    case 'finished': {
      if (event.status === 'success' || event.status === 'warning') {
        const summary = event.summary;
        const added = summary && 'dataAdded' in summary && typeof summary.dataAdded === 'number' ? summary.dataAdded : null;
        const warn = event.status === 'warning' ? ` with warnings: ${event.error?.message ?? ''}` : '';
        // A saved backup always has its snapshot id; words are only said about what is known.
        const facts = [event.snapshotId ? `snapshot ${event.snapshotId}` : null, added !== null ? `${formatBytes(added)} added` : null]
          .filter(Boolean)
          .join(', ');
        return { stream: 'stdout', text: `Backup finished${warn}${facts ? `: ${facts}` : ''}.` };
      }
      if (event.status === 'cancelled') return { stream: 'stderr', text: 'Backup cancelled.' };
      return { stream: 'stderr', text: `Backup failed: ${event.error?.message ?? event.status}` };
    }
  }
}

// Every way a backup can end, decided in one place (issue 10, item 1). `success` and `warning` mean "a snapshot was
// saved", so they need a snapshot id that looks like restic's (8 hex in 0.14, 64 later). restic can exit 0 or 3
// without one (no summary, garbage output, a summary without snapshot_id, a cancel that landed at the end): that is
// an `error` NO_SNAPSHOT carrying restic's last words, or `cancelled` when someone asked it to stop.
// Pure: the same facts always give the same result (see backup-outcome.test.ts for the table).
import type { BackupSummary, OpError } from '../../common/index.js';
import type { ResticVersion } from '../restic/binary.js';
import { classifyResticExit, stripTerminalCodes } from '../restic/errors.js';
import { redactSecrets, redactUri } from '../restic/redact.js';
import type { CancelReason } from '../supervisor/restic-process.js';
import { cancelledError } from './cancelled-error.js';
import type { TaskResult } from './task.js';

/** A restic snapshot id as restic prints it: 8 lowercase hex (0.14 short id) or 64 (the full id). */
const SNAPSHOT_ID = /^(?:[0-9a-f]{8}|[0-9a-f]{64})$/;

export function isResticSnapshotId(id: unknown): id is string {
  return typeof id === 'string' && SNAPSHOT_ID.test(id);
}

/** How much of restic's last words an operation keeps (error.detail). */
export const LAST_WORDS_MAX_CHARS = 2000;
const LAST_WORDS_STDERR_LINES = 6;

export interface BackupEnd {
  exitCode: number | null;
  signal: string | null;
  stderrTail: readonly string[];
  /** stdout lines that were not restic's JSON status lines (text, garbage). */
  stdoutTail: readonly string[];
  exitError: { code: number; message: string } | null;
  /** restic's `summary`, camelCased, or null when it printed none. */
  summary: BackupSummary | null;
  /** `snapshot_id` from the summary, as restic printed it (may be absent or not an id at all). */
  snapshotId: string | null;
  /** restic did not exit even after SIGKILL. */
  abandoned: boolean;
  version: Pick<ResticVersion, 'major' | 'minor' | 'patch'> | null;
  /** Who asked the backup to stop, if anyone. */
  cancelReason: CancelReason | null;
  secrets: readonly string[];
}

/** A backup's result: its summary is a backup's. */
export type BackupTaskResult = TaskResult & { summary?: BackupSummary | null };

export function decideBackupOutcome(end: BackupEnd): BackupTaskResult {
  const classified = classifyResticExit({
    exitCode: end.exitCode,
    signal: end.signal,
    stderrTail: [...end.stderrTail],
    exitError: end.exitError,
    version: end.version,
    kind: 'backup',
    cancelRequested: end.cancelReason !== null,
    secrets: end.secrets,
  });
  const snapshotId = isResticSnapshotId(end.snapshotId) ? end.snapshotId : null;
  const summary = cleanSummary(end.summary, snapshotId);
  const savedByExit = classified.status === 'success' || classified.status === 'warning';

  if (savedByExit && snapshotId) {
    // Also after a cancel: restic finished before it heard us, and the snapshot is there.
    return { status: classified.status, error: classified.error, summary, snapshotId };
  }
  if (end.cancelReason !== null) {
    // A snapshot id on a cancelled backup (restic saved it, then was stopped) is kept: that snapshot exists.
    return { status: 'cancelled', error: cancelledError(end.cancelReason, end.abandoned), summary, snapshotId };
  }
  if (savedByExit) {
    return { status: 'error', error: noSnapshotError(end), summary, snapshotId: null };
  }
  return { status: classified.status, error: classified.error, summary, snapshotId };
}

function noSnapshotError(end: BackupEnd): OpError {
  const exit = end.exitCode === null ? 'without an exit code' : `with exit code ${end.exitCode}`;
  const why =
    end.summary === null
      ? 'it printed no summary'
      : end.snapshotId === null || end.snapshotId === ''
        ? 'its summary names no snapshot'
        : `its summary names no valid snapshot id (${JSON.stringify(clip(redactSecrets(end.snapshotId, end.secrets), 40))})`;
  return {
    code: 'NO_SNAPSHOT',
    message: `restic ended ${exit} without saving a snapshot (${why}). Nothing was backed up by this run.`,
    detail: lastWords(end),
  };
}

/** restic's last words: the end of stderr and what it printed on stdout besides JSON, redacted and bounded. */
export function lastWords(end: Pick<BackupEnd, 'stderrTail' | 'stdoutTail' | 'exitError' | 'secrets'>): string | null {
  const clean = (line: string) => stripTerminalCodes(line).trimEnd();
  const stderr = end.stderrTail.map(clean).filter((l) => l.trim() !== '').slice(-LAST_WORDS_STDERR_LINES);
  const stdout = end.stdoutTail.map(clean).filter((l) => l.trim() !== '');
  const lines = [...stdout.map((l) => `stdout: ${l}`), ...stderr.map((l) => `stderr: ${l}`)];
  if (end.exitError?.message) lines.push(`exit_error: ${end.exitError.message}`);
  if (lines.length === 0) return 'restic printed nothing else.';
  const text = redactUri(redactSecrets(lines.join('\n'), end.secrets));
  // The end of it is what matters most: keep the tail.
  return text.length > LAST_WORDS_MAX_CHARS ? `…${text.slice(text.length - LAST_WORDS_MAX_CHARS + 1)}` : text;
}

/** The summary as stored: an id that is not one is not passed on as one. */
function cleanSummary(summary: BackupSummary | null, snapshotId: string | null): BackupSummary | null {
  if (!summary) return null;
  if (summary.snapshotId === undefined || summary.snapshotId === snapshotId) return summary;
  const { snapshotId: _invalid, ...rest } = summary;
  return rest;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

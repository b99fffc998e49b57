// One line of restic output -> one normalised ResticMessage (messages.ts). Handles restic 0.14 through 0.19:
// - backup `status` (fields omitted when zero; 0.14 sends absurd `seconds_remaining` early; 0.14 may send the
//   scan-finished line as `status` with an `action`), `verbose_status`, `summary` (snapshot_id 8 hex in 0.14,
//   64 later, absent when nothing was saved);
// - `error`, whose `error` is a serialised Go error object up to 0.17.0 and `{message}` after;
// - `exit_error` (0.18+); restore `status` / `summary` (0.16+), which reuse the backup message types;
// - anything that is not JSON -> `text`, JSON of an unknown shape -> `unknown`.
// It is on the hot path (>= 200,000 lines/s): one JSON.parse, a switch, no regular expressions.
import type { BackupSummary, OpKind, Progress } from '../../common/index.js';
import type { ResticMessage } from './messages.js';

export interface ParseHint {
  /** The operation being run: `restore` makes `status`/`summary` lines read as restore messages. */
  kind?: OpKind;
}

/** Beyond this an ETA is noise (0.14 prints garbage before it knows the totals). */
const MAX_PLAUSIBLE_ETA_SECONDS = 366 * 24 * 3600;

const OPEN_BRACE = 0x7b; // {
const OPEN_BRACKET = 0x5b; // [

type Json = Record<string, unknown>;

export function parseResticLine(text: string, hint?: ParseHint): ResticMessage {
  const first = text.charCodeAt(0);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) return { type: 'text', text };
  if (hint?.kind === 'copy' && first === OPEN_BRACKET) {
    const packs = copyPacksStatus(text);
    if (packs) return packs;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { type: 'text', text };
  }
  if (value === null || typeof value !== 'object') return { type: 'text', text };
  // `snapshots --json`, `forget --json` and friends print one JSON array: keep it whole for the caller.
  if (Array.isArray(value)) return { type: 'unknown', raw: { value } };
  const msg = value as Json;
  switch (msg.message_type) {
    case 'status':
      if (hint?.kind === 'restore' || isRestoreShaped(msg)) return { type: 'restore_status', progress: restoreProgress(msg) };
      return backupStatus(msg);
    case 'summary':
      if (hint?.kind === 'restore' || isRestoreShaped(msg)) return { type: 'restore_summary', summary: camelCaseNumbers(msg) };
      return backupSummary(msg);
    case 'verbose_status':
      return {
        type: 'verbose_status',
        action: str(msg.action) ?? '',
        item: str(msg.item),
        ...optionalNumber('dataSize', msg.data_size ?? msg.size),
      };
    case 'error':
      return {
        type: 'error',
        message: goErrorText(msg.error) ?? fallbackErrorText(msg),
        during: str(msg.during),
        item: str(msg.item),
      };
    case 'exit_error':
      return { type: 'exit_error', code: num(msg.code) ?? 1, message: str(msg.message) ?? '' };
    default:
      return { type: 'unknown', raw: msg };
  }
}

/** `restic copy` has no JSON; its progress line is "[0:03] 40.00%  2 / 5 packs copied" (packs count as files). */
const COPY_PACKS_LINE = /^\[[\d:]+\]\s+([\d.]+)%\s+(\d+)\s*\/\s*(\d+) packs copied/;

function copyPacksStatus(text: string): ResticMessage | null {
  const m = COPY_PACKS_LINE.exec(text);
  if (!m) return null;
  return { type: 'status', progress: { percent: Number(m[1]) / 100, filesDone: Number(m[2]), totalFiles: Number(m[3]) } };
}

function isRestoreShaped(msg: Json): boolean {
  return msg.files_restored !== undefined || msg.bytes_restored !== undefined || msg.files_skipped !== undefined;
}

function backupStatus(msg: Json): ResticMessage {
  const action = str(msg.action);
  if (action !== null) return scanFinishedStatus(msg, action);
  const progress: Progress = {};
  const percent = num(msg.percent_done);
  if (percent !== undefined) progress.percent = percent;
  // restic omits zero counters: an absent `bytes_done` is 0, not unknown.
  progress.bytesDone = num(msg.bytes_done) ?? 0;
  progress.filesDone = num(msg.files_done) ?? 0;
  const totalBytes = num(msg.total_bytes);
  if (totalBytes !== undefined) progress.totalBytes = totalBytes;
  const totalFiles = num(msg.total_files);
  if (totalFiles !== undefined) progress.totalFiles = totalFiles;
  progress.etaSeconds = plausibleEta(msg.seconds_remaining, percent);
  const current = msg.current_files;
  if (Array.isArray(current)) progress.currentFiles = current.filter((f): f is string => typeof f === 'string');
  return { type: 'status', progress };
}

/**
 * restic 0.14 sends the end of the scan as `{"message_type":"status","action":"scan_finished","data_size":N,
 * "total_files":M,...}`: it carries the totals only. Its progress has no bytesDone/filesDone, so that a caller
 * merging it never moves progress backwards.
 */
function scanFinishedStatus(msg: Json, action: string): ResticMessage {
  const progress: Progress = {};
  const totalBytes = num(msg.data_size) ?? num(msg.total_bytes);
  if (totalBytes !== undefined) progress.totalBytes = totalBytes;
  const totalFiles = num(msg.total_files);
  if (totalFiles !== undefined) progress.totalFiles = totalFiles;
  return { type: 'status', progress, action };
}

function plausibleEta(raw: unknown, percent: number | undefined): number | null {
  const eta = num(raw);
  if (eta === undefined || eta < 0 || eta > MAX_PLAUSIBLE_ETA_SECONDS) return null;
  // Before any progress, restic's estimate is a division by (almost) zero.
  if (percent === undefined || percent <= 0) return null;
  return eta;
}

function restoreProgress(msg: Json): Progress {
  const progress: Progress = {
    // Skipped files count as done: restic's percent_done includes them.
    bytesDone: (num(msg.bytes_restored) ?? 0) + (num(msg.bytes_skipped) ?? 0),
    filesDone: (num(msg.files_restored) ?? 0) + (num(msg.files_skipped) ?? 0),
  };
  const percent = num(msg.percent_done);
  if (percent !== undefined) progress.percent = percent;
  const totalBytes = num(msg.total_bytes);
  if (totalBytes !== undefined) progress.totalBytes = totalBytes;
  const totalFiles = num(msg.total_files);
  if (totalFiles !== undefined) progress.totalFiles = totalFiles;
  progress.etaSeconds = plausibleEta(msg.seconds_remaining, percent);
  return progress;
}

const SUMMARY_FIELDS: ReadonlyArray<[string, keyof BackupSummary]> = [
  ['files_new', 'filesNew'],
  ['files_changed', 'filesChanged'],
  ['files_unmodified', 'filesUnmodified'],
  ['dirs_new', 'dirsNew'],
  ['dirs_changed', 'dirsChanged'],
  ['dirs_unmodified', 'dirsUnmodified'],
  ['data_blobs', 'dataBlobs'],
  ['tree_blobs', 'treeBlobs'],
  ['data_added', 'dataAdded'],
  ['total_files_processed', 'totalFilesProcessed'],
  ['total_bytes_processed', 'totalBytesProcessed'],
  ['total_duration', 'totalDuration'],
];

function backupSummary(msg: Json): ResticMessage {
  const summary: BackupSummary = {};
  for (const [from, to] of SUMMARY_FIELDS) {
    const value = num(msg[from]);
    if (value !== undefined) (summary as Record<string, number>)[to] = value;
  }
  const snapshotId = str(msg.snapshot_id);
  if (snapshotId) summary.snapshotId = snapshotId;
  const result: ResticMessage = { type: 'summary', summary, snapshotId: snapshotId || null };
  if (msg.dry_run === true) result.dryRun = true;
  return result;
}

/** restic's snake_case keys -> camelCase, for messages we pass on without a fixed shape. */
function camelCaseNumbers(msg: Json): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(msg)) {
    if (key === 'message_type') continue;
    out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = msg[key];
  }
  return out;
}

function fallbackErrorText(msg: Json): string {
  const during = str(msg.during);
  const item = str(msg.item);
  if (during && item) return `error during ${during} of ${item}`;
  if (item) return `error with ${item}`;
  return during ? `error during ${during}` : 'unknown error';
}

/** Linux errno numbers as Go serialises a syscall.Errno inside an error object (0.14 - 0.17.0). */
const ERRNO_TEXT: Record<number, string> = {
  1: 'operation not permitted',
  2: 'no such file or directory',
  5: 'input/output error',
  6: 'no such device or address',
  12: 'cannot allocate memory',
  13: 'permission denied',
  16: 'device or resource busy',
  20: 'not a directory',
  21: 'is a directory',
  22: 'invalid argument',
  23: 'too many open files in system',
  24: 'too many open files',
  27: 'file too large',
  28: 'no space left on device',
  30: 'read-only file system',
  36: 'file name too long',
  40: 'too many levels of symbolic links',
  61: 'no data available',
  95: 'operation not supported',
  110: 'connection timed out',
  111: 'connection refused',
  113: 'no route to host',
  116: 'stale NFS file handle',
};

/**
 * Text of a serialised Go error. 0.17.1+ send `{message}`; older versions send the error struct's exported
 * fields, e.g. `{"Op":"open","Path":"/x","Err":13}` (an *fs.PathError), or `{}` when it has none.
 */
export function goErrorText(error: unknown, depth = 0): string | null {
  if (typeof error === 'string') return error || null;
  if (typeof error === 'number') return ERRNO_TEXT[error] ?? `system error ${error}`;
  if (error === null || typeof error !== 'object' || depth > 5) return null;
  const e = error as Json;
  const message = str(e.message) ?? str(e.Message);
  if (message) return message;
  const inner = goErrorText(e.Err ?? e.err, depth + 1);
  const op = str(e.Op);
  const subject = str(e.Path) ?? str(e.URL) ?? str(e.Name);
  const head = [op, subject].filter(Boolean).join(' ');
  if (head && inner) return `${head}: ${inner}`;
  return head || inner || null;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function optionalNumber<K extends string>(key: K, v: unknown): { [P in K]?: number } {
  const n = num(v);
  return (n === undefined ? {} : { [key]: n }) as { [P in K]?: number };
}

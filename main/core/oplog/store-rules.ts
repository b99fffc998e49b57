// Rules both OpStore implementations share, so that the SQLite store and the in-memory store cannot drift apart:
// paging limits, the per-operation log cap, and the errors a caller can see.
import { BackstayError } from '../../common/index.js';
import type { OpLogLine } from '../../common/index.js';

export const LIST_DEFAULT_LIMIT = 100;
export const LIST_MAX_LIMIT = 1000;

/**
 * Log lines kept per operation: the first LOG_HEAD_LINES (how it started: repository, version, the first
 * errors) and the last LOG_TAIL_LINES (how it ended). Lines in between are dropped as new ones arrive, so an
 * operation that prints millions of lines still costs at most HEAD + TAIL rows. `seq` keeps counting every
 * line ever appended, so a reader sees the dropped stretch as a gap between seq HEAD and the first tail seq.
 */
export const LOG_HEAD_LINES = 200;
export const LOG_TAIL_LINES = 2000;
export const LOG_MAX_LINES = LOG_HEAD_LINES + LOG_TAIL_LINES;
/** Longer lines are cut (restic's reader already caps lines; this bounds the bytes an op's log can take). */
export const LOG_MAX_LINE_CHARS = 8192;
export const LOG_TRUNCATION_MARK = ' …[line cut]';

export const LOG_STREAMS: readonly OpLogLine['stream'][] = ['stdout', 'stderr', 'backstay'];

/** `limit` for list(): default 100, at most 1000, never negative. */
export function clampListLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return LIST_DEFAULT_LIMIT;
  return Math.min(LIST_MAX_LIMIT, Math.max(0, Math.floor(limit)));
}

/** `limit` for readLog(): default and maximum are the whole capped log. */
export function clampLogLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return LOG_MAX_LINES;
  return Math.min(LOG_MAX_LINES, Math.max(0, Math.floor(limit)));
}

/** After appending line `seq`, the seq that falls out of the kept window, or null when none does. */
export function seqEvictedBy(seq: number): number | null {
  const evicted = seq - LOG_TAIL_LINES;
  return evicted > LOG_HEAD_LINES ? evicted : null;
}

export function clampLogText(text: string): string {
  if (text.length <= LOG_MAX_LINE_CHARS) return text;
  return text.slice(0, LOG_MAX_LINE_CHARS - LOG_TRUNCATION_MARK.length) + LOG_TRUNCATION_MARK;
}

export function assertLogStream(stream: string): asserts stream is OpLogLine['stream'] {
  if (!(LOG_STREAMS as readonly string[]).includes(stream)) {
    throw new BackstayError('BAD_PARAMS', `"${stream}" is not a log stream (stdout, stderr or backstay).`);
  }
}

export function unknownOperation(id: number): BackstayError {
  return new BackstayError('UNKNOWN_OPERATION', `There is no operation ${id} in the operation log.`);
}

export function storeClosed(): BackstayError {
  return new BackstayError('STORAGE_FAILED', 'The operation log is already closed.');
}

export function nowIso(): string {
  return new Date().toISOString();
}

// What an operation's end says about its repository: reachable and usable, locked, failing, or nothing new.
// Only what is about the repository counts: a backup whose source folder is missing, or whose command line was too
// long, says nothing about the repository, and a repository card (and the overall status) must not call the
// repository broken for it.
import type { ErrorCode, Operation, OpKind, RepoState } from '../../common/index.js';

export type RepoHealthPatch = Pick<RepoState, 'health' | 'lastError' | 'lastErrorCode'>;

/** Errors that are about the repository itself, whatever the operation was. */
const REPOSITORY_ERRORS: ReadonlySet<string> = new Set<ErrorCode>(['NO_REPOSITORY', 'WRONG_PASSWORD', 'NETWORK', 'INDEX_DAMAGED']);
/** Kinds whose whole job is the repository: any failure of theirs that restic reports is the repository's. */
const REPOSITORY_KINDS: ReadonlySet<OpKind> = new Set<OpKind>(['check', 'prune', 'repairIndex', 'unlock', 'stats']);
/** Failures of restic itself (not of its input) that count for a repository kind. */
const RESTIC_OUTCOMES: ReadonlySet<string> = new Set<ErrorCode>(['RESTIC_FAILED', 'RESTIC_KILLED']);

/** The repository's health after `op` ended, or null when the end says nothing about it. */
export function repoHealthAfter(op: Pick<Operation, 'kind' | 'status' | 'error'>): RepoHealthPatch | null {
  if (op.status === 'success' || op.status === 'warning') return { health: 'ok', lastError: null, lastErrorCode: null };
  const code = op.error?.code ?? null;
  if (code === 'REPOSITORY_LOCKED') return op.status === 'error' ? { health: 'locked', lastError: op.error?.message ?? null, lastErrorCode: code } : { health: 'locked', lastError: null, lastErrorCode: null };
  if (op.status !== 'error' || code === null) return null;
  if (REPOSITORY_ERRORS.has(code) || (REPOSITORY_KINDS.has(op.kind) && RESTIC_OUTCOMES.has(code))) {
    return { health: 'error', lastError: op.error?.message ?? null, lastErrorCode: code };
  }
  return null;
}

/**
 * The repository's health after a short command about it (creating it, testing the connection), which is no
 * operation: it answered, so the repository is there and opens (`null`), or it failed with `error`. Read like the end
 * of a check, whose whole job is the repository too.
 */
export function repoHealthAfterCommand(error: { code: string; message: string } | null): RepoHealthPatch | null {
  if (error === null) return { health: 'ok', lastError: null, lastErrorCode: null };
  return repoHealthAfter({ kind: 'check', status: 'error', error: { code: error.code as ErrorCode, message: error.message } });
}

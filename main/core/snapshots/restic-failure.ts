// Turns a failed read-only restic run (snapshots, ls, diff, ...) into a BackstayError. The classification is the one
// every operation uses (restic/errors.ts), so an unreachable server is NETWORK here exactly as it is for a backup or a
// check, and never "no repository" (restic 0.14 says "Is there a repository at the following location?" for both).
import { BackstayError, ERROR_CODES, type ErrorCode } from '../../common/errors.js';
import { classifyResticExit, classifySpawnFailure, type ResticCommandKind } from '../restic/errors.js';
import type { ResticRunResult } from './runner.js';

export function resticFailure(
  what: string,
  repoId: string,
  result: ResticRunResult,
  aborted = false,
  kind: ResticCommandKind = 'snapshots',
): BackstayError {
  const detail = result.stderrTail.join('\n').slice(-4000) || null;
  if (aborted) return new BackstayError('CANCELLED', `${what} was cancelled.`, detail);
  if (result.spawnError) {
    const error = classifySpawnFailure(result.spawnError, { binary: 'restic' });
    return new BackstayError(asErrorCode(error.code), error.message, error.detail ?? null);
  }
  const classified = classifyResticExit({
    exitCode: result.exitCode,
    signal: null,
    stderrTail: result.stderrTail,
    version: null,
    kind,
    cancelRequested: false,
  });
  const error = classified.error;
  if (!error || error.code === 'RESTIC_FAILED' || error.code === 'CANCELLED') {
    if (result.exitCode === null) return new BackstayError('RESTIC_KILLED', `restic stopped unexpectedly during ${what}.`, detail);
    return new BackstayError('RESTIC_FAILED', `restic failed during ${what} (exit code ${result.exitCode}).`, detail);
  }
  return new BackstayError(asErrorCode(error.code), `Repository ${repoId}: ${error.message}`, detail);
}

function asErrorCode(code: string): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'RESTIC_FAILED';
}

// Turns a failed restic run into a BackstayError with words a person understands. restic 0.14 exits 1 for
// almost everything, so the stderr text decides; newer exit codes are honoured when present.
import { BackstayError } from '../../common/errors.js';
import type { ResticRunResult } from './runner.js';

export function resticFailure(what: string, repoId: string, result: ResticRunResult, aborted = false): BackstayError {
  const detail = result.stderrTail.join('\n') || null;
  const said = detail?.toLowerCase() ?? '';
  if (aborted) return new BackstayError('CANCELLED', `${what} was cancelled.`, detail);
  if (result.exitCode === 12 || said.includes('wrong password')) {
    return new BackstayError('WRONG_PASSWORD', `The password for repository ${repoId} is wrong.`, detail);
  }
  if (result.exitCode === 10 || said.includes('is there a repository at') || said.includes('unable to open config file')) {
    return new BackstayError('NO_REPOSITORY', `There is no restic repository at the location of ${repoId}.`, detail);
  }
  if (result.exitCode === 11 || said.includes('repository is already locked')) {
    return new BackstayError('REPOSITORY_LOCKED', `Repository ${repoId} is locked by another restic process.`, detail);
  }
  if (result.exitCode === null) {
    return new BackstayError('RESTIC_KILLED', `restic stopped unexpectedly during ${what}.`, detail);
  }
  return new BackstayError('RESTIC_FAILED', `restic failed during ${what} (exit code ${result.exitCode}).`, detail);
}

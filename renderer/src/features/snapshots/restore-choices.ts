// What the restore form may offer for the restic the host runs (tested without React).
import type { RestoreOverwriteMode } from '../../../../main/common/index.js';

export const OVERWRITE_MODES: readonly RestoreOverwriteMode[] = ['never', 'if-changed', 'always'];

/**
 * restic 0.17+ asks what to do with a file that exists (`--overwrite`); before 0.17 restore always writes over it.
 * An unknown version is treated as the older kind: the form then says that files are replaced, which is the
 * safe thing to promise.
 */
export function hasOverwriteChoice(version: string | null | undefined): boolean {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 0 || minor >= 17;
}

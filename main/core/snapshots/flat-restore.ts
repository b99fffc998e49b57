// "Restore this file (or folder) into that folder" without the whole original path above it (issue 13). restic 0.14
// has no `<snapshot>:<subfolder>` syntax, and restic always recreates the path from the snapshot root, so restic
// restores into a hidden staging folder inside the target and each chosen item is then moved up to target/<name>.
// A rename inside one folder is atomic and never copies data; the staging folder is removed afterwards.
import { randomBytes } from 'node:crypto';
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { BackstayError } from '../../common/errors.js';

/** The hidden folder restic writes into; inside the target so the move up stays on one file system. */
export function stagingFolderFor(target: string): string {
  return path.join(target, `.backstay-restore-${randomBytes(4).toString('hex')}`);
}

/** Two chosen items with the same name would land on one place: refused before anything is written. */
export function assertDistinctNames(paths: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const p of paths) {
    const name = path.posix.basename(p.replace(/\/+$/, ''));
    const other = seen.get(name);
    if (other !== undefined) {
      throw new BackstayError('TARGET_INVALID', `"${other}" and "${p}" have the same name "${name}": restore them into different folders.`);
    }
    seen.set(name, p);
  }
}

/**
 * Moves each restored `paths` item from `staging` (where restic recreated its whole snapshot path) to
 * `target/<name>`. With `overwrite` an existing item of that name is merged into (files replaced); without, it is
 * an error (the target was checked empty, or a fresh subfolder, before restic ran).
 */
export async function moveUpRestored(staging: string, target: string, paths: readonly string[], overwrite: boolean): Promise<string[]> {
  const placed: string[] = [];
  for (const p of paths) {
    const from = path.join(staging, ...p.split('/').filter(Boolean));
    const to = path.join(target, path.posix.basename(p.replace(/\/+$/, '')));
    if (!(await stat(from).catch(() => null))) {
      throw new BackstayError('PATH_NOT_IN_SNAPSHOT', `restic restored nothing for "${p}".`);
    }
    if (await stat(to).catch(() => null)) {
      if (!overwrite) throw new BackstayError('TARGET_INVALID', `"${to}" exists already; it was left as it was.`);
      await cp(from, to, { recursive: true, force: true });
    } else {
      await mkdir(target, { recursive: true });
      await rename(from, to);
    }
    placed.push(to);
  }
  return placed;
}

export async function removeStaging(staging: string): Promise<void> {
  await rm(staging, { recursive: true, force: true });
}

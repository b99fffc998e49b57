// Restore planning: where files may go. File-system checks only (the restic arguments are restic/args.ts's
// restoreArgs, what restic prints is restic/parse.ts's), so the engine's restore task stays a thin sequence of calls.
import { constants as fsConstants } from 'node:fs';
import { access, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { BackstayError } from '../../common/errors.js';

export interface RestoreTargetRequest {
  /** The folder the user chose. */
  target: string;
  /** The snapshot paths being restored: the chosen files and folders, or the snapshot's paths for a whole restore. */
  snapshotPaths: string[];
  /** The user chose to write over existing files. */
  overwrite: boolean;
  /** Names the new subfolder when the target is not empty. */
  snapshotId: string;
  now?: Date;
}

export interface ResolvedRestoreTarget {
  /** Where restic will write (`--target`). */
  target: string;
  /** true when the chosen folder was not empty and a fresh subfolder of it is used instead. */
  newSubfolder: boolean;
}

/**
 * Checks a restore target and decides the folder restic writes to. Writes nothing.
 * - absolute path only; an existing target must be a writable folder, a missing one must be creatable;
 * - inside (or equal to) a path being restored: refused unless the user chose overwrite;
 * - an existing non-empty folder without overwrite: a new subfolder `restore-<shortid>-<timestamp>`, so the
 *   originals are never silently written over.
 */
export async function validateRestoreTarget(req: RestoreTargetRequest): Promise<ResolvedRestoreTarget> {
  const { target, overwrite } = req;
  if (typeof target !== 'string' || target.trim() === '') {
    throw new BackstayError('TARGET_INVALID', 'Choose a folder to restore to.');
  }
  if (!path.isAbsolute(target)) {
    throw new BackstayError('TARGET_INVALID', `The restore folder must be a full path (starting at the root), not "${target}".`);
  }
  const resolved = path.resolve(target);
  if (!overwrite) {
    const real = await realpathOfPossiblyMissing(resolved);
    for (const source of req.snapshotPaths) {
      const src = path.resolve(source);
      if (isSelfOrInside(resolved, src) || isSelfOrInside(real, src)) {
        throw new BackstayError(
          'TARGET_INVALID',
          `"${target}" is inside "${source}": that would restore into the folder being restored. Choose another folder.`,
        );
      }
    }
  }
  const info = await stat(resolved).catch(() => null);
  if (!info) {
    await assertCreatable(resolved);
    return { target: resolved, newSubfolder: false };
  }
  if (!info.isDirectory()) {
    throw new BackstayError('TARGET_INVALID', `"${target}" is a file, not a folder. Choose a folder to restore to.`);
  }
  if (!(await isWritable(resolved))) {
    throw new BackstayError('TARGET_INVALID', `Backstay cannot write to "${target}". Choose a folder you can write to.`);
  }
  if (overwrite || (await isEmptyDir(resolved))) return { target: resolved, newSubfolder: false };
  return { target: await freshSubfolder(resolved, req.snapshotId, req.now ?? new Date()), newSubfolder: true };
}

function isSelfOrInside(candidate: string, folder: string): boolean {
  const rel = path.relative(folder, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** realpath of the longest existing prefix, with the missing rest appended (the target may not exist yet). */
async function realpathOfPossiblyMissing(p: string): Promise<string> {
  let existing = p;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(existing), ...rest);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return p;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

async function assertCreatable(target: string): Promise<void> {
  let ancestor = path.dirname(target);
  for (;;) {
    const info = await stat(ancestor).catch(() => null);
    if (info) {
      if (!info.isDirectory()) {
        throw new BackstayError('TARGET_INVALID', `"${target}" cannot be created: "${ancestor}" is a file, not a folder.`);
      }
      if (!(await isWritable(ancestor))) {
        throw new BackstayError('TARGET_INVALID', `"${target}" cannot be created: Backstay cannot write to "${ancestor}".`);
      }
      return;
    }
    const parent = path.dirname(ancestor);
    if (parent === ancestor) return;
    ancestor = parent;
  }
}

async function isWritable(dir: string): Promise<boolean> {
  try {
    await access(dir, fsConstants.W_OK | fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function isEmptyDir(dir: string): Promise<boolean> {
  return (await readdir(dir)).length === 0;
}

async function freshSubfolder(parent: string, snapshotId: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15); // 20260131-142501
  const base = `restore-${snapshotId.slice(0, 8)}-${stamp}`;
  for (let n = 1; ; n++) {
    const candidate = path.join(parent, n === 1 ? base : `${base}-${n}`);
    if (!(await stat(candidate).catch(() => null))) return candidate;
  }
}

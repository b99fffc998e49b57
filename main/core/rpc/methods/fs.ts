// `fs.listDirs`: the folder browser of the window in `serve` (a browser page cannot open the OS folder dialog).
// Folders only, never files or their contents: it answers "what folders are here", behind the same token as every
// other method. Symbolic links to folders count as folders (a user's ~/Photos may be one).
import { promises as fsp, type Dirent } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { BackstayError } from '../../../common/errors.js';
import type { RpcResult } from '../../../common/index.js';
import { method, type AreaMethods } from '../method-table.js';

const listDirsParams = z.strictObject({ path: z.string().min(1).max(4096).optional() });

/** At most this many folders in one answer: a folder with more is unusual enough that the first ones will do. */
const MAX_LISTED_DIRS = 5000;

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function folderError(err: unknown, where: string): BackstayError {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return new BackstayError('NOT_FOUND', `There is no folder "${where}".`);
  if (code === 'ENOTDIR') return new BackstayError('NOT_A_FOLDER', `"${where}" is a file, not a folder.`);
  if (code === 'EACCES' || code === 'EPERM') return new BackstayError('FOLDER_UNREADABLE', `Backstay may not open the folder "${where}".`);
  return new BackstayError('INTERNAL', `Could not list the folder "${where}": ${(err as Error).message ?? String(err)}`);
}

async function isFolder(parent: string, entry: Dirent): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  // A dangling or unreadable link is simply not a folder to offer.
  return fsp.stat(path.join(parent, entry.name)).then((s) => s.isDirectory(), () => false);
}

async function listDirs(requested: string | undefined, home = os.homedir()): Promise<RpcResult<'fs.listDirs'>> {
  if (requested !== undefined && !path.isAbsolute(requested)) {
    throw new BackstayError('BAD_PARAMS', `The folder must be an absolute path, not "${requested}".`);
  }
  const where = path.resolve(requested ?? home);
  let entries: Dirent[];
  try {
    entries = await fsp.readdir(where, { withFileTypes: true });
  } catch (err) {
    throw folderError(err, where);
  }
  const flags = await Promise.all(entries.map((e) => isFolder(where, e)));
  const dirs = entries
    .filter((_, i) => flags[i])
    .map((e) => ({ name: e.name, path: path.join(where, e.name) }))
    .sort((a, b) => collator.compare(a.name, b.name))
    .slice(0, MAX_LISTED_DIRS);
  const parent = path.dirname(where);
  return { path: where, parent: parent === where ? null : parent, dirs };
}

export function fsMethods(): AreaMethods<'fs'> {
  return {
    'fs.listDirs': method({
      params: listDirsParams,
      handler: ({ path: requested }) => listDirs(requested),
    }),
  };
}

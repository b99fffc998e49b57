// A temporary `--exclude-file` for restic: in a private folder (0700), the file itself 0600 (patterns name the
// user's files), removed when the command is done.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TempExcludeFile {
  path: string;
  remove(): Promise<void>;
}

export async function writeTempExcludeFile(patterns: readonly string[], dir: string = os.tmpdir()): Promise<TempExcludeFile> {
  const folder = await mkdtemp(path.join(dir, 'backstay-excludes-'));
  const file = path.join(folder, 'excludes.txt');
  try {
    await writeFile(file, patterns.join('\n') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    await rm(folder, { recursive: true, force: true });
    throw err;
  }
  return {
    path: file,
    remove: () => rm(folder, { recursive: true, force: true }),
  };
}

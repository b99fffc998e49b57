// The secret store of `backstay serve` and the CLI (the desktop app uses the OS keychain instead): one file per
// repository password under <dataDir>/secrets/ (folder 0700, files 0600), written atomically. config.json only ever
// holds the reference {"file": PATH}, so the password is read by restic through --password-file and never copied.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

export const SECRETS_DIR = 'secrets';

/** Where the password of `repoId` is kept (the repo id is a valid file name by its pattern). */
export function secretFilePath(dataDir: string, repoId: string): string {
  return path.join(dataDir, SECRETS_DIR, `${repoId}.password`);
}

/** Stores `secret` for `repoId` and returns the password reference config.json gets. */
export async function writeSecretFile(dataDir: string, repoId: string, secret: string): Promise<{ file: string }> {
  const dir = path.join(dataDir, SECRETS_DIR);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing folder's mode alone: one made by hand with 0755 would show every name to everyone.
  await fs.chmod(dir, 0o700);
  const file = secretFilePath(dataDir, repoId);
  await writeFileAtomic(file, secret, { mode: 0o600 });
  await fs.chmod(file, 0o600);
  return { file };
}

/** Removes a secret file written for an import or a password change that was then not saved. */
export async function removeSecretFile(dataDir: string, repoId: string): Promise<void> {
  await fs.rm(secretFilePath(dataDir, repoId), { force: true });
}

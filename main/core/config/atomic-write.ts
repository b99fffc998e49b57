// Atomic replace of a small file: the reader sees the old content or the new one, never a part of either,
// even if Backstay or the machine dies mid-write.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface AtomicWriteOptions {
  mode?: number;
  /** Create only: if `file` already exists, leave it alone and return false. */
  noClobber?: boolean;
}

/**
 * Writes `data` to a temp file beside `file`, fsyncs it and renames (or links) it into place. If `file` is a symbolic
 * link (a config.json kept in a dotfiles repository, say), the link's target is replaced and the link stays: renaming
 * onto the link itself would turn it into a plain file and silently cut it off from the file it pointed to.
 */
export async function writeFileAtomic(linkOrFile: string, data: string, options: AtomicWriteOptions = {}): Promise<boolean> {
  const mode = options.mode ?? 0o600;
  const file = await resolveLinkTarget(linkOrFile);
  const dir = path.dirname(file);
  // Same directory, so the rename never crosses a file system; a dot name keeps it out of casual listings.
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let placed = false;
  try {
    const handle = await fs.open(temp, 'wx', mode);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    placed = options.noClobber ? await linkIntoPlace(temp, file) : (await renameIntoPlace(temp, file), true);
    if (placed) await syncDirectory(dir);
    return placed;
  } finally {
    // After a rename the temp name is gone; after a link or a failure it must not be left behind.
    await fs.rm(temp, { force: true }).catch(() => undefined);
  }
}

/** MAXSYMLINKS on Linux: a longer chain (or a loop) is refused, as the OS would refuse to open it. */
const MAX_LINK_HOPS = 40;

/** The file a chain of symbolic links ends at (which may not exist yet); `file` itself if it is no link. */
export async function resolveLinkTarget(file: string): Promise<string> {
  let current = path.resolve(file);
  for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
    let target: string;
    try {
      target = await fs.readlink(current);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EINVAL' || code === 'ENOENT' || code === 'UNKNOWN') return current; // not a link, or nothing there
      throw err;
    }
    current = path.resolve(path.dirname(current), target);
  }
  const loop = new Error(`${file}: too many levels of symbolic links`) as NodeJS.ErrnoException;
  loop.code = 'ELOOP';
  throw loop;
}

/** link() fails with EEXIST instead of replacing, which makes "create if missing" atomic across processes. */
async function linkIntoPlace(temp: string, file: string): Promise<boolean> {
  try {
    await fs.link(temp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // Some file systems (FAT, some network mounts) have no hard links: fall back to check-then-rename.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') {
      if (await exists(file)) return false;
      await renameIntoPlace(temp, file);
      return true;
    }
    throw err;
  }
}

async function renameIntoPlace(temp: string, file: string): Promise<void> {
  // Windows refuses to replace a file that another process (an editor, a virus scanner) holds open for a
  // moment; retry briefly there. Elsewhere rename() replaces atomically or fails for good.
  const attempts = process.platform === 'win32' ? 10 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      await fs.rename(temp, file);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (attempt >= attempts || !(code === 'EPERM' || code === 'EACCES' || code === 'EBUSY')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** Makes the rename itself durable. Not possible on Windows (directories cannot be opened); harmless to skip. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Durability of the directory entry is best effort; the content itself was already fsynced.
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

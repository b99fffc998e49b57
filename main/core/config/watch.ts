// Notices that config.json may have changed on disk, so the host re-reads it. It only says "look again": the host
// compares the content's hash with what it last read or wrote, so its own saves and spurious events cost nothing.
// - fs.watch on the folder, not the file: editors save by writing a new file and renaming it over the old one,
//   after which a watch on the old file's inode hears nothing more. If config.json is a link, its target's folder
//   is watched too.
// - A periodic check of size, mtime and inode, since fs.watch misses changes on network and some container file
//   systems, and may fail outright (inotify limits); every few checks the host looks regardless, in case an edit
//   kept size and mtime (a coarse clock).
import { watch, type FSWatcher, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../engine-api.js';
import { resolveLinkTarget } from './atomic-write.js';

export interface ConfigWatchOptions {
  file: string;
  /** Called when the file may have changed; the caller reads and compares. Called again only after it settles. */
  onMaybeChanged(): Promise<void>;
  /** Periodic check interval (default 2 s). */
  pollMs?: number;
  /** Every this many polls the host looks even if size and mtime are unchanged (default 15). */
  forceEvery?: number;
  /** Quiet time after a file event before looking (editors write in several steps). Default 150 ms. */
  debounceMs?: number;
  /** Use fs.watch as well as polling (default true). */
  fsWatch?: boolean;
  logger?: Logger;
}

export interface ConfigWatch {
  close(): void;
}

export function watchConfigFile(opts: ConfigWatchOptions): ConfigWatch {
  const pollMs = opts.pollMs ?? 2000;
  const forceEvery = Math.max(1, opts.forceEvery ?? 15);
  const debounceMs = opts.debounceMs ?? 150;
  const base = path.basename(opts.file);
  const watchers: FSWatcher[] = [];
  let closed = false;
  let debounce: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let lastStat: string | null | undefined = undefined;
  let polls = 0;

  const look = (): void => {
    if (closed) return;
    if (running) {
      again = true; // one more look after this one, so no change slips between two
      return;
    }
    running = opts
      .onMaybeChanged()
      .catch((err: unknown) => opts.logger?.warn('config watch: check failed', { error: String(err) }))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          look();
        }
      });
  };

  const onEvent = (_event: string, filename: string | Buffer | null): void => {
    const name = filename === null ? null : String(filename);
    if (name !== null && name !== base && name !== targetBase) return;
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = null;
      look();
    }, debounceMs);
    debounce.unref();
  };

  const statKey = async (): Promise<string | null> => {
    try {
      const st = await fs.stat(opts.file); // follows a link to its target
      return `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      return null;
    }
  };

  const poll = setInterval(() => {
    void (async () => {
      const key = await statKey();
      polls++;
      if (key !== lastStat || polls % forceEvery === 0) {
        lastStat = key;
        look();
      }
    })();
  }, pollMs);
  poll.unref();
  // No baseline taken here: the first poll always looks, so an edit made between the host's read and then counts.

  let targetBase: string | null = null;
  const startWatching = async (): Promise<void> => {
    if (opts.fsWatch === false) return;
    const dirs = new Set([path.dirname(path.resolve(opts.file))]);
    try {
      const target = await resolveLinkTarget(opts.file);
      dirs.add(path.dirname(target));
      targetBase = path.basename(target);
    } catch {
      // A broken chain of links: the poll still looks.
    }
    for (const dir of dirs) {
      if (closed) return;
      try {
        const watcher = watch(dir, { persistent: false }, onEvent);
        watcher.on('error', (err) => opts.logger?.warn('config watch: fs.watch failed; polling only', { dir, error: String(err) }));
        watchers.push(watcher);
      } catch (err) {
        opts.logger?.warn('config watch: cannot watch the folder; polling only', { dir, error: String(err) });
      }
    }
  };
  void startWatching();

  return {
    close() {
      closed = true;
      clearInterval(poll);
      if (debounce) clearTimeout(debounce);
      for (const watcher of watchers) watcher.close();
    },
  };
}

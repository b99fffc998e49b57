// The config a host runs on: read at startup, replaced by a save from the window or by an edit by hand that the
// watcher (watch.ts) noticed. Loads, saves and re-reads are serialised, and a save never overwrites an edit made by
// hand that this host has not read yet.
import { BackstayError } from '../../common/errors.js';
import type { Logger } from '../engine-api.js';
import { emptyConfig, type BackstayConfig } from './schema.js';
import { hashConfigText, loadConfigWithHash, parseConfigText, readConfigText, serializeConfig } from './load.js';
import { configChangedError, updateConfig } from './save.js';

export interface LiveConfigEvents {
  /** A new config is in force (a save, or a valid edit by hand). */
  applied(next: BackstayConfig, previous: BackstayConfig): void;
  /** config.json can or cannot be used any more (null: it can). */
  errorChanged(message: string | null): void;
}

export interface LiveConfig {
  current(): BackstayConfig;
  /** Why config.json cannot be used (the running config is the last valid one), or null. */
  error(): string | null;
  /** Re-reads config.json if it may have changed (the watcher's "look again"). */
  syncFromDisk(): Promise<void>;
  /** Re-reads config.json; throws CONFIG_INVALID if it cannot be used. */
  reload(): Promise<void>;
  /** Applies `mutate` and writes config.json; throws CONFIG_CHANGED if it was edited by hand meanwhile. */
  mutate(mutate: (config: BackstayConfig) => BackstayConfig | void): Promise<void>;
  /** Shutting down: a look the watcher started just now finds the stores closing and does nothing. */
  stop(): void;
}

export async function loadLiveConfig(opts: { file: string; logger: Logger; events: LiveConfigEvents }): Promise<LiveConfig> {
  const { file, logger, events } = opts;
  let config: BackstayConfig;
  let configError: string | null = null;
  /** Hash of config.json as last read or written here: an edit by hand is whatever differs from it. */
  let configHash: string | null = null;
  let stopped = false;
  try {
    ({ config, hash: configHash } = await loadConfigWithHash(file));
  } catch (err) {
    if (!(err instanceof BackstayError)) throw err;
    // The host still starts (the window shows what is wrong); the invalid file is left untouched.
    configError = err.message;
    config = emptyConfig();
    configHash = await hashOfConfigOnDisk(file);
    logger.error('config.json is invalid', { error: err.message });
  }

  let configLock: Promise<void> = Promise.resolve();
  const withConfigLock = <T>(work: () => Promise<T>): Promise<T> => {
    const run = configLock.then(work);
    configLock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };

  function apply(next: BackstayConfig): void {
    const previous = config;
    config = next;
    events.applied(next, previous);
  }

  function setConfigError(message: string | null): void {
    if (message !== null && message !== configError) {
      logger.warn('config.json changed on disk and cannot be used; keeping the last valid settings', { error: message });
    }
    configError = message;
    events.errorChanged(message);
  }

  /**
   * Reads config.json and, if it is not what was last read or written here, takes it: a valid file replaces the
   * running config (plans added by hand become known) and clears configError; an invalid one sets configError and
   * leaves the running config as it was. Returns true if the file had changed. Call under the config lock only.
   */
  async function syncConfigFromDisk(): Promise<boolean> {
    if (stopped) return false;
    let text: string | null;
    try {
      text = await readConfigText(file);
    } catch (err) {
      if (!(err instanceof BackstayError)) throw err;
      const changed = configError !== err.message;
      configHash = null; // whatever is readable next time counts as a change
      if (changed) setConfigError(err.message);
      return changed;
    }
    // Removed: keep running on what was read; a save from the window writes a new file.
    if (text === null) return false;
    const hash = hashConfigText(text);
    if (hash === configHash) return false;
    configHash = hash;
    try {
      apply(parseConfigText(text, file));
      if (configError) logger.info('config.json changed on disk and is valid again; reloaded');
      else logger.info('config.json changed on disk; reloaded');
      setConfigError(null);
    } catch (err) {
      if (!(err instanceof BackstayError)) throw err;
      setConfigError(err.message);
    }
    return true;
  }

  return {
    current: () => config,
    error: () => configError,
    syncFromDisk: () => withConfigLock(syncConfigFromDisk).then(() => undefined),
    async reload() {
      await withConfigLock(syncConfigFromDisk);
      if (configError) throw new BackstayError('CONFIG_INVALID', configError);
    },
    mutate(mutate) {
      // Serialised: two saves from two windows must not lose one another's change. And a save never overwrites an
      // edit made by hand that this host has not read yet: the window's change was made against the config it showed.
      return withConfigLock(async () => {
        if (await syncConfigFromDisk()) {
          const changed = configChangedError(file);
          throw configError ? new BackstayError('CONFIG_CHANGED', `${changed.message}\nIt is now invalid:\n${configError}`) : changed;
        }
        if (configError) {
          throw new BackstayError('CONFIG_INVALID', `config.json must be fixed by hand first: ${configError}`);
        }
        let next: BackstayConfig;
        try {
          next = await updateConfig(file, mutate, { expectedHash: configHash });
        } catch (err) {
          // Edited in the moment between the check above and the write: take the edit, refuse the save.
          if (err instanceof BackstayError && err.code === 'CONFIG_CHANGED') await syncConfigFromDisk();
          throw err;
        }
        configHash = hashConfigText(serializeConfig(next));
        apply(next);
      });
    },
    stop() {
      stopped = true;
    },
  };
}

async function hashOfConfigOnDisk(file: string): Promise<string | null> {
  try {
    const text = await readConfigText(file);
    return text === null ? null : hashConfigText(text);
  } catch {
    return null;
  }
}

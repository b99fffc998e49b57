// Writing config.json: validate, then replace atomically. Never replaces a file that is itself invalid (a
// person may be halfway through editing it), and updates are serialised so two RPCs cannot lose each other.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BackstayError } from '../../common/errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { hashConfigText, loadConfig, parseConfigText, readConfigText, serializeConfig } from './load.js';
import type { BackstayConfig, BackstayConfigInput } from './schema.js';
import { validateConfig } from './validate.js';

/**
 * Validates `config` (defaults filled in) and atomically replaces `file` with it (mode 0600). Throws
 * BackstayError('CONFIG_INVALID') if `config` is invalid or if the file on disk is invalid; nothing is written then.
 */
export async function saveConfig(file: string, config: BackstayConfigInput | BackstayConfig): Promise<BackstayConfig> {
  const valid = validateConfig(config, file);
  await refuseToReplaceInvalid(file);
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, serializeConfig(valid), { mode: 0o600 });
  return valid;
}

async function refuseToReplaceInvalid(file: string): Promise<void> {
  const current = await readConfigText(file);
  if (current === null) return;
  try {
    parseConfigText(current, file);
  } catch (err) {
    if (!(err instanceof BackstayError)) throw err;
    throw new BackstayError(
      'CONFIG_INVALID',
      `${file}: not saved, because the file on disk is invalid; fix or remove it first\n${err.message}`,
    );
  }
}

export type ConfigMutation = (
  draft: BackstayConfig,
) => BackstayConfigInput | BackstayConfig | void | Promise<BackstayConfigInput | BackstayConfig | void>;

// One chain per config file (by absolute path): each update reads what the previous one wrote.
const updateChains = new Map<string, Promise<unknown>>();

export interface UpdateConfigOptions {
  /**
   * The hash (hashConfigText) of the file as the caller last read it. If the file on disk is different now (edited by
   * hand meanwhile), nothing is written and CONFIG_CHANGED is thrown: the caller's change was made against a config
   * that no longer exists, and applying it would overwrite the hand edit. A file that was removed is written anew.
   */
  expectedHash?: string | null;
}

/** config.json is not what the caller read: see UpdateConfigOptions.expectedHash. */
export function configChangedError(file: string): BackstayError {
  return new BackstayError(
    'CONFIG_CHANGED',
    `${file} was changed outside Backstay (by hand or by another program) after Backstay read it, so nothing was saved. ` +
      'Backstay has loaded the new file; check your change against it and save again.',
  );
}

/**
 * Loads `file`, lets `mutate` change a copy (in place, or by returning a new config), validates and saves it.
 * Calls for the same file in this process run one after another. Returns the saved config.
 */
export function updateConfig(file: string, mutate: ConfigMutation, opts: UpdateConfigOptions = {}): Promise<BackstayConfig> {
  const key = path.resolve(file);
  const previous = updateChains.get(key) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined) // a failed update must not block the next one
    .then(async () => {
      if (opts.expectedHash !== undefined && opts.expectedHash !== null) {
        const current = await readConfigText(file);
        if (current !== null && hashConfigText(current) !== opts.expectedHash) throw configChangedError(file);
      }
      const draft = structuredClone(await loadConfig(file));
      const next = (await mutate(draft)) ?? draft;
      return saveConfig(file, next);
    });
  updateChains.set(key, run);
  const forget = () => {
    if (updateChains.get(key) === run) updateChains.delete(key);
  };
  run.then(forget, forget);
  return run;
}

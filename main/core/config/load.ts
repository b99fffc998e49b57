// Reading config.json: a missing file is a first run (write an empty valid config); anything unreadable or
// invalid is an error naming the file and the JSON path, and the file is left exactly as it is.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BackstayError } from '../../common/errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { findJsonSyntaxProblem } from './json-syntax.js';
import { emptyConfig, type BackstayConfig } from './schema.js';
import { validateConfig } from './validate.js';

/** The text Backstay writes: the normalised config, two-space indented, with a final newline. */
export function serializeConfig(config: BackstayConfig): string {
  return JSON.stringify(config, null, 2) + '\n';
}

/** Identifies one content of config.json: a change made by hand is told from what Backstay itself read or wrote. */
export function hashConfigText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface LoadedConfig {
  config: BackstayConfig;
  /** The hash of the text `config` was parsed from (hashConfigText). */
  hash: string;
}

/** Reads and validates `file`; creates an empty config (mode 0600) if it does not exist. */
export async function loadConfig(file: string): Promise<BackstayConfig> {
  return (await loadConfigWithHash(file)).config;
}

/** loadConfig, and the hash of the text it read (or wrote, on a first run). */
export async function loadConfigWithHash(file: string): Promise<LoadedConfig> {
  const text = await readConfigText(file);
  if (text !== null) return { config: parseConfigText(text, file), hash: hashConfigText(text) };

  const config = emptyConfig();
  let created: boolean;
  try {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // noClobber: if another Backstay process created the file meanwhile, keep theirs and read it.
    created = await writeFileAtomic(file, serializeConfig(config), { noClobber: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? (err as Error).message);
    throw new BackstayError('CONFIG_INVALID', `${file}: does not exist and cannot be created (${why})`);
  }
  if (created) return { config, hash: hashConfigText(serializeConfig(config)) };
  const theirs = await readConfigText(file);
  if (theirs === null) throw new BackstayError('CONFIG_INVALID', `${file}: disappeared while it was being created`);
  return { config: parseConfigText(theirs, file), hash: hashConfigText(theirs) };
}

/** The file's text, or null if it does not exist. */
export async function readConfigText(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a folder, not a file'
          : code === 'ENOTDIR'
            ? 'a folder on its path is a file'
            : (code ?? (err as Error).message);
    throw new BackstayError('CONFIG_INVALID', `${file}: cannot be read (${why})`);
  }
}

/** Parses and validates config text; `file` is only used to name the source in error messages. */
export function parseConfigText(text: string, file: string): BackstayConfig {
  // Windows editors like to start UTF-8 files with a byte order mark, which JSON.parse rejects.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new BackstayError('CONFIG_INVALID', `${file}: the file is empty (expected a JSON object)`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    const problem = findJsonSyntaxProblem(body);
    const where = problem ? `line ${problem.line}, column ${problem.column}: ${problem.message}` : 'syntax error';
    throw new BackstayError('CONFIG_INVALID', `${file}: not valid JSON at ${where}`);
  }
  return validateConfig(json, file);
}

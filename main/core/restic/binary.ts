// Finding the restic binary and reading its version (what a version can do is in version.ts).
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { BackstayError } from '../../common/errors.js';
import { restic, ResticError } from './run-restic.js';
import { compareVersion, MIN_RESTIC_VERSION, parseResticVersion, type ResticVersion } from './version.js';

// The version facts are re-exported here: callers that find and check a binary need both, from one module.
export { MIN_RESTIC_VERSION, parseResticVersion, resticFeatures } from './version.js';
export type { ResticFeatures, ResticVersion } from './version.js';

/**
 * The restic to run: `settings.resticBinary`, else `$BACKSTAY_RESTIC`, else `restic` on `PATH`.
 * An explicitly configured binary that is missing is an error, not a reason to silently run another one.
 */
export function findResticBinary(opts: { configured: string | null; env: NodeJS.ProcessEnv }): string {
  const { configured, env } = opts;
  if (configured) {
    const found = resolveExecutable(configured, env);
    if (found) return found;
    throw new BackstayError(
      'RESTIC_NOT_FOUND',
      `restic was not found at "${configured}" (settings.resticBinary). Check the path, or clear the setting to use restic from PATH.`,
    );
  }
  const fromEnv = env.BACKSTAY_RESTIC;
  if (fromEnv) {
    const found = resolveExecutable(fromEnv, env);
    if (found) return found;
    throw new BackstayError(
      'RESTIC_NOT_FOUND',
      `restic was not found at "${fromEnv}" ($BACKSTAY_RESTIC). Check the path, or unset the variable to use restic from PATH.`,
    );
  }
  const found = searchPath('restic', env);
  if (found) return found;
  throw new BackstayError(
    'RESTIC_NOT_FOUND',
    'restic was not found: settings.resticBinary is not set, $BACKSTAY_RESTIC is not set, and there is no "restic" on PATH. ' +
      'Install restic (e.g. "apt-get install restic") or set settings.resticBinary to its path.',
    `PATH=${env.PATH ?? env.Path ?? ''}`,
  );
}

/** A path (absolute, relative or a bare name looked up on PATH) to an executable file, or null. */
function resolveExecutable(candidate: string, env: NodeJS.ProcessEnv): string | null {
  if (!candidate.includes('/') && !candidate.includes('\\')) return searchPath(candidate, env);
  const absolute = path.resolve(candidate);
  return isExecutableFile(absolute) ? absolute : null;
}

function searchPath(name: string, env: NodeJS.ProcessEnv): string | null {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const extensions =
    process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean)] : [''];
  for (const dir of dirs) {
    for (const ext of extensions) {
      const full = path.resolve(dir, name + ext);
      if (isExecutableFile(full)) return full;
    }
  }
  return null;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}


const versionCache = new Map<string, { key: string; version: ResticVersion }>();

/**
 * Runs `restic version` (text in every version; `--json` only came later) and parses it.
 * Cached per binary path and modification time, so an upgraded restic is noticed.
 * Throws RESTIC_NOT_FOUND if it cannot run, RESTIC_FAILED if the output is not restic's, RESTIC_TOO_OLD below 0.14.
 */
export async function readResticVersion(binary: string, opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ResticVersion> {
  let cacheKey: string;
  try {
    const st = await stat(binary);
    cacheKey = `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    throw new BackstayError('RESTIC_NOT_FOUND', `restic was not found at "${binary}".`);
  }
  const cached = versionCache.get(binary);
  const version = cached && cached.key === cacheKey ? cached.version : await runVersion(binary, opts);
  versionCache.set(binary, { key: cacheKey, version });
  assertSupported(version, binary);
  return version;
}

/** Forgets cached versions (tests that rewrite a fake binary within the mtime resolution). */
export function clearResticVersionCache(): void {
  versionCache.clear();
}

async function runVersion(binary: string, opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ResticVersion> {
  let output: { stdout: string; stderr: string };
  let failure: string | null = null;
  try {
    output = await restic(['version'], { binary, env: plainEnv(opts.env ?? process.env) }, 'version', {
      kind: 'version',
      timeoutMs: opts.timeoutMs ?? 15_000,
      maxOutputBytes: 64 * 1024,
    });
  } catch (err) {
    if (!(err instanceof ResticError)) throw err;
    if (err.result.spawnFailure?.code === 'ENOENT') throw new BackstayError('RESTIC_NOT_FOUND', `restic was not found at "${binary}".`);
    output = err.result;
    failure = err.message;
  }
  // A program that prints a restic version and then fails is still that restic.
  const version = parseResticVersion(output.stdout);
  if (version) return version;
  const said = (output.stderr.trim() || output.stdout.trim()).split('\n').slice(-1)[0] || failure;
  throw new BackstayError('RESTIC_FAILED', `"${binary} version" did not print a restic version; is it really restic?`, said || null);
}

function plainEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

function assertSupported(version: ResticVersion, binary: string): void {
  if (compareVersion(version, MIN_RESTIC_VERSION) < 0) {
    throw new BackstayError(
      'RESTIC_TOO_OLD',
      `restic ${version.major}.${version.minor}.${version.patch} at "${binary}" is too old: Backstay needs restic 0.14.0 or newer. Please upgrade restic.`,
      version.raw,
    );
  }
}

// Finding the restic binary, reading its version, and what that version can do.
import { execFile } from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { BackstayError } from '../../common/errors.js';

export interface ResticVersion {
  major: number;
  minor: number;
  patch: number;
  /** restic's own first line, e.g. "restic 0.14.0 compiled with go1.19.8 on linux/amd64". */
  raw: string;
}

export const MIN_RESTIC_VERSION = { major: 0, minor: 14, patch: 0 } as const;

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

/** Parses the first line of `restic version`. Dev builds ("0.16.4-dev") count as their base version. */
export function parseResticVersion(output: string): ResticVersion | null {
  const raw = output.split('\n', 1)[0]!.trim();
  const m = /restic\s+v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(raw);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), raw };
}

export function compareVersion(a: Pick<ResticVersion, 'major' | 'minor' | 'patch'>, b: Pick<ResticVersion, 'major' | 'minor' | 'patch'>): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
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

function runVersion(binary: string, opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ResticVersion> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      binary,
      ['version'],
      { env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 15_000, windowsHide: true, maxBuffer: 64 * 1024 },
      (err, stdout, stderr) => {
        const version = parseResticVersion(String(stdout));
        if (version) return resolve(version);
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(new BackstayError('RESTIC_NOT_FOUND', `restic was not found at "${binary}".`));
        }
        const said = (String(stderr).trim() || String(stdout).trim()).split('\n').slice(-1)[0] || (err ? err.message : '');
        reject(
          new BackstayError('RESTIC_FAILED', `"${binary} version" did not print a restic version; is it really restic?`, said || null),
        );
      },
    );
    // restic must never wait on a terminal for input.
    child.stdin?.end();
  });
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

/** What differs between restic versions, in one place, so callers never compare version numbers themselves. */
export interface ResticFeatures {
  /** Arguments of the index repair command: `rebuild-index` before 0.16, `repair index` from 0.16. */
  repairIndexArgs: string[];
  /** `restore --json` prints status/summary lines (0.16+). */
  restoreJson: boolean;
  /** Exit codes 10 (no repository), 11 (locked) and 130 (cancelled) exist (0.17+); before, all are 1. */
  exitCodesRepoLockedCancelled: boolean;
  /** Exit code 12 (wrong password) exists (0.17.1+). */
  exitCodeWrongPassword: boolean;
  /** Fatal errors come as an `exit_error` JSON line on stderr (0.18+). */
  exitErrorJson: boolean;
  /** Item `error` messages carry `error.message` (0.17.1+) rather than a serialised Go error object. */
  errorMessageField: boolean;
  /** restic exits cleanly on SIGTERM (0.17+); 0.14-0.16 die at once and leave a lock behind. */
  trapsSigterm: boolean;
  /** `--retry-lock` exists (0.16+). */
  retryLock: boolean;
  /** `init --json` exists (0.15+). */
  initJson: boolean;
  /** Default status lines per second with --json: 60 up to 0.18, 10 from 0.19 (RESTIC_PROGRESS_FPS overrides). */
  statusLinesPerSecond: number;
}

export function resticFeatures(v: Pick<ResticVersion, 'major' | 'minor' | 'patch'>): ResticFeatures {
  const atLeast = (minor: number, patch = 0): boolean => compareVersion(v, { major: 0, minor, patch }) >= 0;
  return {
    repairIndexArgs: atLeast(16) ? ['repair', 'index'] : ['rebuild-index'],
    restoreJson: atLeast(16),
    exitCodesRepoLockedCancelled: atLeast(17),
    exitCodeWrongPassword: atLeast(17, 1),
    exitErrorJson: atLeast(18),
    errorMessageField: atLeast(17, 1),
    trapsSigterm: atLeast(17),
    retryLock: atLeast(16),
    initJson: atLeast(15),
    statusLinesPerSecond: atLeast(19) ? 10 : 60,
  };
}

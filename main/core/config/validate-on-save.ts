// What a save from the window can check beyond the schema: that the files it names are there, that a password
// variable is set where backups will read it, that a restic program really is restic. A save that would be
// accepted and then fail every backup is refused with the reason on the field (issue 10, items 16 and 17).
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { BackstayError } from '../../common/errors.js';
import type { FieldIssue } from '../../common/rpc.js';
import { findResticBinary, MIN_RESTIC_VERSION, parseResticVersion, readResticVersion } from '../restic/binary.js';
import { findMirrorProblems } from './schema.js';

type Path = (string | number)[];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** An own property only: params come from outside, and "__proto__" must not lead anywhere. */
const field = (value: unknown, key: string): unknown => (isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined);

/** restic's remote backends ("sftp:", "rest:", ...). Anything else, and "local:", is a folder on this machine. */
const REMOTE_BACKEND = /^(sftp|rest|s3|b2|azure|gs|swift|rclone|opendal):/i;

/** The folder of a local repository URI, or null for a remote backend. */
export function localRepositoryPath(uri: string): string | null {
  if (uri.startsWith('local:')) return uri.slice('local:'.length);
  return REMOTE_BACKEND.test(uri) ? null : uri;
}

/**
 * A path that backups run from a service read later must be absolute: the service's working folder is arbitrary.
 * Windows drive paths count as absolute on every OS (a config may be written on one and read on another).
 */
function pathShapeIssue(at: Path, p: string): FieldIssue | null {
  if (p.startsWith('~')) return { path: at, code: 'home_not_expanded', message: 'write the home folder out in full; "~" is not expanded' };
  if (!path.isAbsolute(p) && !/^[A-Za-z]:[\\/]/.test(p)) return { path: at, code: 'not_absolute', message: 'must be an absolute path' };
  return null;
}

async function readableFileIssue(at: Path, file: string): Promise<FieldIssue | null> {
  try {
    const st = await stat(file);
    if (!st.isFile()) return { path: at, code: 'not_a_file', message: 'is not a file' };
    await access(file, fsConstants.R_OK);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { path: at, code: 'file_missing', message: 'there is no file at this path' };
    return { path: at, code: 'file_unreadable', message: 'Backstay cannot read this file' };
  }
}

/**
 * `config.saveRepo {repo}`: a local repository's folder is absolute; a password file is absolute, exists and is
 * readable; a password variable is set in the environment this host runs in. The last is an error, not a
 * warning: the host reads its environment once, when it starts, so no backup of this repository can succeed
 * until Backstay is restarted with the variable set, and saying "Saved." would promise otherwise.
 */
export async function repoSaveIssues(params: unknown, env: NodeJS.ProcessEnv): Promise<FieldIssue[]> {
  const repo = field(params, 'repo');
  const issues: FieldIssue[] = [];
  const uri = field(repo, 'uri');
  if (typeof uri === 'string' && uri.trim() !== '') {
    const local = localRepositoryPath(uri);
    if (local !== null) {
      const issue = local === '' ? { path: ['repo', 'uri'], code: 'required' as const, message: 'the folder is missing' } : pathShapeIssue(['repo', 'uri'], local);
      if (issue) issues.push(issue);
    }
  }
  const password = field(repo, 'password');
  const file = field(password, 'file');
  if (typeof file === 'string' && file !== '') {
    const at = ['repo', 'password', 'file'];
    const issue = pathShapeIssue(at, file) ?? (await readableFileIssue(at, file));
    if (issue) issues.push(issue);
  }
  const variable = field(password, 'env');
  if (typeof variable === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(variable) && !env[variable]) {
    issues.push({
      path: ['repo', 'password', 'env'],
      code: 'env_not_set',
      message: `${variable} is not set in the environment Backstay runs in`,
      params: { name: variable },
    });
  }
  return issues;
}

/** `config.savePlan {plan}`: the repository it names exists (the schema alone cannot know). */
export function planSaveIssues(params: unknown, repoIds: readonly string[]): FieldIssue[] {
  const plan = field(params, 'plan');
  const mirrorIssues = plan !== null && typeof plan === 'object' ? mirrorSaveIssues(plan as Record<string, unknown>, repoIds) : [];
  const repo = field(plan, 'repo');
  if (typeof repo !== 'string' || repo === '' || repoIds.includes(repo)) return mirrorIssues;
  return [{ path: ['plan', 'repo'], code: 'unknown_repo', message: `no repository "${repo}"`, params: { repo } }, ...mirrorIssues];
}

const MIRROR_ISSUE_CODES = { own_repo: 'mirror_is_own_repo', unknown_repo: 'unknown_repo', twice: 'mirror_twice' } as const;

/** A mirror that is the plan's own repository, one that does not exist, or one named twice (issue 15). */
function mirrorSaveIssues(plan: Record<string, unknown>, repoIds: readonly string[]): FieldIssue[] {
  return findMirrorProblems(plan, new Set(repoIds)).map((p) => ({
    path: ['plan', ...p.path],
    code: MIRROR_ISSUE_CODES[p.kind],
    message: p.message,
    params: { repo: p.repo },
  }));
}

const VERSION_CHECK_TIMEOUT_MS = 10_000;

/**
 * `settings.resticBinary`: there is a program there, it may be run, it answers `version` as restic, and the
 * version is at least MIN_RESTIC_VERSION. Uses the discovery the engine uses, so what passes here is what runs.
 */
export async function resticBinaryIssues(configured: string, env: NodeJS.ProcessEnv, at: Path = ['settings', 'resticBinary']): Promise<FieldIssue[]> {
  const minimum = `${MIN_RESTIC_VERSION.major}.${MIN_RESTIC_VERSION.minor}.${MIN_RESTIC_VERSION.patch}`;
  const isBareName = !configured.includes('/') && !configured.includes('\\');
  if (!isBareName) {
    const shape = pathShapeIssue(at, configured);
    if (shape) return [shape];
    try {
      const st = await stat(configured);
      if (!st.isFile()) return [{ path: at, code: 'not_a_file', message: 'is not a file' }];
    } catch {
      return [{ path: at, code: 'restic_not_found', message: 'there is no program at this path' }];
    }
    try {
      await access(configured, fsConstants.X_OK);
    } catch {
      return [{ path: at, code: 'restic_not_executable', message: 'this file may not be run (it is not executable)' }];
    }
  }
  try {
    const binary = findResticBinary({ configured, env });
    await readResticVersion(binary, { env, timeoutMs: VERSION_CHECK_TIMEOUT_MS });
    return [];
  } catch (err) {
    if (!(err instanceof BackstayError)) throw err;
    switch (err.code) {
      case 'RESTIC_TOO_OLD': {
        const found = parseResticVersion(err.detail ?? '');
        const version = found ? `${found.major}.${found.minor}.${found.patch}` : '?';
        return [{ path: at, code: 'restic_too_old', message: `restic ${version} is too old; Backstay needs ${minimum} or newer`, params: { version, minimum } }];
      }
      case 'RESTIC_FAILED':
        return [{ path: at, code: 'restic_not_restic', message: 'this program did not answer "version" as restic does' }];
      default:
        return [{ path: at, code: 'restic_not_found', message: isBareName ? `there is no "${configured}" on PATH` : 'there is no program at this path' }];
    }
  }
}

// The environment a restic child runs with. The password travels only here (never argv), by one of restic's
// own channels: RESTIC_PASSWORD, RESTIC_PASSWORD_FILE or RESTIC_PASSWORD_COMMAND.
import { BackstayError } from '../../common/errors.js';
import type { PasswordSource } from '../../common/state.js';
import { uriSecrets } from './redact.js';

export interface ResticRepoTarget {
  uri: string;
  password: PasswordSource;
  /** Extra variables for the backend (AWS_ACCESS_KEY_ID, B2_ACCOUNT_KEY, ...). */
  env?: Record<string, string>;
}

export interface BuildResticEnvOptions {
  /** The environment to start from, usually process.env. */
  baseEnv: NodeJS.ProcessEnv;
  /**
   * For `{keychain: true}`: the password the OS keychain holds (keychainPasswordFor). undefined: this host has no
   * keychain (serve, the CLI); null: it has one, and no password is stored there for the repository.
   */
  keychainPassword?: string | null;
}

/** What reads the OS keychain (the desktop host's KeychainProvider). */
interface KeychainReader {
  getPassword(repoId: string): Promise<string | null>;
}

/** The keychain's password for `repo` when its source is `{keychain: true}`, as BuildResticEnvOptions wants it. */
export async function keychainPasswordFor(keychain: KeychainReader | undefined, repo: { id: string; password: PasswordSource }): Promise<string | null | undefined> {
  if (!('keychain' in repo.password) || !keychain) return undefined;
  return (await keychain.getPassword(repo.id)) ?? null;
}

export interface ResticEnv {
  env: Record<string, string>;
  /** Values to redact from anything restic prints before it is shown, logged or stored. */
  secrets: string[];
}

/** Variables that choose the repository or its password: inherited ones must never decide for us. */
const INHERITED_REPO_VARS = [
  'RESTIC_PASSWORD',
  'RESTIC_PASSWORD_FILE',
  'RESTIC_PASSWORD_COMMAND',
  'RESTIC_REPOSITORY',
  'RESTIC_REPOSITORY_FILE',
  'RESTIC_KEY_HINT',
];

/** Backend variables whose values are secrets (and long enough that redacting them cannot mangle output). */
const SECRET_KEY_PATTERN = /SECRET|PASSWORD|PASSWD|TOKEN|KEY|CREDENTIAL|AUTH/i;
const MIN_REDACTABLE_LENGTH = 4;

export function buildResticEnv(repo: ResticRepoTarget, opts: BuildResticEnvOptions): ResticEnv {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(opts.baseEnv)) {
    if (value !== undefined && !INHERITED_REPO_VARS.includes(key)) env[key] = value;
  }
  const secrets: string[] = [...uriSecrets(repo.uri)];
  for (const [key, value] of Object.entries(repo.env ?? {})) {
    // The password comes from `repo.password` alone; a RESTIC_PASSWORD* in `env` would bypass it.
    if (INHERITED_REPO_VARS.includes(key)) continue;
    env[key] = value;
    if (SECRET_KEY_PATTERN.test(key) && value.length >= MIN_REDACTABLE_LENGTH) secrets.push(value);
  }
  env.RESTIC_REPOSITORY = repo.uri;

  const source = repo.password;
  if ('file' in source) {
    env.RESTIC_PASSWORD_FILE = source.file;
  } else if ('env' in source) {
    const value = opts.baseEnv[source.env];
    if (value === undefined || value === '') {
      throw new BackstayError(
        'CONFIG_INVALID',
        `The repository password should come from the environment variable ${source.env}, but ${source.env} is not set.`,
      );
    }
    env.RESTIC_PASSWORD = value;
    secrets.push(value);
  } else if ('command' in source) {
    env.RESTIC_PASSWORD_COMMAND = source.command;
  } else if ('keychain' in source) {
    const value = opts.keychainPassword;
    if (value === null || value === '') {
      throw new BackstayError(
        'PASSWORD_MISSING',
        'The system keychain holds no password for this repository. Edit the repository and type its password again.',
      );
    }
    if (value === undefined) {
      throw new BackstayError(
        'NOT_SUPPORTED',
        'The repository password is kept in the OS keychain, which only the desktop app can read. ' +
          'Run this from the desktop app, or use a password file, variable or command instead.',
      );
    }
    env.RESTIC_PASSWORD = value;
    secrets.push(value);
  } else {
    throw new BackstayError('CONFIG_INVALID', 'The repository has no password source (file, env, command or keychain).');
  }
  return { env, secrets };
}

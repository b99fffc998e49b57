// What config.get and `backstay export` show of a repository: everything but its secrets. A secret env value, the
// password in a URI and an inline password command are replaced by SECRET_MASK; saving a repository with a masked
// value back keeps the stored one, so a form can round-trip what it was shown without learning or losing a secret.
import type { RepoConfig } from './schema.js';

export const SECRET_MASK = '********';

type Repo = Pick<RepoConfig, 'uri' | 'password' | 'env'> & { [key: string]: unknown };

/**
 * Env names whose values are credentials: restic's password, cloud keys and tokens (AWS_SECRET_ACCESS_KEY,
 * B2_ACCOUNT_KEY, AZURE_ACCOUNT_KEY, GOOGLE_*, anything with SECRET, TOKEN, PASSWORD or a _KEY part). Names ending in
 * _ID (AWS_ACCESS_KEY_ID, B2_ACCOUNT_ID) are account names, not secrets, and stay readable.
 */
export function isSecretEnvName(name: string): boolean {
  const n = name.toUpperCase();
  if (n.startsWith('GOOGLE_')) return true;
  if (n.endsWith('_ID')) return false;
  return /SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|_PASS$|_PASS_|_KEY$|_KEY_|_SAS$|^ST_KEY$/.test(n);
}

const URI_PASSWORD = /^([a-z0-9+.-]*:?[a-z0-9+.-]+:\/\/[^/@:]*:)([^@/]+)(@)/i;

/** "rest:https://me:pw@host/" -> "rest:https://me:********@host/". */
export function maskUriPassword(uri: string): string {
  return uri.replace(URI_PASSWORD, (_m, head: string, _pw: string, at: string) => `${head}${SECRET_MASK}${at}`);
}

export function maskRepoSecrets<R extends Repo>(repo: R): R {
  const env = Object.fromEntries(Object.entries(repo.env ?? {}).map(([k, v]) => [k, isSecretEnvName(k) && v !== '' ? SECRET_MASK : v]));
  const password = 'command' in repo.password ? { command: SECRET_MASK } : repo.password;
  return { ...repo, uri: maskUriPassword(repo.uri), env, password };
}

/** `incoming` with every value still equal to SECRET_MASK replaced by what `stored` (the same repository) holds. */
export function restoreMaskedSecrets<R extends Repo>(incoming: R, stored: Repo | undefined): R {
  if (!stored) return incoming;
  const env = Object.fromEntries(
    Object.entries(incoming.env ?? {}).map(([k, v]) => [k, v === SECRET_MASK && stored.env?.[k] !== undefined ? stored.env[k]! : v]),
  );
  const password =
    'command' in incoming.password && incoming.password.command === SECRET_MASK && 'command' in stored.password
      ? stored.password
      : incoming.password;
  let uri = incoming.uri;
  const storedPassword = URI_PASSWORD.exec(stored.uri);
  if (storedPassword && uri.includes(`:${SECRET_MASK}@`) && maskUriPassword(stored.uri) === uri) uri = stored.uri;
  return { ...incoming, uri, env, password };
}

// Saving a repository, and with it the password the user typed for the keychain. The password goes straight from
// the form's local state to the host; it is never put in the store, in the repository's config or in an error.
import type { RepoInput } from '../../../../main/common/rpc.js';
import { RpcError, type BackstayClient } from '../../client/index.js';

/** The repository was saved but the keychain refused the password: the form stays open so the user can retry. */
export class KeychainSaveError extends RpcError {
  constructor(cause: unknown) {
    super(cause instanceof RpcError ? cause.code : 'KEYCHAIN', cause instanceof Error ? cause.message : String(cause));
    this.name = 'KeychainSaveError';
  }
}

/**
 * Saves the repository first (the keychain entry belongs to a repository that exists), then, when the password
 * comes from the keychain and the user typed one, stores it there.
 */
export async function saveRepoWithPassword(
  client: BackstayClient,
  repo: RepoInput,
  keychainPassword: string,
): Promise<{ ok: true; storedPassword: boolean }> {
  await client.invoke('config.saveRepo', { repo });
  if (!('keychain' in repo.password) || keychainPassword === '' || !client.canUseKeychain) {
    return { ok: true, storedPassword: false };
  }
  try {
    await client.invoke('keychain.setPassword', { repoId: repo.id, password: keychainPassword });
  } catch (err) {
    throw new KeychainSaveError(err);
  }
  return { ok: true, storedPassword: true };
}

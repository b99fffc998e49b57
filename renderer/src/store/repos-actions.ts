// What the Repositories views ask of the host. Saving a repository also stores the password the user typed for
// the keychain: it goes straight from the form's local state to the host, never into the store, the repository's
// config or an error.
import type { RepoInput } from '../../../main/common/rpc.js';
import { RpcError, type BackstayClient } from '../client/index.js';

/** The repository was saved but the keychain refused the password: the form stays open so the user can retry. */
export class KeychainSaveError extends RpcError {
  constructor(cause: unknown) {
    super(cause instanceof RpcError ? cause.code : 'KEYCHAIN', cause instanceof Error ? cause.message : String(cause));
    this.name = 'KeychainSaveError';
  }
}

/** The repository operations a card starts; each answers with the id of the operation it queued. */
export type RepoOpMethod = 'repos.check' | 'repos.unlock' | 'repos.repairIndex' | 'repos.stats';

export function createReposActions(client: BackstayClient) {
  return {
    /** The repository's saved config, as the edit form starts from it (undefined when it is gone). */
    async loadForEdit(repoId: string): Promise<RepoInput | undefined> {
      const config = await client.invoke('config.get', {});
      return config.repos.find((r) => r.id === repoId);
    },
    /**
     * Saves the repository first (the keychain entry belongs to a repository that exists), then, when the password
     * comes from the keychain and the user typed one, stores it there.
     */
    async save(repo: RepoInput, keychainPassword: string, create = false): Promise<{ ok: true; storedPassword: boolean }> {
      // `create`: a new repository, so the host refuses an id already in use rather than replacing that one.
      await client.invoke('config.saveRepo', create ? { repo, create } : { repo });
      if (!('keychain' in repo.password) || keychainPassword === '' || !client.canUseKeychain) {
        return { ok: true, storedPassword: false };
      }
      try {
        await client.invoke('keychain.setPassword', { repoId: repo.id, password: keychainPassword });
      } catch (err) {
        throw new KeychainSaveError(err);
      }
      return { ok: true, storedPassword: true };
    },
    remove: (repoId: string) => client.invoke('config.deleteRepo', { repoId }),
    init: (repoId: string) => client.invoke('repos.init', { repoId }),
    start: (method: RepoOpMethod, repoId: string) => client.invoke(method, { repoId }),
    /** Whether the OS keychain already holds a password for the repository (desktop app only). */
    keychainHas: (repoId: string) => client.invoke('keychain.has', { repoId }),
    /** The repository's newest statistics runs, newest first. */
    recentStats: (repoId: string, limit: number) => client.invoke('ops.list', { repoId, kind: 'stats', limit }),
  };
}

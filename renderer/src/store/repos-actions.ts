// What the Repositories views ask of the host. Saving a repository also stores the password the user typed for
// the keychain: it goes straight from the form's local state to the host, never into the store, the repository's
// config or an error.
import type { PlanInput, RepoInput } from '../../../main/common/rpc.js';
import { RpcError, type BackstayClient } from '../client/index.js';

/** The repository was saved but the keychain refused the password: the form stays open so the user can retry. */
export class KeychainSaveError extends RpcError {
  constructor(cause: unknown) {
    super(cause instanceof RpcError ? cause.code : 'KEYCHAIN', cause instanceof Error ? cause.message : String(cause));
    this.name = 'KeychainSaveError';
  }
}

/** The repository operations a card starts; each answers with the id of the operation it queued. */
export type RepoOpMethod = 'repos.unlock' | 'repos.repairIndex' | 'repos.stats';

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
    /**
     * Looks whether a repository is at the location (repos.testConnection), so that its card learns it: "Create the
     * repository here" where nothing is yet. What it finds reaches the window through the state; a failure too.
     */
    look: (repoId: string) => client.invoke('repos.testConnection', { repoId }).then(
      () => undefined,
      () => undefined,
    ),
    /** A typed password: the host stores it (keychain or a 0600 file) and points the repository at it. */
    setPassword: (repoId: string, password: string) => client.invoke('repos.setPassword', { repoId, password }),
    start: (method: RepoOpMethod, repoId: string) => client.invoke(method, { repoId }),
    /** `dryRun`: a preview of what prune would remove (its figures are in the operation's summary). */
    prune: (repoId: string, dryRun: boolean) => client.invoke('repos.prune', dryRun ? { repoId, dryRun } : { repoId }),
    /** restic check, reading `readDataSubset` of the data too when given ("10%", "1/5", "500M"). */
    check: (repoId: string, readDataSubset: string | null) => client.invoke('repos.check', readDataSubset ? { repoId, readDataSubset } : { repoId }),
    /** One operation as the host has it now (to follow a preview to its end). */
    operation: (opId: number) => client.invoke('ops.get', { opId }),
    /** A plan's or the settings' config as saved, for the editors of what the state does not carry (hooks, maintenance). */
    loadConfig: () => client.invoke('config.get', {}),
    /**
     * Saves part of a plan (its hooks, conditions, ...) onto the plan as saved now, read just before: two panels of
     * one plan page then never write back each other's old values.
     */
    async updatePlan(planId: string, patch: Partial<Omit<PlanInput, 'id'>>): Promise<{ ok: true }> {
      const saved = (await client.invoke('config.get', {})).plans.find((p) => p.id === planId);
      if (!saved) throw new RpcError('UNKNOWN_PLAN', `Plan "${planId}" no longer exists.`);
      return client.invoke('config.savePlan', { plan: { ...saved, ...patch } });
    },
    /** Whether the OS keychain already holds a password for the repository (desktop app only). */
    keychainHas: (repoId: string) => client.invoke('keychain.has', { repoId }),
    /** The repository's newest statistics runs, newest first. */
    recentStats: (repoId: string, limit: number) => client.invoke('ops.list', { repoId, kind: 'stats', limit }),
  };
}

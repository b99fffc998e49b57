// What the guided first run asks of the host: browse folders (or the desktop's native dialog), save the
// repository with its typed password, test it, create it when it is not there yet, save the plan, back it up.
// The typed password goes from the form straight to repos.setPassword; it is never kept here or in the store.
import type { PlanInput, RepoInput } from '../../../main/common/rpc.js';
import type { BackstayClient } from '../client/index.js';

/** What connecting found: a repository that was there already, or one created now at an empty location. */
export type ConnectOutcome = 'opened' | 'created';

export function createSetupActions(client: BackstayClient) {
  return {
    listDirs: (path?: string) => client.invoke('fs.listDirs', path === undefined ? {} : { path }),
    /** The desktop app's native folder dialog; null in a browser (which browses with listDirs). */
    chooseFolders: client.transport === 'bridge' ? async () => (await client.invoke('dialog.chooseFolders', {})).paths : null,
    /**
     * Saves the repository (`create` the first time; `onSaved` says it is saved, so a retry replaces it), stores a
     * typed password, then opens it, creating it when its location is empty. A failure names its cause (wrong
     * password, backend not reachable, ...).
     */
    async connect(repo: RepoInput, typedPassword: string, create: boolean, onSaved: () => void): Promise<ConnectOutcome> {
      await client.invoke('config.saveRepo', create ? { repo, create } : { repo });
      onSaved();
      if (typedPassword !== '') await client.invoke('repos.setPassword', { repoId: repo.id, password: typedPassword });
      const test = await client.invoke('repos.testConnection', { repoId: repo.id });
      if (test.initialized) return 'opened';
      await client.invoke('repos.init', { repoId: repo.id });
      return 'created';
    },
    /** Saves the plan and starts its first backup; answers the backup's operation id. */
    async startFirstBackup(plan: PlanInput): Promise<number> {
      await client.invoke('config.savePlan', { plan, create: true });
      return (await client.invoke('plans.backup', { planId: plan.id, trigger: 'manual' })).opId;
    },
  };
}

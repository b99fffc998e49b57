// What the Snapshots views ask of the host about restic snapshots: list, browse, search and compare them.
import type { BackstayClient } from '../client/index.js';

export function createSnapshotsActions(client: BackstayClient) {
  return {
    list: (repoId: string, planId: string) => client.invoke('snapshots.list', { repoId, ...(planId ? { planId } : {}) }),
    browse: (repoId: string, snapshotId: string, path: string) => client.invoke('snapshots.browse', { repoId, snapshotId, path }),
    search: (repoId: string, snapshotId: string, query: string, limit: number) =>
      client.invoke('snapshots.search', { repoId, snapshotId, query, limit }),
    /** Older first (`snapshotA`), so "added" means added since the older one. */
    diff: (repoId: string, snapshotA: string, snapshotB: string) => client.invoke('snapshots.diff', { repoId, snapshotA, snapshotB }),
    /** Queues `forget <id>` (issue 13); prune frees the data later. */
    forget: (repoId: string, snapshotId: string) => client.invoke('snapshots.forget', { repoId, snapshotId }),
    /** What restoring the whole snapshot writes (summary, or measured once by the host and cached). */
    size: (repoId: string, snapshotId: string) => client.invoke('snapshots.size', { repoId, snapshotId }),
  };
}

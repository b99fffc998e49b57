// `snapshots.*` and `restore.start`: what is in a repository's snapshots, and getting files back out of one.
import type { EngineInternals } from '../../engine-internals.js';
import { method, type AreaMethods } from '../method-table.js';
import * as s from '../schemas.js';
import { validateRestoreTarget } from '../../snapshots/restore-plan.js';
import { requireRepo } from './lookups.js';
import { assertDistinctNames } from '../../snapshots/flat-restore.js';

/** restic recreates each snapshot path under --target; "/" puts them back where they were (POSIX paths). */
const ORIGINAL_LOCATION_TARGET = '/';
import type { HistoryMethod } from './history.js';

export function snapshotMethods(engine: EngineInternals): Omit<AreaMethods<'snapshots' | 'restore'>, HistoryMethod> {
  return {
    'snapshots.list': method({
      params: s.snapshotsList,
      handler: async ({ repoId, planId }) => {
        requireRepo(engine, repoId);
        return { snapshots: await engine.snapshots.list(repoId, planId) };
      },
    }),
    'snapshots.browse': method({
      params: s.snapshotsBrowse,
      handler: async ({ repoId, snapshotId, path }) => {
        requireRepo(engine, repoId);
        return { entries: await engine.snapshots.browse(repoId, snapshotId, path) };
      },
    }),
    'snapshots.search': method({
      params: s.snapshotsSearch,
      handler: async ({ repoId, snapshotId, query, limit }) => {
        requireRepo(engine, repoId);
        return { entries: await engine.snapshots.search(repoId, snapshotId, query, limit ?? 200) };
      },
    }),
    'snapshots.diff': method({
      params: s.snapshotsDiff,
      handler: async ({ repoId, snapshotA, snapshotB }) => {
        requireRepo(engine, repoId);
        return engine.snapshots.diff(repoId, snapshotA, snapshotB);
      },
    }),
    'snapshots.forget': method({
      params: s.snapshotRef,
      handler: async ({ repoId, snapshotId }) => {
        requireRepo(engine, repoId);
        // Resolved first: a prefix restic would read differently, or a snapshot already gone, fails here and not in restic.
        const snapshot = await engine.snapshots.resolve(repoId, snapshotId);
        const op = engine.orchestrator.enqueue({
          kind: 'forget',
          repoId,
          planId: snapshot.planId ?? null,
          trigger: 'manual',
          params: { snapshotIds: [snapshot.id] },
        });
        return { opId: op.id };
      },
    }),
    'snapshots.size': method({
      params: s.snapshotRef,
      handler: async ({ repoId, snapshotId }) => {
        requireRepo(engine, repoId);
        return engine.snapshots.totalSize(repoId, snapshotId);
      },
    }),
    'restore.start': method({
      params: s.restoreStart,
      handler: async ({ repoId, snapshotId, paths, target, overwrite, overwriteMode, flatten, originalLocation }) => {
        requireRepo(engine, repoId);
        const snapshot = await engine.snapshots.resolve(repoId, snapshotId);
        // Each chosen path must exist in the snapshot (PATH_NOT_IN_SNAPSHOT names it otherwise); nothing is written before.
        for (const p of paths ?? []) await engine.snapshots.entry(repoId, snapshot.id, p);
        const chosen = paths ?? [];
        // Back to the original location: restic recreates each path from the root, over what is there (as
        // overwriteMode says); the checks for a chosen folder (not inside the source, a fresh subfolder) do not apply.
        const resolved = originalLocation
          ? { target: ORIGINAL_LOCATION_TARGET }
          : await validateRestoreTarget({
              target,
              snapshotPaths: chosen.length > 0 ? chosen : snapshot.paths,
              overwrite: overwrite ?? false,
              snapshotId: snapshot.id,
            });
        if (flatten && !originalLocation) assertDistinctNames(chosen);
        const op = engine.orchestrator.enqueue({
          kind: 'restore',
          repoId,
          planId: snapshot.planId ?? null,
          trigger: 'manual',
          params: {
            snapshotId: snapshot.id,
            paths: chosen,
            target: resolved.target,
            overwrite: originalLocation ? true : (overwrite ?? false),
            ...(overwriteMode ? { overwriteMode } : {}),
            ...(flatten && !originalLocation && chosen.length > 0 ? { flatten: true } : {}),
            ...(originalLocation ? { originalLocation: true } : {}),
          },
        });
        return { opId: op.id };
      },
    }),
  };
}

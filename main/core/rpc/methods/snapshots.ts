// `snapshots.*` and `restore.start`: what is in a repository's snapshots, and getting files back out of one.
import type { EngineInternals } from '../../engine-internals.js';
import { method, type AreaMethods } from '../method-table.js';
import * as s from '../schemas.js';
import { validateRestoreTarget } from '../../snapshots/restore-plan.js';
import { requireRepo } from './lookups.js';

export function snapshotMethods(engine: EngineInternals): AreaMethods<'snapshots' | 'restore'> {
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
    'restore.start': method({
      params: s.restoreStart,
      handler: async ({ repoId, snapshotId, paths, target, overwrite }) => {
        requireRepo(engine, repoId);
        const snapshot = await engine.snapshots.resolve(repoId, snapshotId);
        // Each chosen path must exist in the snapshot (PATH_NOT_IN_SNAPSHOT names it otherwise); nothing is written before.
        for (const p of paths ?? []) await engine.snapshots.entry(repoId, snapshot.id, p);
        const resolved = await validateRestoreTarget({
          target,
          snapshotPaths: paths && paths.length > 0 ? paths : snapshot.paths,
          overwrite: overwrite ?? false,
          snapshotId: snapshot.id,
        });
        const op = engine.orchestrator.enqueue({
          kind: 'restore',
          repoId,
          planId: snapshot.planId ?? null,
          trigger: 'manual',
          params: { snapshotId: snapshot.id, paths: paths ?? [], target: resolved.target, overwrite: overwrite ?? false },
        });
        return { opId: op.id };
      },
    }),
  };
}

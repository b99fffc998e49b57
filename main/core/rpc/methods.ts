// The handlers behind the RPC method names (main/common/rpc.ts). Thin: each validates what the schema cannot,
// then asks the orchestrator, the oplog, the snapshot service or the config.
import { BackstayError } from '../../common/errors.js';
import type { Operation, Settings } from '../../common/index.js';
import type { EngineInternals } from '../engine-internals.js';
import type { MethodTable } from './method-table.js';
import * as s from './schemas.js';
import { previewRuns } from '../schedule/next-run.js';
import { settingsSchema } from '../config/schema.js';
import { validateRestoreTarget } from '../snapshots/restore-plan.js';
import { initRepository } from './init-repository.js';
import { fieldIssuesFromZod, invalidParams } from './field-issues.js';
import { planSaveIssues, repoSaveIssues, resticBinaryIssues } from '../config/validate-on-save.js';

export function buildMethodTable(engine: EngineInternals): MethodTable {
  const getOp = (opId: number): Operation => {
    const op = engine.store.get(opId);
    if (!op) throw new BackstayError('UNKNOWN_OPERATION', `There is no operation ${opId}.`);
    return op;
  };
  const requireRepo = (repoId: string) => {
    const repo = engine.config().repos.find((r) => r.id === repoId);
    if (!repo) throw new BackstayError('UNKNOWN_REPO', `There is no repository "${repoId}".`);
    return repo;
  };
  const repoOp = (kind: Operation['kind']) => ({
    params: s.repoRef,
    handler: ({ repoId }: { repoId: string }) => {
      requireRepo(repoId);
      return { opId: engine.orchestrator.enqueue({ kind, repoId, trigger: 'manual' }).id };
    },
  });

  return {
    'state.get': { params: s.empty, handler: () => engine.state() },
    'plans.backup': {
      params: s.planRef,
      handler: ({ planId, trigger }) => {
        const plan = engine.config().plans.find((p) => p.id === planId);
        if (!plan) {
          const known = engine.config().plans.map((p) => p.id).join(', ') || 'none';
          throw new BackstayError('UNKNOWN_PLAN', `There is no plan "${planId}" (known: ${known}).`);
        }
        const op = engine.orchestrator.enqueue({ kind: 'backup', repoId: plan.repo, planId, trigger: trigger ?? 'manual' });
        return { opId: op.id };
      },
    },
    'ops.cancel': {
      params: s.opRef,
      handler: ({ opId }) => {
        const op = getOp(opId);
        if (!engine.orchestrator.cancel(opId, 'user')) {
          if (op.status === 'queued' || op.status === 'running' || op.status === 'stalled') {
            throw new BackstayError('NOT_SUPPORTED', `Operation ${opId} is run by another Backstay process (pid ${op.ownerPid}); cancel it there.`);
          }
        }
        return { ok: true as const };
      },
    },
    'ops.keepWaiting': {
      params: s.opRef,
      handler: ({ opId }) => {
        getOp(opId);
        engine.orchestrator.keepWaiting(opId);
        return { ok: true as const };
      },
    },
    'ops.get': { params: s.opRef, handler: ({ opId }) => getOp(opId) },
    'ops.list': { params: s.opsList, handler: (query) => ({ ops: engine.store.list(query) }) },
    'ops.log': {
      params: s.opsLog,
      handler: ({ opId, afterSeq, limit }) => {
        getOp(opId);
        return { lines: engine.store.readLog(opId, afterSeq, limit) };
      },
    },
    'repos.unlock': repoOp('unlock'),
    'repos.prune': repoOp('prune'),
    'repos.repairIndex': repoOp('repairIndex'),
    'repos.stats': repoOp('stats'),
    'repos.check': {
      params: s.checkParams,
      handler: ({ repoId, readDataSubset }) => {
        requireRepo(repoId);
        const params = readDataSubset ? { readDataSubset } : null;
        return { opId: engine.orchestrator.enqueue({ kind: 'check', repoId, trigger: 'manual', params }).id };
      },
    },
    'repos.init': {
      params: s.repoRef,
      handler: async ({ repoId }) => {
        requireRepo(repoId);
        await initRepository(engine, repoId);
        return { ok: true as const };
      },
    },
    'snapshots.list': {
      params: s.snapshotsList,
      handler: async ({ repoId, planId }) => {
        requireRepo(repoId);
        return { snapshots: await engine.snapshots.list(repoId, planId) };
      },
    },
    'snapshots.browse': {
      params: s.snapshotsBrowse,
      handler: async ({ repoId, snapshotId, path }) => {
        requireRepo(repoId);
        return { entries: await engine.snapshots.browse(repoId, snapshotId, path) };
      },
    },
    'snapshots.search': {
      params: s.snapshotsSearch,
      handler: async ({ repoId, snapshotId, query, limit }) => {
        requireRepo(repoId);
        return { entries: await engine.snapshots.search(repoId, snapshotId, query, limit ?? 200) };
      },
    },
    'snapshots.diff': {
      params: s.snapshotsDiff,
      handler: async ({ repoId, snapshotA, snapshotB }) => {
        requireRepo(repoId);
        return engine.snapshots.diff(repoId, snapshotA, snapshotB);
      },
    },
    'restore.start': {
      params: s.restoreStart,
      handler: async ({ repoId, snapshotId, paths, target, overwrite }) => {
        requireRepo(repoId);
        const snapshot = await engine.snapshots.resolve(repoId, snapshotId);
        // Each chosen path must exist in the snapshot (PATH_NOT_IN_SNAPSHOT names it otherwise); nothing is written before.
        for (const p of paths ?? []) await engine.snapshots.entry(repoId, snapshot.id, p);
        const resolved = await validateRestoreTarget({
          target,
          snapshotPaths: paths && paths.length > 0 ? paths : snapshot.paths,
          overwrite: overwrite ?? false,
          snapshotId: snapshot.id,
        });
        const resolvedTarget = resolved.target;
        const op = engine.orchestrator.enqueue({
          kind: 'restore',
          repoId,
          planId: snapshot.planId ?? null,
          trigger: 'manual',
          params: { snapshotId: snapshot.id, paths: paths ?? [], target: resolvedTarget, overwrite: overwrite ?? false },
        });
        return { opId: op.id };
      },
    },
    'config.get': {
      params: s.empty,
      handler: () => {
        const config = engine.config();
        return { repos: config.repos, plans: config.plans, settings: config.settings as Settings } as never;
      },
    },
    'config.saveRepo': {
      params: s.saveRepo,
      moreIssues: (params) => repoSaveIssues(params, process.env),
      handler: async ({ repo }) => {
        await engine.mutateConfig((c) => {
          const index = c.repos.findIndex((r) => r.id === repo.id);
          if (index === -1) c.repos.push(repo as never);
          else c.repos[index] = repo as never;
        });
        return { ok: true as const };
      },
    },
    'config.deleteRepo': {
      params: s.repoRef,
      handler: async ({ repoId }) => {
        requireRepo(repoId);
        const users = engine.config().plans.filter((p) => p.repo === repoId).map((p) => p.id);
        if (users.length > 0) {
          throw new BackstayError('BAD_PARAMS', `Repository "${repoId}" is used by plan(s) ${users.join(', ')}; remove them first.`);
        }
        await engine.mutateConfig((c) => {
          c.repos = c.repos.filter((r) => r.id !== repoId);
        });
        return { ok: true as const };
      },
    },
    'config.savePlan': {
      params: s.savePlan,
      moreIssues: (params) => planSaveIssues(params, engine.config().repos.map((r) => r.id)),
      handler: async ({ plan }) => {
        await engine.mutateConfig((c) => {
          const index = c.plans.findIndex((p) => p.id === plan.id);
          if (index === -1) c.plans.push(plan as never);
          else c.plans[index] = plan as never;
        });
        return { ok: true as const };
      },
    },
    'config.deletePlan': {
      params: s.deletePlan,
      handler: async ({ planId }) => {
        await engine.mutateConfig((c) => {
          c.plans = c.plans.filter((p) => p.id !== planId);
        });
        return { ok: true as const };
      },
    },
    'config.saveSettings': {
      params: s.saveSettings,
      handler: async ({ settings }) => {
        const current = engine.config().settings;
        const merged = { ...current, ...settings };
        const parsed = settingsSchema.safeParse(merged);
        const issues = parsed.success ? [] : fieldIssuesFromZod(parsed.error.issues, merged, ['settings']);
        // A restic program is checked when it is set, or set again while the one configured does not work: the
        // next backup must not find out that it is missing, not restic, or too old.
        // Checked even when another setting is wrong, so that the form learns every problem at once.
        const binary = typeof merged.resticBinary === 'string' && merged.resticBinary !== '' ? merged.resticBinary : null;
        if (binary !== null && Object.hasOwn(settings, 'resticBinary') && (binary !== current.resticBinary || engine.state().restic.error !== null)) {
          issues.push(...(await resticBinaryIssues(binary, process.env)));
        }
        if (issues.length > 0 || !parsed.success) throw invalidParams('config.saveSettings', issues);
        await engine.mutateConfig((c) => {
          c.settings = parsed.data as never;
        });
        // Saving applied the change (the engine looks for restic again when the setting changes); answer once the
        // state says what is detected now, so the window never shows the old program after "Saved".
        await engine.resolveRestic().catch(() => undefined);
        return { ok: true as const };
      },
    },
    'schedule.pause': {
      params: s.pause,
      handler: ({ until }) => {
        if (!engine.scheduler) throw new BackstayError('NOT_SUPPORTED', 'Schedules do not run in this process.');
        engine.scheduler.pause(until === null ? null : new Date(until));
        return { ok: true as const };
      },
    },
    'schedule.resume': {
      params: s.empty,
      handler: () => {
        if (!engine.scheduler) throw new BackstayError('NOT_SUPPORTED', 'Schedules do not run in this process.');
        engine.scheduler.resume();
        return { ok: true as const };
      },
    },
    'schedule.preview': {
      params: s.preview,
      handler: ({ schedule, count }) => ({
        runs: previewRuns(schedule, new Date(), count ?? 5).map((d: Date) => d.toISOString()),
      }),
    },
  } as MethodTable;
}

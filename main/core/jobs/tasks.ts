// The task table: one spec per operation kind.
import { existsSync } from 'node:fs';
import { BackstayError } from '../../common/errors.js';
import { paramsOf, type OpKind } from '../../common/index.js';
import {
  backupArgs,
  checkArgs,
  escapeIncludePattern,
  forgetArgs,
  forgetSnapshotsArgs,
  pruneArgs,
  repairIndexArgs,
  restoreArgs,
  statsArgs,
  unlockArgs,
  splitExcludes,
} from '../restic/args.js';
import { writeTempExcludeFile } from '../restic/exclude-file.js';
import { decideBackupOutcome } from './backup-outcome.js';
import { copyTask } from './copy-task.js';
import { indexTask } from '../history/index-task.js';
import type { TaskContext, TaskSpec } from './task.js';
import { createVerifyTask } from './verify-task.js';
import { pruneFigureOf } from '../restic/prune-figures.js';
import { assertDistinctNames, moveUpRestored, removeStaging, stagingFolderFor } from '../snapshots/flat-restore.js';

/** A number restic reported, or null where this version does not report it. */
function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

function requirePlan(ctx: TaskContext) {
  if (!ctx.plan) throw new BackstayError('UNKNOWN_PLAN', 'This operation needs a plan.');
  return ctx.plan;
}

const backup: TaskSpec = {
  kind: 'backup',
  exclusiveLock: false,
  watchStalls: true,
  precheck(ctx) {
    const plan = requirePlan(ctx);
    const missing = plan.paths.filter((p) => !existsSync(p));
    // All missing: restic would only say "all target directories/files do not exist". Name them instead.
    // Some missing: restic backs up the rest and names each missing path (a warning), as a user expects.
    if (missing.length === plan.paths.length) {
      const list = missing.map((p) => `"${p}"`).join(', ');
      throw new BackstayError(
        'SOURCE_MISSING',
        `Nothing to back up for plan "${plan.id}": ${list} ${missing.length === 1 ? 'does' : 'do'} not exist (is the drive connected?).`,
      );
    }
  },
  args(ctx) {
    const plan = requirePlan(ctx);
    return backupArgs({ flags: ctx.repo.flags, planId: plan.id, paths: plan.paths, excludes: plan.excludes });
  },
  async prepare(ctx) {
    const plan = requirePlan(ctx);
    const { onCommandLine, inFile } = splitExcludes(plan.excludes);
    if (inFile.length === 0) return { args: this.args(ctx) };
    const file = await writeTempExcludeFile(inFile);
    const args = backupArgs({ flags: ctx.repo.flags, planId: plan.id, paths: plan.paths, excludes: onCommandLine, excludeFile: file.path });
    return { args, cleanup: () => file.remove() };
  },
  decide({ outcome, cancelReason, secrets }, ctx) {
    return decideBackupOutcome({ ...outcome, version: ctx.version, cancelReason, secrets });
  },
};

const forget: TaskSpec = {
  kind: 'forget',
  exclusiveLock: true,
  watchStalls: false,
  args(ctx) {
    // Chosen snapshots (issue 13: "Forget this snapshot"): exactly those, no plan or rules involved.
    const chosen = paramsOf(ctx, 'forget')?.snapshotIds;
    if (chosen && chosen.length > 0) return forgetSnapshotsArgs({ flags: ctx.repo.flags, snapshotIds: chosen });
    const plan = requirePlan(ctx);
    // On one of the plan's mirrors (issue 15), that mirror's own rules apply, to the plan's snapshots there only.
    const retention = ctx.repo.id === plan.repo ? plan.retention : ((plan.mirrors ?? []).find((m) => m.repo === ctx.repo.id)?.retention ?? null);
    if (!retention) throw new BackstayError('BAD_PARAMS', `Plan "${plan.id}" has no retention rules for repository "${ctx.repo.id}".`);
    return forgetArgs({ flags: ctx.repo.flags, planId: plan.id, retention });
  },
  collect(message, collected) {
    if (message.type === 'unknown' && Array.isArray(message.raw.value)) collected.groups = message.raw.value;
  },
  refine(_outcome, base, collected, ctx) {
    const chosen = paramsOf(ctx, 'forget')?.snapshotIds;
    if (chosen && chosen.length > 0) return { ...base, summary: base.status === 'success' ? { kept: 0, removed: chosen.length } : null };
    const groups = Array.isArray(collected.groups) ? (collected.groups as Array<Record<string, unknown>>) : [];
    const count = (key: string) => groups.reduce((n, g) => n + (Array.isArray(g[key]) ? (g[key] as unknown[]).length : 0), 0);
    return { ...base, summary: { kept: count('keep'), removed: count('remove') } };
  },
};

const simple = (kind: OpKind, exclusiveLock: boolean, args: (ctx: TaskContext) => string[]): TaskSpec => ({
  kind,
  exclusiveLock,
  watchStalls: false,
  args,
});

const stats: TaskSpec = {
  kind: 'stats',
  exclusiveLock: false,
  watchStalls: false,
  args: (ctx) => statsArgs({ flags: ctx.repo.flags, mode: 'raw-data' }),
  collect(message, collected) {
    if (message.type === 'unknown' && !Array.isArray(message.raw.value)) collected.stats = message.raw;
  },
  refine(_outcome, base, collected) {
    const raw = (collected.stats ?? {}) as Record<string, unknown>;
    return {
      ...base,
      summary: {
        totalSize: numberOrNull(raw.total_size),
        totalUncompressedSize: numberOrNull(raw.total_uncompressed_size),
        totalBlobCount: numberOrNull(raw.total_blob_count),
        snapshotsCount: numberOrNull(raw.snapshots_count),
        compressionRatio: numberOrNull(raw.compression_ratio),
      },
    };
  },
};

const prune: TaskSpec = {
  kind: 'prune',
  exclusiveLock: true,
  watchStalls: false,
  args: (ctx) => pruneArgs({ flags: ctx.repo.flags, dryRun: paramsOf(ctx, 'prune')?.dryRun === true }),
  collect(message, collected) {
    const figure = message.type === 'text' ? pruneFigureOf(message.text) : null;
    if (figure) ((collected.figures ??= []) as { label: string; value: string }[]).push(figure);
  },
  refine(_outcome, base, collected, ctx) {
    const figures = (collected.figures ?? []) as { label: string; value: string }[];
    return { ...base, summary: { dryRun: paramsOf(ctx, 'prune')?.dryRun === true, figures } };
  },
};

function restoreIncludes(paths: readonly string[]): string[] {
  // --include takes globs: escape so a file named "a[1].txt" restores exactly that file.
  return paths.map((path) => escapeIncludePattern(path));
}

const restore: TaskSpec = {
  kind: 'restore',
  exclusiveLock: false,
  // 0.16+ prints restore progress; 0.14 prints nothing until done, so silence there is not a stall.
  watchStalls: (ctx) => ctx.features.restoreJson,
  args(ctx) {
    const p = paramsOf(ctx, 'restore');
    if (!p) throw new BackstayError('BAD_PARAMS', 'This restore has no snapshot or target recorded.');
    return restoreArgs(ctx.version, {
      flags: ctx.repo.flags,
      snapshotId: p.snapshotId,
      target: p.target,
      includes: restoreIncludes(p.paths),
      overwrite: p.overwriteMode,
    });
  },
  async prepare(ctx) {
    const p = paramsOf(ctx, 'restore');
    if (!p?.flatten || p.paths.length === 0) return { args: this.args(ctx) };
    assertDistinctNames(p.paths);
    const staging = stagingFolderFor(p.target);
    const args = restoreArgs(ctx.version, {
      flags: ctx.repo.flags,
      snapshotId: p.snapshotId,
      target: staging,
      includes: restoreIncludes(p.paths),
      overwrite: p.overwriteMode,
    });
    return {
      args,
      async finish(base) {
        if (base.status !== 'success' && base.status !== 'warning') return base;
        try {
          await moveUpRestored(staging, p.target, p.paths, p.overwrite || p.overwriteMode === 'always');
          return base;
        } catch (err) {
          const e = err instanceof BackstayError ? err : new BackstayError('INTERNAL', (err as Error).message);
          return { ...base, status: 'error', error: { code: e.code, message: e.message } };
        }
      },
      cleanup: () => removeStaging(staging),
    };
  },
  refine(outcome, base) {
    return { ...base, summary: outcome.summary ?? { target: outcome.progress } };
  },
};

export const TASKS: Record<OpKind, TaskSpec> = {
  backup,
  forget,
  prune,
  check: simple('check', true, (ctx) =>
    checkArgs({ flags: ctx.repo.flags, readDataSubset: paramsOf(ctx, 'check')?.readDataSubset ?? null }),
  ),
  unlock: simple('unlock', false, (ctx) => unlockArgs({ flags: ctx.repo.flags })),
  repairIndex: simple('repairIndex', true, (ctx) => repairIndexArgs(ctx.version, { flags: ctx.repo.flags })),
  stats,
  restore,
  copy: copyTask,
  verify: createVerifyTask(),
  index: indexTask,
};

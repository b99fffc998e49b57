// The task table: one spec per operation kind.
import { existsSync } from 'node:fs';
import { BackstayError } from '../../common/errors.js';
import type { OpKind } from '../../common/index.js';
import {
  backupArgs,
  checkArgs,
  forgetArgs,
  pruneArgs,
  repairIndexArgs,
  restoreArgs,
  statsArgs,
  unlockArgs,
  splitExcludes,
} from '../restic/args.js';
import { writeTempExcludeFile } from '../restic/exclude-file.js';
import { decideBackupOutcome } from './backup-outcome.js';
import { escapeIncludePattern } from '../snapshots/restore-plan.js';
import type { TaskContext, TaskSpec } from './task.js';

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
    const plan = requirePlan(ctx);
    if (!plan.retention) throw new BackstayError('BAD_PARAMS', `Plan "${plan.id}" has no retention rules.`);
    return forgetArgs({ flags: ctx.repo.flags, planId: plan.id, retention: plan.retention });
  },
  collect(message, collected) {
    if (message.type === 'unknown' && Array.isArray(message.raw.value)) collected.groups = message.raw.value;
  },
  refine(_outcome, base, collected) {
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
        totalSize: raw.total_size ?? null,
        totalUncompressedSize: raw.total_uncompressed_size ?? null,
        totalBlobCount: raw.total_blob_count ?? null,
        snapshotsCount: raw.snapshots_count ?? null,
        compressionRatio: raw.compression_ratio ?? null,
      },
    };
  },
};

const restore: TaskSpec = {
  kind: 'restore',
  exclusiveLock: false,
  // 0.16+ prints restore progress; 0.14 prints nothing until done, so silence there is not a stall.
  watchStalls: (ctx) => ctx.features.restoreJson,
  args(ctx) {
    const p = ctx.params ?? {};
    return restoreArgs(ctx.version, {
      flags: ctx.repo.flags,
      snapshotId: String(p.snapshotId),
      target: String(p.target),
      // --include takes globs: escape so a file named "a[1].txt" restores exactly that file.
      includes: Array.isArray(p.paths) ? (p.paths as string[]).map((path) => escapeIncludePattern(path)) : [],
    });
  },
  refine(outcome, base) {
    return { ...base, summary: outcome.summary ?? { target: outcome.progress } };
  },
};

export const TASKS: Record<OpKind, TaskSpec> = {
  backup,
  forget,
  prune: simple('prune', true, (ctx) => pruneArgs({ flags: ctx.repo.flags })),
  check: simple('check', true, (ctx) =>
    checkArgs({ flags: ctx.repo.flags, readDataSubset: (ctx.params?.readDataSubset as string | undefined) ?? null }),
  ),
  unlock: simple('unlock', false, (ctx) => unlockArgs({ flags: ctx.repo.flags })),
  repairIndex: simple('repairIndex', true, (ctx) => repairIndexArgs(ctx.version, { flags: ctx.repo.flags })),
  stats,
  restore,
};

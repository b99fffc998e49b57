// The `copy` task: `restic copy` of one plan's snapshots (by its tag) from the plan's repository to one of its
// mirrors. The operation's repository is the mirror (restic's `-r`); the source reaches restic only through the
// environment (RESTIC_FROM_REPOSITORY, RESTIC_FROM_PASSWORD_FILE / _COMMAND / RESTIC_FROM_PASSWORD, which restic
// 0.14 reads), never argv. restic copy skips snapshots the mirror already has, so a copy is always "bring the
// mirror up to date", and running it again is harmless.
import { BackstayError } from '../../common/errors.js';
import { paramsOf, type CopySummary, type OperationParams } from '../../common/index.js';
import type { RepoConfig } from '../config/schema.js';
import { planTag } from '../restic/args.js';
import { buildResticEnv, type BuildResticEnvOptions, type ResticEnv } from '../restic/env.js';
import type { TaskContext, TaskSpec } from './task.js';

/** The variables restic reads for the source of a copy, by the name it reads for its own repository. */
const FROM_NAMES: Readonly<Record<string, string>> = {
  RESTIC_REPOSITORY: 'RESTIC_FROM_REPOSITORY',
  RESTIC_PASSWORD: 'RESTIC_FROM_PASSWORD',
  RESTIC_PASSWORD_FILE: 'RESTIC_FROM_PASSWORD_FILE',
  RESTIC_PASSWORD_COMMAND: 'RESTIC_FROM_PASSWORD_COMMAND',
};

/**
 * The source repository's part of a copy's environment: its location and password as RESTIC_FROM_*, and its backend
 * variables (restic has one set of those for both repositories, so a variable both set differently is refused:
 * restic would use one repository's credentials for the other).
 */
export function buildFromRepoEnv(source: RepoConfig, mirror: RepoConfig, opts: BuildResticEnvOptions): ResticEnv {
  const built = buildResticEnv(source, opts);
  const env: Record<string, string> = {};
  for (const [name, fromName] of Object.entries(FROM_NAMES)) {
    const value = built.env[name];
    if (value !== undefined) env[fromName] = value;
  }
  for (const [key, value] of Object.entries(source.env ?? {})) {
    if (key in FROM_NAMES) continue;
    const theirs = mirror.env?.[key];
    if (theirs !== undefined && theirs !== value) {
      throw new BackstayError(
        'MIRROR_INVALID',
        `Repositories "${source.id}" and "${mirror.id}" both set ${key}, to different values; restic copy has one set of ` +
          'backend variables for both, so it cannot copy between them. Use a backend that takes its credentials from the location, or the same credentials.',
      );
    }
    env[key] = value;
  }
  return { env, secrets: built.secrets };
}

function sourceRepoIdOf(params: OperationParams | null): string | null {
  return paramsOf({ kind: 'copy', params }, 'copy')?.sourceRepoId ?? null;
}

/** The plan and the mirror entry this copy serves; throws for a copy that no longer matches the config. */
function mirrorOf(ctx: TaskContext) {
  const plan = ctx.plan;
  if (!plan) throw new BackstayError('UNKNOWN_PLAN', 'A copy needs a plan.');
  const source = sourceRepoIdOf(ctx.params);
  if (source !== plan.repo) {
    throw new BackstayError('MIRROR_INVALID', `Plan "${plan.id}" backs up to "${plan.repo}", not "${source ?? 'nothing'}": this copy no longer fits it.`);
  }
  if (ctx.repo.id === plan.repo) throw new BackstayError('MIRROR_INVALID', `A mirror of plan "${plan.id}" must be another repository than "${plan.repo}".`);
  const mirror = (plan.mirrors ?? []).find((m) => m.repo === ctx.repo.id);
  if (!mirror) throw new BackstayError('MIRROR_INVALID', `Repository "${ctx.repo.id}" is not a mirror of plan "${plan.id}" (any more).`);
  return { plan, mirror };
}

// restic 0.14-0.19 print, per snapshot, one of these lines (plain text; copy has no --json).
const SAVED = /^snapshot ([0-9a-f]{8,64}) saved\b/;
const SKIPPED = /^skipping source snapshot ([0-9a-f]{8,64}), was already copied to snapshot ([0-9a-f]{8,64})\b/;

interface CopyCollected {
  copied?: string[];
  skipped?: string[];
}

export const copyTask: TaskSpec = {
  kind: 'copy',
  exclusiveLock: false,
  // Progress comes as "N / M packs copied" (parse.ts), and restic's own I/O counts while a pack is large.
  watchStalls: true,
  // Without a terminal restic prints its progress only at the end; once a second it is a heartbeat to judge stalls by.
  extraEnv: { RESTIC_PROGRESS_FPS: '1' },
  fromRepoId: sourceRepoIdOf,
  precheck(ctx) {
    mirrorOf(ctx);
  },
  args(ctx) {
    const { plan } = mirrorOf(ctx);
    // Only this plan's snapshots: another plan sharing the repository may have no mirror, or another one.
    return [...ctx.repo.flags, 'copy', '--tag', planTag(plan.id)];
  },
  collect(message, collected) {
    if (message.type !== 'text') return;
    const c = collected as CopyCollected;
    const text = message.text.trim();
    const saved = SAVED.exec(text);
    if (saved) (c.copied ??= []).push(saved[1]!);
    const skipped = SKIPPED.exec(text);
    if (skipped) (c.skipped ??= []).push(skipped[2]!);
  },
  refine(_outcome, base, collected, ctx) {
    const c = collected as CopyCollected;
    const copied = c.copied ?? [];
    const present = [...copied, ...(c.skipped ?? [])];
    const summary: CopySummary = { snapshotsCopied: copied.length };
    const newest = copied.at(-1) ?? present.at(-1);
    if (newest) summary.snapshotId = newest;
    if (base.status === 'error' && base.error?.code === 'WRONG_PASSWORD') {
      const source = sourceRepoIdOf(ctx.params) ?? '?';
      // restic says "wrong password" for either repository without naming it.
      return {
        ...base,
        summary,
        error: { ...base.error, message: `The password of repository "${source}" (the source) or "${ctx.repo.id}" (the mirror) is wrong: restic found no key that opens it.` },
      };
    }
    if (base.status !== 'success' && base.status !== 'warning') return { ...base, summary };
    if (!newest) {
      return {
        status: 'error',
        summary,
        error: { code: 'NO_SNAPSHOT', message: `Plan "${ctx.plan?.id ?? '?'}" has no snapshots in "${sourceRepoIdOf(ctx.params) ?? '?'}" to copy yet.`, detail: null },
      };
    }
    return { ...base, summary, snapshotId: newest };
  },
};

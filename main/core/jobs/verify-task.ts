// The restore test (`verify`): from the plan's latest snapshot, restore a sample of files (verify-sample.ts) with
// `restic restore --verify` into a private temp folder, compare each restored file whose source is unchanged since
// the snapshot (same size and mtime, to the nanosecond) with the source by SHA-256, then remove the folder.
//
// Three steps in one operation: the listing (`restic ls --json latest --tag <plan>`) in prepare(), the restore as the
// operation's supervised restic process (stall watch, bounded cancel), the comparison in finish(). The temp folder
// is removed by cleanup(), which the orchestrator runs whatever happened (success, failure, cancel).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BackstayError } from '../../common/errors.js';
import type { OpError, VerifySummary } from '../../common/index.js';
import { verifySchema, type PlanConfig } from '../config/schema.js';
import { escapeIncludePattern, lsArgs, planTag, restoreArgs } from '../restic/args.js';
import { classifyResticExit } from '../restic/errors.js';
import type { ResticMessage } from '../restic/messages.js';
import { streamRestic } from '../restic/run-restic.js';
import { parseLsLine } from '../snapshots/ls-lines.js';
import type { PrepareIO, PreparedCommand, TaskContext, TaskResult, TaskSpec } from './task.js';
import { SampleCollector, type RandomSource, type SampleCandidate } from './verify-sample.js';

const MIB = 1024 * 1024;
const STDERR_TAIL_LINES = 20;
/** How many restore errors (by path) are kept: the sample is at most 10,000 files. */
const MAX_RESTORE_ERRORS = 10_000;
/** How many failing paths the error message names; the summary lists them all. */
const PATHS_IN_MESSAGE = 5;
/** restic 0.14-0.15 print restore errors as text: "ignoring error for /path: reason". */
const TEXT_RESTORE_ERROR = /^ignoring error for (.+?): (.+)$/;

type Failure = NonNullable<VerifySummary['failures']>[number];

/** What the listing found: the snapshot tested and the files sampled from it. */
interface Listing {
  snapshotId: string;
  sample: SampleCandidate[];
  filesInSnapshot: number;
}

export interface VerifyTaskOptions {
  /** Where the private temp folders are made (default os.tmpdir()). */
  tempRoot?: () => string;
  random?: RandomSource;
}

export function createVerifyTask(opts: VerifyTaskOptions = {}): TaskSpec {
  return {
    kind: 'verify',
    exclusiveLock: false,
    // 0.16+ prints restore progress; 0.14 prints nothing until done, so silence there is not a stall.
    watchStalls: (ctx) => ctx.features.restoreJson,
    precheck(ctx) {
      requirePlan(ctx);
    },
    args() {
      throw new BackstayError('INTERNAL', 'A restore test lists the snapshot first (prepare).');
    },
    async prepare(ctx, io) {
      const plan = requirePlan(ctx);
      const budget = verifyBudget(plan);
      const listing = await listLatest(ctx, io, budget, opts.random ?? Math.random);
      if (listing.sample.length === 0) {
        throw new BackstayError(
          'BAD_PARAMS',
          listing.filesInSnapshot === 0
            ? `Plan "${plan.id}"'s latest snapshot (${listing.snapshotId.slice(0, 8)}) holds no files to test.`
            : `No file of plan "${plan.id}"'s latest snapshot fits in verify.maxMiB (${budget.maxMiB} MiB); raise it to test this plan.`,
        );
      }
      // mkdtemp makes the folder 0700: the restored files (often private) are readable by this user only.
      const folder = await mkdtemp(path.join(opts.tempRoot?.() ?? os.tmpdir(), 'backstay-verify-'));
      const args = restoreArgs(ctx.version, {
        flags: ctx.repo.flags,
        snapshotId: listing.snapshotId,
        target: folder,
        includes: listing.sample.map((c) => escapeIncludePattern(c.path)),
        verify: true,
      });
      const command: PreparedCommand = {
        args,
        cleanup: () => removeTree(folder),
        finish: (base, collected, signal) => compareRestored(listing, folder, base, restoreErrorsOf(collected), signal, plan.id),
      };
      return command;
    },
    collect(message, collected) {
      collectRestoreError(message, collected);
    },
  };
}

/** The error of a restore test of a plan without a snapshot: the refusal (verify-readiness.ts), and the listing's. */
export function nothingToVerify(planId: string): BackstayError {
  return new BackstayError('NOTHING_TO_VERIFY', `Plan "${planId}" has no snapshot yet, so there is nothing to test: back it up first.`);
}

function requirePlan(ctx: TaskContext): PlanConfig {
  if (!ctx.plan) throw new BackstayError('UNKNOWN_PLAN', 'A restore test needs a plan.');
  return ctx.plan;
}

/** The plan's budget; a plan without `verify` (a test asked for by hand) uses the defaults (50 files, 200 MiB). */
function verifyBudget(plan: PlanConfig): { files: number; maxMiB: number } {
  const { files, maxMiB } = plan.verify ?? verifySchema.parse({});
  return { files, maxMiB };
}

async function listLatest(
  ctx: TaskContext,
  io: PrepareIO,
  budget: { files: number; maxMiB: number },
  random: RandomSource,
): Promise<Listing> {
  const collector = new SampleCollector({ files: budget.files, maxBytes: budget.maxMiB * MIB }, random);
  let snapshotId: string | null = null;
  let filesInSnapshot = 0;
  const stderrTail: string[] = [];
  const child = streamRestic(io.target, lsArgs({ flags: ctx.repo.flags, snapshotId: 'latest', tag: planTag(ctx.plan!.id) }), {
    onLine(stream, text) {
      if (stream === 'stderr') {
        stderrTail.push(text);
        if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
        return;
      }
      const line = parseLsLine(text);
      if (line.kind === 'snapshot') snapshotId ??= line.id;
      else if (line.kind === 'node' && line.type === 'file' && line.mtime !== null) {
        filesInSnapshot += 1;
        collector.offer({ path: line.path, size: line.size ?? 0, mtime: line.mtime });
      }
    },
    signal: io.signal,
  });
  const exit = await child.done;
  if (io.signal.aborted) throw new BackstayError('CANCELLED', 'The restore test was cancelled while listing the snapshot.');
  if (exit.lineError) throw exit.lineError;
  if (exit.spawnFailure) throw new BackstayError('RESTIC_START_FAILED', `restic could not be started: ${exit.spawnFailure.message}`);
  if (exit.exitCode !== 0 || snapshotId === null) {
    if (stderrTail.some((l) => /no snapshot/i.test(l)) || (exit.exitCode === 0 && snapshotId === null)) {
      // plans.verifyNow and the schedule ask first; this is the snapshot that went away since (forgotten by hand).
      throw nothingToVerify(ctx.plan!.id);
    }
    const classified = classifyResticExit({
      exitCode: exit.exitCode,
      signal: exit.signal,
      stderrTail,
      version: ctx.version,
      kind: 'ls',
      cancelRequested: false,
      secrets: io.target.secrets,
    });
    const error = classified.error ?? { code: 'RESTIC_FAILED', message: 'restic ls failed.', detail: null };
    throw new BackstayError(
      (error.code as BackstayError['code']) ?? 'RESTIC_FAILED',
      `The latest snapshot could not be listed: ${error.message}`,
      error.detail ?? null,
    );
  }
  return { snapshotId, sample: collector.pick(), filesInSnapshot };
}

/** What restic said it could not restore, by path (the first reason per path). */
function collectRestoreError(message: ResticMessage, collected: Record<string, unknown>): void {
  let item: string | null = null;
  let reason: string | null = null;
  if (message.type === 'error' && message.item) {
    item = message.item;
    reason = message.message;
  } else if (message.type === 'text') {
    const m = TEXT_RESTORE_ERROR.exec(message.text.trim());
    if (m) [item, reason] = [m[1]!, m[2]!];
  }
  if (item === null || reason === null) return;
  const errors = (collected.restoreErrors ??= new Map<string, string>()) as Map<string, string>;
  if (!errors.has(item) && errors.size < MAX_RESTORE_ERRORS) errors.set(item, reason);
}

function restoreErrorsOf(collected: Record<string, unknown>): ReadonlyMap<string, string> {
  return (collected.restoreErrors as Map<string, string> | undefined) ?? new Map();
}

async function compareRestored(
  listing: Listing,
  folder: string,
  base: TaskResult,
  restoreErrors: ReadonlyMap<string, string>,
  signal: AbortSignal,
  planId: string,
): Promise<TaskResult> {
  const failures: Failure[] = [];
  let filesChecked = 0;
  let bytesChecked = 0;
  let filesSkipped = 0;
  const summaryNow = (): VerifySummary => ({ snapshotId: listing.snapshotId, filesChecked, bytesChecked, filesSkipped, failures });
  // restic failed without naming a file (wrong password, locked, unreachable): that is the result, not a file's fault.
  if (base.status !== 'success' && restoreErrors.size === 0) return { ...base, summary: summaryNow(), snapshotId: listing.snapshotId };

  for (const file of listing.sample) {
    if (signal.aborted) throw new BackstayError('CANCELLED', 'The restore test was cancelled while comparing files.');
    const restoreError = restoreErrors.get(file.path);
    if (restoreError !== undefined) {
      failures.push({ path: file.path, reason: `restic could not restore it: ${restoreError}` });
      continue;
    }
    const restoredPath = path.join(folder, file.path);
    const restored = await lstat(restoredPath).catch(() => null);
    if (!restored?.isFile()) {
      failures.push({ path: file.path, reason: 'it was not restored' });
      continue;
    }
    if (restored.size !== file.size) {
      failures.push({ path: file.path, reason: `restored with ${restored.size} bytes; the snapshot records ${file.size}` });
      continue;
    }
    if (!(await sourceUnchanged(file))) {
      // restic --verify has checked the restored bytes against the snapshot; the source is no reference any more.
      filesSkipped += 1;
      continue;
    }
    const [restoredHash, sourceHash] = await Promise.all([sha256(restoredPath), sha256(file.path).catch(() => null)]);
    if (sourceHash === null) {
      filesSkipped += 1; // removed or unreadable between the look and the read
    } else if (restoredHash !== sourceHash) {
      failures.push({ path: file.path, reason: 'restored content differs from the source (SHA-256), which is unchanged since the snapshot' });
    } else {
      filesChecked += 1;
      bytesChecked += file.size;
    }
  }
  const summary = summaryNow();
  if (failures.length > 0) {
    return { status: 'error', error: verifyFailed(planId, failures, base.error), summary, snapshotId: listing.snapshotId };
  }
  return { ...base, summary, snapshotId: listing.snapshotId };
}

function verifyFailed(planId: string, failures: readonly Failure[], resticError: OpError | null): OpError {
  const named = failures.slice(0, PATHS_IN_MESSAGE).map((f) => `${f.path} (${f.reason})`);
  const more = failures.length > PATHS_IN_MESSAGE ? ` and ${failures.length - PATHS_IN_MESSAGE} more` : '';
  return {
    code: 'VERIFY_FAILED',
    message: `The restore test of plan "${planId}" failed for ${failures.length} file${failures.length === 1 ? '' : 's'}: ${named.join('; ')}${more}.`,
    detail: resticError?.detail ?? resticError?.message ?? null,
  };
}

/** Same size and mtime (to the nanosecond, as restic records it) as in the snapshot, and still a regular file. */
async function sourceUnchanged(file: SampleCandidate): Promise<boolean> {
  const source = await lstat(file.path, { bigint: true }).catch(() => null);
  if (!source?.isFile() || source.size !== BigInt(file.size)) return false;
  const recorded = mtimeNanoseconds(file.mtime);
  return recorded !== null && recorded === source.mtimeNs;
}

/** "2026-12-01T13:48:26.823550555Z" (or with an offset) -> ns since the epoch; null if it is not such a time. */
export function mtimeNanoseconds(mtime: string): bigint | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(mtime);
  if (!m) return null;
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(seconds)) return null;
  const fraction = BigInt((m[2] ?? '').padEnd(9, '0').slice(0, 9));
  return BigInt(seconds) * 1_000_000n + fraction;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Removes the temp folder even where restic restored a folder without write permission (mode 0555 in the snapshot). */
async function removeTree(folder: string): Promise<void> {
  await makeWritable(folder);
  await rm(folder, { recursive: true, force: true, maxRetries: 3 });
}

async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o700).catch(() => undefined);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory()) await makeWritable(path.join(dir, entry.name));
}

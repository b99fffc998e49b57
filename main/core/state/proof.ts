// "Last proven restorable" per plan and "last checked" per repository, derived from the oplog: the newest restore
// test (`verify`) or `check` that got to look at the data decides. One that never got there (the repository was
// locked or unreachable, restic missing, nothing to test, cancelled) proves nothing either way, so the one before
// it still stands; one that looked and failed (a damaged pack, a file that came back different) says "not proven"
// until a later one passes.
import type { ErrorCode, LastVerified, Operation } from '../../common/index.js';
import { summaryOf } from '../../common/index.js';

/** Errors of a test or check that never got to read the data. */
const DID_NOT_LOOK: ReadonlySet<ErrorCode | string> = new Set<ErrorCode>([
  'REPOSITORY_LOCKED',
  'NETWORK',
  'RESTIC_NOT_FOUND',
  'RESTIC_TOO_OLD',
  'RESTIC_START_FAILED',
  'UNKNOWN_PLAN',
  'UNKNOWN_REPO',
  'UNKNOWN_SNAPSHOT', // what a test of a plan without a snapshot ended with before NOTHING_TO_VERIFY
  'NOTHING_TO_VERIFY',
  'BAD_PARAMS',
  'CANCELLED',
  'INTERRUPTED',
]);

type Ended = Pick<Operation, 'id' | 'kind' | 'status' | 'endedAt' | 'error' | 'summary' | 'snapshotId'>;

/** True when the operation ended having read the data (passed or failed). */
function looked(op: Ended): boolean {
  if (op.status === 'success' || op.status === 'warning') return true;
  return op.status === 'error' && !DID_NOT_LOOK.has(op.error?.code ?? '');
}

/** A restore test's proof, or null when this test proves nothing either way (see DID_NOT_LOOK). */
export function lastVerifiedOf(op: Ended): LastVerified | null {
  if (op.kind !== 'verify' || !looked(op) || !op.endedAt) return null;
  const summary = summaryOf(op, 'verify');
  const ok = op.status === 'success' || op.status === 'warning';
  return {
    opId: op.id,
    at: op.endedAt,
    snapshotId: op.snapshotId ?? summary?.snapshotId ?? null,
    files: summary?.filesChecked ?? 0,
    bytes: summary?.bytesChecked ?? 0,
    ok,
    ...(ok ? {} : { errorMessage: op.error?.message ?? null, errorCode: op.error?.code ?? null }),
  };
}

/** The proof of the newest test that counts, from a plan's restore tests newest first. */
export function provenRestorable(verifyOpsNewestFirst: readonly Ended[]): LastVerified | null {
  for (const op of verifyOpsNewestFirst) {
    const proof = lastVerifiedOf(op);
    if (proof) return proof;
  }
  return null;
}

export interface LastCheck {
  lastCheckedAt: string;
  lastCheckOk: boolean;
}

/** A check's result for the repository's state, or null when it never got to read the repository. */
export function lastCheckOf(op: Ended): LastCheck | null {
  if (op.kind !== 'check' || !looked(op) || !op.endedAt) return null;
  return { lastCheckedAt: op.endedAt, lastCheckOk: op.status === 'success' || op.status === 'warning' };
}

/** The newest check that counts, from a repository's checks newest first. */
export function lastCheckAmong(checkOpsNewestFirst: readonly Ended[]): LastCheck | null {
  for (const op of checkOpsNewestFirst) {
    const check = lastCheckOf(op);
    if (check) return check;
  }
  return null;
}

/** The operations of one kind for a plan or repository, newest first (OpStore.list). */
type ListOps = (query: { planId?: string; repoId?: string; kind: 'verify' | 'check'; limit: number }) => readonly Ended[];

/** How far back a plan's or repository's proof is looked for: past a run of tests that could not run. */
const LOOKBACK = 50;

/** Each plan's proof, read from the oplog (at start and on config changes). */
export function provenRestorableByPlan(list: ListOps, planIds: readonly string[]): Map<string, LastVerified | null> {
  return new Map(planIds.map((planId) => [planId, provenRestorable(list({ planId, kind: 'verify', limit: LOOKBACK }))]));
}

/** Each repository's last check, read from the oplog; repositories never checked are absent. */
export function lastCheckByRepo(list: ListOps, repoIds: readonly string[]): Map<string, LastCheck> {
  const result = new Map<string, LastCheck>();
  for (const repoId of repoIds) {
    const check = lastCheckAmong(list({ repoId, kind: 'check', limit: LOOKBACK }));
    if (check) result.set(repoId, check);
  }
  return result;
}

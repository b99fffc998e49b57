// Startup reconciliation: whichever Backstay process opens the data directory turns the live operations of dead
// owners into `interrupted`, so no operation stays "running" after its process is gone. Only live rows are read
// (status index), so this stays fast however long the log is.
import { isLiveStatus } from '../../common/index.js';
import type { OpKind, Operation } from '../../common/index.js';
import {
  isPidAlive,
  isSameProcessAlive,
  processCommandLine,
  terminateProcessTreeSync,
} from '../process/process-identity.js';
import type { OpStore } from './store.js';

export interface ReconcileDeps {
  /** The owner process (pid + recorded start time) still runs. */
  isAlive(pid: number, startedAt: string | null): boolean;
  /** Stop a restic left behind by a dead owner, if it still runs and is restic. Must not throw. */
  killOrphanRestic(pid: number): void;
  now(): string;
}

export interface ReconcileResult {
  /** The operations now marked `interrupted` (or `cancelled`, for one that was being cancelled), as stored. */
  interrupted: Operation[];
  /** Repositories where a dead owner may have left a stale lock; the caller runs `restic unlock` on each. */
  reposToUnlock: string[];
}

const KIND_WORDS: Record<OpKind, string> = {
  backup: 'backup',
  forget: 'forget',
  prune: 'prune',
  check: 'check',
  unlock: 'unlock',
  repairIndex: 'index repair',
  restore: 'restore',
  stats: 'statistics run',
  copy: 'copy to a mirror',
  verify: 'restore test',
  index: 'history indexing',
};

export function interruptedMessage(op: Pick<Operation, 'kind' | 'status'>): string {
  const what = KIND_WORDS[op.kind] ?? 'operation';
  return op.status === 'queued'
    ? `Backstay stopped before this ${what} could start (the process ended unexpectedly).`
    : `Backstay stopped while this ${what} was running (the process ended unexpectedly).`;
}

/** The user had asked it to stop, and it did stop: `cancelled`, saying that Backstay did not see the end. */
export function cancelledByDeadOwnerMessage(op: Pick<Operation, 'kind'>): string {
  const what = KIND_WORDS[op.kind] ?? 'operation';
  return `Cancelled. Backstay stopped while this ${what} was being cancelled, so restic was stopped when Backstay next started.`;
}

export function reconcileOrphans(store: OpStore, deps: ReconcileDeps): ReconcileResult {
  const interrupted: Operation[] = [];
  const reposToUnlock = new Set<string>();
  for (const op of store.listLive()) {
    if (op.ownerPid !== null && deps.isAlive(op.ownerPid, op.ownerStartedAt)) continue;
    // Another process may have reconciled it a moment ago; keep its endedAt rather than writing a second one.
    const fresh = store.get(op.id);
    if (!fresh || !isLiveStatus(fresh.status)) continue;
    const started = op.status !== 'queued';
    if (op.resticPid !== null) deps.killOrphanRestic(op.resticPid);
    const wasCancelling = fresh.status === 'cancelling';
    interrupted.push(
      store.update(op.id, {
        status: wasCancelling ? 'cancelled' : 'interrupted',
        endedAt: deps.now(),
        error: wasCancelling
          ? { code: 'CANCELLED', message: cancelledByDeadOwnerMessage(op), detail: null }
          : { code: 'INTERRUPTED', message: interruptedMessage(op), detail: null },
      }),
    );
    // A queued operation never ran restic, so it holds no lock.
    if (started) reposToUnlock.add(op.repoId);
  }
  return { interrupted, reposToUnlock: [...reposToUnlock] };
}

/** True when the process is (as far as the OS tells) a restic. Unknown command line: trust the recorded pid. */
export function looksLikeRestic(pid: number): boolean {
  const commandLine = processCommandLine(pid);
  return commandLine === null || /restic/i.test(commandLine);
}

/** The real dependencies: /proc-based process identity, and SIGTERM then SIGKILL for an orphaned restic tree. */
export function systemReconcileDeps(opts: { killGraceMs?: number } = {}): ReconcileDeps {
  return {
    isAlive: isSameProcessAlive,
    killOrphanRestic(pid) {
      // The pid may have been reused since: only signal it if it still is a restic.
      if (!isPidAlive(pid) || !looksLikeRestic(pid)) return;
      terminateProcessTreeSync(pid, opts.killGraceMs ?? 1500);
    },
    now: () => new Date().toISOString(),
  };
}

// What every process that opens the data directory does first (the hosts and `backstay ops`): the live operations
// of dead owners become `interrupted` (their restic is stopped), and the stale locks they may have left are removed.
// A process that runs restic removes them at once (`restic unlock` removes only stale locks); one that does not
// remembers the repositories in the oplog, so that the next engine removes them.
import type { Logger } from '../engine-api.js';
import type { OpStore } from '../oplog/store.js';
import { reconcileOrphans, systemReconcileDeps, type ReconcileDeps, type ReconcileResult } from '../oplog/reconcile.js';
import { rememberReposToUnlock, takeReposToUnlock } from '../oplog/pending-unlock.js';
import { unlockArgs } from '../restic/args.js';
import { restic, resultOfFailure } from '../restic/run-restic.js';

export interface StaleLockRemover {
  /** The repositories known now: a remembered one that was removed from the config since is skipped. */
  knows(repoId: string): boolean;
  /** How to run restic against a repository. */
  repoEnv(repoId: string): Promise<{ binary: string; env: Record<string, string> }>;
}

export interface StartupReconciliation extends ReconcileResult {
  /** Resolves once every stale-lock removal started here has ended (each failure is logged, never thrown). */
  unlocked: Promise<void>;
}

export function reconcileAtStartup(
  store: OpStore,
  opts: { logger?: Logger; unlock: StaleLockRemover | null; deps?: ReconcileDeps },
): StartupReconciliation {
  const reconciled = reconcileOrphans(store, opts.deps ?? systemReconcileDeps());
  for (const op of reconciled.interrupted) opts.logger?.warn('operation interrupted by a dead process', { opId: op.id });
  if (!opts.unlock) {
    rememberReposToUnlock(store, reconciled.reposToUnlock);
    return { ...reconciled, unlocked: Promise.resolve() };
  }
  const reposToUnlock = [...new Set([...takeReposToUnlock(store), ...reconciled.reposToUnlock])];
  return { ...reconciled, unlocked: removeStaleLocks(reposToUnlock, opts.unlock, opts.logger) };
}

async function removeStaleLocks(repoIds: string[], remover: StaleLockRemover, logger: Logger | undefined): Promise<void> {
  for (const repoId of repoIds) {
    if (!remover.knows(repoId)) continue;
    try {
      const { binary, env } = await remover.repoEnv(repoId);
      const result = await restic(unlockArgs(), { binary, env }, 'unlock', { kind: 'unlock', timeoutMs: 60_000 }).catch(resultOfFailure);
      logger?.info('removed stale locks after an interrupted operation', { repoId, exitCode: result.exitCode });
    } catch (err) {
      logger?.warn('could not remove stale locks', { repoId, error: String(err) });
    }
  }
}

// `backstay ops`: the operations, newest first. Opening the data directory reconciles what a dead process left live.
import { ensureDataDir } from '../../core/config/data-dir.js';
import { openOplog } from '../../core/oplog/open-oplog.js';
import { reconcileAtStartup } from '../../core/jobs/startup.js';
import { summaryOf, type Operation } from '../../common/index.js';
import { formatBytes } from './human.js';
import { requireDataDir } from './preflight.js';

export async function runOpsCommand(opts: { dataDir: string; planId?: string; limit: number; json: boolean }): Promise<number> {
  // Not "No operations yet." for a data directory that is not there, as if Backstay had run there.
  requireDataDir(opts.dataDir);
  await ensureDataDir(opts.dataDir);
  const store = openOplog(opts.dataDir);
  try {
    // This command runs no restic: the next engine to start removes the stale locks.
    reconcileAtStartup(store, { unlock: null });
    const ops = store.list({ planId: opts.planId, limit: opts.limit });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(ops)}\n`);
    } else {
      for (const op of ops) process.stdout.write(`${humanRow(op)}\n`);
      if (ops.length === 0) process.stdout.write('No operations yet.\n');
    }
    return 0;
  } finally {
    store.close();
  }
}

function humanRow(op: Operation): string {
  const dataAdded = summaryOf(op, 'backup')?.dataAdded;
  const added = typeof dataAdded === 'number' ? ` +${formatBytes(dataAdded)}` : '';
  const progress = op.progress?.percent !== undefined && !op.endedAt ? ` ${Math.floor(op.progress.percent * 100)}%` : '';
  const error = op.error ? `  ${op.error.message}` : '';
  return `${String(op.id).padStart(6)}  ${op.createdAt}  ${op.kind.padEnd(11)} ${(op.planId ?? '-').padEnd(12)} ${op.status}${progress}${added}${error}`;
}

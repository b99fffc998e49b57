// `backstay ops`: the operations, newest first. Opening the data directory reconciles what a dead process left live.
import { existsSync } from 'node:fs';
import { BackstayError } from '../../common/errors.js';
import { ensureDataDir } from '../../core/config/data-dir.js';
import { openOplog } from '../../core/oplog/open-oplog.js';
import { reconcileAtStartup } from '../../core/jobs/startup.js';
import { summaryOf, type Operation } from '../../common/index.js';
import { formatBytes } from './human.js';

export async function runOpsCommand(opts: { dataDir: string; planId?: string; limit: number; json: boolean }): Promise<number> {
  // Only reading: a data directory that is not there (a typo in --data-dir, say) is said so, not made, and not
  // answered with "No operations yet." as if Backstay had run there.
  if (!existsSync(opts.dataDir)) {
    throw new BackstayError('NOT_FOUND', `There is no Backstay data directory at ${opts.dataDir}, so no operation has run there (nothing was created). Check --data-dir.`);
  }
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

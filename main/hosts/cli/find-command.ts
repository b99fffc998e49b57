// `backstay find PATTERN --repo R`: paths matching a name fragment or a glob across every snapshot, grouped by path.
// Exit 0 (also when nothing matched: the table is then empty), 1 when restic failed, 2 on bad input (an empty pattern).
import { BackstayError } from '../../common/errors.js';
import { askHistory, HistoryCommandFailure } from './history-query.js';
import { table } from './history-command.js';

export interface FindCommandOptions {
  pattern: string;
  repoId: string;
  dataDir: string;
  planId?: string;
  since?: string;
  until?: string;
  limit?: number;
  json: boolean;
}

export async function runFindCommand(opts: FindCommandOptions): Promise<number> {
  if (opts.pattern.trim() === '') throw new BackstayError('BAD_PARAMS', 'the pattern is empty: give part of a name, or a glob such as "*.jpg"');
  let answer;
  try {
    answer = await askHistory(opts.dataDir, 'snapshots.findAll', {
      repoId: opts.repoId,
      query: opts.pattern,
      planId: opts.planId,
      since: opts.since,
      until: opts.until,
      limit: opts.limit,
    });
  } catch (err) {
    if (!(err instanceof HistoryCommandFailure)) throw err;
    process.stderr.write(`backstay: ${err.message}\n`);
    return 1;
  }
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(answer)}\n`);
    return 0;
  }
  const rows = answer.results.map((r) => [r.path, r.type, String(r.versions), `${r.lastSeen.snapshotId.slice(0, 8)} ${r.lastSeen.time.slice(0, 19)}`]);
  process.stdout.write(table(['PATH', 'TYPE', 'VERSIONS', 'LAST SEEN'], rows));
  if (answer.truncated) process.stderr.write(`backstay: more paths match; showing the first ${answer.results.length} (--limit).\n`);
  return 0;
}

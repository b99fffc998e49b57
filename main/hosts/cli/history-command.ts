// `backstay history PATH --repo R`: every version of a path across the repository's snapshots, newest first.
// Exit 0 with versions, 1 when the path is in no snapshot (or restic failed), 2 on bad input.
import type { PathVersion } from '../../common/index.js';
import { formatBytes } from './human.js';
import { askHistory, HistoryCommandFailure } from './history-query.js';

export interface HistoryCommandOptions {
  path: string;
  repoId: string;
  dataDir: string;
  planId?: string;
  host?: string;
  json: boolean;
}

export async function runHistoryCommand(opts: HistoryCommandOptions): Promise<number> {
  let answer;
  try {
    answer = await askHistory(opts.dataDir, 'snapshots.history', { repoId: opts.repoId, path: opts.path, planId: opts.planId, host: opts.host });
  } catch (err) {
    if (!(err instanceof HistoryCommandFailure)) throw err;
    process.stderr.write(`backstay: ${err.message}\n`);
    return 1;
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(answer)}\n`);
  else if (answer.versions.length > 0) process.stdout.write(historyTable(answer.versions));
  if (answer.versions.length === 0) {
    process.stderr.write(`backstay: "${opts.path}" is in none of the snapshots of ${opts.repoId}${answer.complete ? '' : ' indexed so far'}.\n`);
    return 1;
  }
  return 0;
}

export function historyTable(versions: PathVersion[]): string {
  const rows = versions.map((v) => [
    v.type,
    v.type === 'file' ? formatBytes(v.size) : '-',
    v.mtime ?? '-',
    `${v.firstSeen.snapshotId.slice(0, 8)} ${v.firstSeen.time.slice(0, 19)}`,
    `${v.lastSeen.snapshotId.slice(0, 8)} ${v.lastSeen.time.slice(0, 19)}`,
    String(v.snapshots),
    v.changed ? 'changed' : '',
  ]);
  return table(['TYPE', 'SIZE', 'MTIME', 'FIRST SEEN', 'LAST SEEN', 'SNAPSHOTS', ''], rows);
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

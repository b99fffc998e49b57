// Differences between two snapshots from `restic diff`. `--json` exists from restic 0.12 (so in every
// supported version) and prints one `change` line per item; the text form (`+ path`, `- path`, `M path`,
// `T path`, `U path`) is parsed too, for a runner or version that prints text.
import { diffArgs } from '../restic/args.js';
import { resticCommandFailure } from '../restic/run-restic.js';
import type { ResticCommandRunner } from './runner.js';

export interface SnapshotDiff {
  /** Paths as restic prints them; folders end in "/". */
  added: string[];
  removed: string[];
  /** Content (M), type (T) or, with --metadata, metadata (U) changed. */
  changed: string[];
  /** How many of each there were; more than the lists hold when `truncated`. */
  counts: { added: number; removed: number; changed: number };
  truncated: boolean;
}

/** Keeps a diff of a huge tree from taking all memory: the counts stay exact, the lists stop growing. */
export const DEFAULT_DIFF_LIST_LIMIT = 50_000;

export async function diffSnapshots(
  runner: ResticCommandRunner,
  repoId: string,
  a: string,
  b: string,
  opts: { limit?: number; signal?: AbortSignal } = {},
): Promise<SnapshotDiff> {
  const collector = new DiffCollector(opts.limit ?? DEFAULT_DIFF_LIST_LIMIT);
  const result = await runner.run(repoId, diffArgs({ from: a, to: b }), {
    onStdoutLine: (line) => collector.add(line),
    signal: opts.signal,
  });
  if (result.exitCode !== 0) {
    throw resticCommandFailure(`comparing snapshots ${a.slice(0, 8)} and ${b.slice(0, 8)}`, repoId, result, {
      aborted: opts.signal?.aborted,
      kind: 'diff',
    });
  }
  return collector.result();
}

export type DiffChange = { modifier: string; path: string };

/** One line of `restic diff` (JSON or text) -> the change it reports, or null for headers and statistics. */
export function parseDiffLine(line: string): DiffChange | null {
  if (line.charCodeAt(0) === 0x7b /* { */) {
    try {
      const msg = JSON.parse(line) as Record<string, unknown>;
      if (msg.message_type === 'change' && typeof msg.path === 'string' && typeof msg.modifier === 'string') {
        return { modifier: msg.modifier, path: msg.path };
      }
    } catch {
      // not JSON after all: try text below
    }
    return null;
  }
  // Text: a modifier of "+", "-" or letters from "MTU", then spaces, then an absolute path.
  const m = /^([+-]|[MTU?]+)\s+(\/.*)$/.exec(line);
  return m ? { modifier: m[1]!, path: m[2]! } : null;
}

export class DiffCollector {
  private readonly lists = { added: [] as string[], removed: [] as string[], changed: [] as string[] };
  private readonly counts = { added: 0, removed: 0, changed: 0 };

  constructor(private readonly limit: number) {}

  add(line: string): void {
    const change = parseDiffLine(line);
    if (!change) return;
    const bucket = change.modifier === '+' ? 'added' : change.modifier === '-' ? 'removed' : 'changed';
    if (this.counts[bucket]++ < this.limit) this.lists[bucket].push(change.path);
  }

  result(): SnapshotDiff {
    const { added, removed, changed } = this.counts;
    return {
      ...this.lists,
      counts: { ...this.counts },
      truncated: added > this.limit || removed > this.limit || changed > this.limit,
    };
  }
}

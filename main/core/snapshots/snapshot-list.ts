// The snapshot list of a repository (optionally of one plan), from `restic snapshots --json`, newest first,
// cached per repository until the engine says a backup, forget or prune changed it.
import { BackstayError } from '../../common/errors.js';
import type { SnapshotInfo } from '../../common/rpc.js';
import { PLAN_TAG_PREFIX, snapshotsArgs } from '../restic/args.js';
import { resticCommandFailure } from '../restic/run-restic.js';
import { SNAPSHOT_LIST_MAX_LINE_BYTES, type ResticCommandRunner } from './runner.js';

export async function listSnapshots(
  runner: ResticCommandRunner,
  repoId: string,
  opts: { planId?: string; signal?: AbortSignal } = {},
): Promise<SnapshotInfo[]> {
  const args = snapshotsArgs({ planId: opts.planId });
  // restic prints the list as one JSON array, normally on one line; join in case a version wraps it.
  const lines: string[] = [];
  const result = await runner.run(repoId, args, {
    onStdoutLine: (line) => lines.push(line),
    signal: opts.signal,
    maxLineBytes: SNAPSHOT_LIST_MAX_LINE_BYTES,
  });
  if (result.exitCode !== 0) throw resticCommandFailure('listing snapshots', repoId, result, { aborted: opts.signal?.aborted });
  return parseSnapshotsJson(lines.join('\n'), repoId);
}

/** Parses `restic snapshots --json` output into SnapshotInfo, newest first. */
export function parseSnapshotsJson(text: string, repoId = 'the repository'): SnapshotInfo[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'null') return [];
  let raw: unknown;
  try {
    raw = JSON.parse(trimmed);
  } catch {
    throw new BackstayError('RESTIC_FAILED', `The snapshot list of ${repoId} printed by restic could not be read.`, trimmed.slice(0, 200));
  }
  if (!Array.isArray(raw)) {
    throw new BackstayError('RESTIC_FAILED', `The snapshot list of ${repoId} printed by restic is not a list.`, trimmed.slice(0, 200));
  }
  const snapshots = raw.filter(isObject).map(toSnapshotInfo);
  return sortNewestFirst(snapshots);
}

function toSnapshotInfo(raw: Record<string, unknown>): SnapshotInfo {
  const id = str(raw.id) ?? '';
  const tags = strings(raw.tags);
  const planTagValue = tags.find((t) => t.startsWith(PLAN_TAG_PREFIX));
  const info: SnapshotInfo = {
    id,
    shortId: str(raw.short_id) ?? id.slice(0, 8),
    time: str(raw.time) ?? '',
    paths: strings(raw.paths),
    tags,
    hostname: str(raw.hostname) ?? '',
    parent: str(raw.parent) ?? null,
    planId: planTagValue ? planTagValue.slice(PLAN_TAG_PREFIX.length) : null,
    // `summary` exists from restic 0.17: files and size added, among others.
    summary: isObject(raw.summary) ? camelCaseKeys(raw.summary) : null,
  };
  const username = str(raw.username);
  if (username) info.username = username;
  const tree = str(raw.tree);
  if (tree) info.tree = tree;
  return info;
}

function sortNewestFirst(snapshots: SnapshotInfo[]): SnapshotInfo[] {
  // Date.parse drops restic's nanoseconds; the ISO strings of one repository compare well enough as a tie-break.
  return snapshots
    .map((s) => ({ s, t: Date.parse(s.time) }))
    .sort((a, b) => (b.t - a.t) || (b.s.time < a.s.time ? -1 : b.s.time > a.s.time ? 1 : 0))
    .map(({ s }) => s);
}

/**
 * Cached lists per repository and plan. `invalidate(repoId)` drops them; a list that was being fetched while
 * it was invalidated is returned to its caller but not cached (it may predate the change).
 */
export class SnapshotListCache {
  private readonly entries = new Map<string, Promise<SnapshotInfo[]>>();
  private readonly generations = new Map<string, number>();

  constructor(private readonly runner: ResticCommandRunner) {}

  list(repoId: string, planId?: string): Promise<SnapshotInfo[]> {
    const key = `${repoId}\u0000${planId ?? ''}`;
    const cached = this.entries.get(key);
    if (cached) return cached;
    const generation = this.generation(repoId);
    const pending = listSnapshots(this.runner, repoId, { planId });
    this.entries.set(key, pending);
    pending.then(
      () => {
        if (this.generation(repoId) !== generation && this.entries.get(key) === pending) this.entries.delete(key);
      },
      () => {
        if (this.entries.get(key) === pending) this.entries.delete(key);
      },
    );
    return pending;
  }

  invalidate(repoId: string): void {
    this.generations.set(repoId, this.generation(repoId) + 1);
    for (const key of [...this.entries.keys()]) if (key.startsWith(`${repoId}\u0000`)) this.entries.delete(key);
  }

  /**
   * The snapshot an id, a unique id prefix or "latest" names. A miss refreshes the list once (a backup may have
   * finished without the cache hearing of it) before it becomes UNKNOWN_SNAPSHOT.
   */
  async resolve(repoId: string, idOrPrefix: string): Promise<SnapshotInfo> {
    const wanted = idOrPrefix.trim().toLowerCase();
    let found = findSnapshot(await this.list(repoId), wanted, repoId);
    if (!found) {
      this.invalidate(repoId);
      found = findSnapshot(await this.list(repoId), wanted, repoId);
    }
    if (!found) throw new BackstayError('UNKNOWN_SNAPSHOT', `No snapshot ${idOrPrefix} in repository ${repoId}.`);
    return found;
  }

  private generation(repoId: string): number {
    return this.generations.get(repoId) ?? 0;
  }
}

function findSnapshot(snapshots: SnapshotInfo[], wanted: string, repoId: string): SnapshotInfo | null {
  if (wanted === 'latest') return snapshots[0] ?? null;
  // Too short a prefix would match by accident; restic itself wants at least a few characters.
  if (!/^[0-9a-f]{4,64}$/.test(wanted)) return null;
  const matches = snapshots.filter((s) => s.id.startsWith(wanted));
  if (matches.length > 1) {
    throw new BackstayError(
      'BAD_PARAMS',
      `Snapshot id ${wanted} is ambiguous in repository ${repoId}: it starts ${matches.length} snapshots. Give more characters.`,
    );
  }
  return matches[0] ?? null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
function camelCaseKeys(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}

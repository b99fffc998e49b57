// Plain facts about snapshots, for the list and the browser (tested without React).
import type { RpcResult, SnapshotInfo } from '../../../../main/common/rpc.js';

/** The tag Backstay puts on every backup of a plan; shown as the plan's name instead of as a tag. */
export const PLAN_TAG_PREFIX = 'backstay:plan=';

/** The plan a snapshot belongs to: the host's field, else Backstay's tag. */
export function planOf(snapshot: SnapshotInfo): string | null {
  if (snapshot.planId) return snapshot.planId;
  const tag = snapshot.tags.find((t) => t.startsWith(PLAN_TAG_PREFIX));
  return tag ? tag.slice(PLAN_TAG_PREFIX.length) : null;
}

/** The tags a person put there (or restic's own), without Backstay's bookkeeping tag. */
export function visibleTags(snapshot: SnapshotInfo): string[] {
  return snapshot.tags.filter((t) => !t.startsWith(PLAN_TAG_PREFIX));
}

export interface SnapshotAdded {
  filesNew: number | null;
  filesChanged: number | null;
  dataAdded: number | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** What a backup added, from the snapshot's `summary` (restic 0.17+); null when restic did not record one. */
export function addedBy(snapshot: SnapshotInfo): SnapshotAdded | null {
  const s = snapshot.summary;
  if (!s) return null;
  const added = { filesNew: num(s.filesNew), filesChanged: num(s.filesChanged), dataAdded: num(s.dataAdded) };
  return added.filesNew === null && added.dataAdded === null ? null : added;
}

// restic writes local times with an offset and up to nine fractional digits: compare instants, not strings.
const instant = (s: SnapshotInfo): number => Date.parse(s.time) || 0;

/** Newest first: that is the one people usually restore from. */
export function newestFirst(snapshots: readonly SnapshotInfo[]): SnapshotInfo[] {
  return [...snapshots].sort((a, b) => instant(b) - instant(a));
}

function sameSource(a: SnapshotInfo, b: SnapshotInfo): boolean {
  const planA = planOf(a);
  if (planA !== null || planOf(b) !== null) return planA === planOf(b);
  return a.hostname === b.hostname && [...a.paths].sort().join('\0') === [...b.paths].sort().join('\0');
}

/**
 * The snapshot to compare with: the newest one older than `snapshot` from the same source (the same plan, or
 * for snapshots made outside Backstay the same host and paths). Comparing Photos with Home would list every
 * file as added and removed, which answers nobody's question.
 */
export function previousSnapshot(all: readonly SnapshotInfo[], snapshot: SnapshotInfo): SnapshotInfo | null {
  const at = instant(snapshot);
  let best: SnapshotInfo | null = null;
  for (const s of all) {
    if (s.id === snapshot.id || instant(s) >= at || !sameSource(s, snapshot)) continue;
    if (!best || instant(s) > instant(best)) best = s;
  }
  return best;
}

/**
 * A restore target the host can take: a full path from the root (POSIX, or a Windows drive or share).
 * The host checks again (and more: writable, not inside the source); this only spares a round trip.
 */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

/** `snapshots.diff`'s answer, tolerating a host that sends the lists only (then the counts are their lengths). */
export type SnapshotDiffResult = Omit<RpcResult<'snapshots.diff'>, 'counts' | 'truncated'> & {
  counts?: { added: number; removed: number; changed: number };
  truncated?: boolean;
};

export interface DiffCounts {
  added: number;
  removed: number;
  changed: number;
  /** The lists hold fewer paths than the counts say. */
  truncated: boolean;
}

/** Exact counts when the engine sends them, else the lengths of the lists. */
export function diffCounts(diff: SnapshotDiffResult): DiffCounts {
  const c = diff.counts;
  return {
    added: c?.added ?? diff.added.length,
    removed: c?.removed ?? diff.removed.length,
    changed: c?.changed ?? diff.changed.length,
    truncated: diff.truncated === true,
  };
}

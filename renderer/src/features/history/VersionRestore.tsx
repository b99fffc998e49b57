import type { SnapshotInfo, SnapshotMark } from '../../../../main/common/rpc.js';
import { RestoreForm } from '../snapshots/RestoreForm.js';

/** The snapshot a history answer names, as much as the restore form needs of it. */
export function snapshotOfMark(mark: SnapshotMark): SnapshotInfo {
  return { id: mark.snapshotId, shortId: mark.snapshotId.slice(0, 8), time: mark.time, paths: [], tags: [], hostname: '' };
}

/** Restore one path from one snapshot through the usual restore form (target, overwrite, outcome). */
export function VersionRestore({ repoId, mark, path, onClose }: { repoId: string; mark: SnapshotMark; path: string; onClose: () => void }) {
  return <RestoreForm repoId={repoId} snapshot={snapshotOfMark(mark)} picked={new Set([path])} onUnpick={onClose} />;
}

import { formatBytes } from '../../format/format.js';
import { useActions } from '../../store/index.js';
import { useKeyedLoad } from '../../components/useAction.js';
import { useT } from '../../components/useT.js';

/**
 * A snapshot's size (what restoring all of it writes). restic 0.17+ recorded it; for older snapshots the host
 * measures it once (restic stats) and keeps it, so the first look may take a moment per row.
 */
export function SnapshotSize({ repoId, snapshotId }: { repoId: string; snapshotId: string }) {
  const t = useT();
  const { snapshots } = useActions();
  const { data, error } = useKeyedLoad(JSON.stringify(['size', repoId, snapshotId]), () => snapshots.size(repoId, snapshotId));
  if (error) return <span title={error.message}>–</span>;
  if (!data) return <span className="muted">{t('care.size.measuring')}</span>;
  return (
    <span title={data.source === 'stats' ? t('care.size.measured') : t('care.size.recorded')}>{data.bytes === null ? '–' : formatBytes(data.bytes)}</span>
  );
}
